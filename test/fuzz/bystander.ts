// The bystander: another learner, typing throughout the fuzzing. It must keep answering.
import type { ApiClient } from '../../server/protocol/api-client.ts';
import type { SessionView } from '../../server/protocol/api-types.ts';
import { TerminalDriver } from '../../server/verify/terminal-driver.ts';
import type { ServerProcess } from '../support/server-process.ts';
import { sleep, summarize } from '../load/stats.ts';
import type { FuzzReport } from './fuzz-types.ts';

export class Bystander {
  readonly baseline: number[] = [];
  readonly during: number[] = [];
  readonly failures: string[] = [];
  private probe = 0;
  private fuzzing = false;
  private loop: Promise<void> = Promise.resolve();

  private constructor(
    readonly api: ApiClient,
    readonly session: SessionView,
    readonly driver: TerminalDriver,
  ) {}

  static async start(server: ServerProcess): Promise<Bystander> {
    const api = server.api('fuzz-bystander-learner');
    const session = await api.startSession('uts');
    const driver = await TerminalDriver.open(api.terminalUrl(session.id, 'isolated'), {
      ...api.terminalAuth,
      timeoutMs: 30_000,
    });
    await driver.waitForPrompt(60_000);
    return new Bystander(api, session, driver);
  }

  private async probeOnce(into: number[]): Promise<void> {
    this.probe++;
    const probe = this.probe;
    const started = performance.now();
    try {
      const out = await this.driver.run(`echo bystander-${probe}`, 10_000);
      if (out !== `bystander-${probe}`)
        this.failures.push(`probe ${probe} printed ${JSON.stringify(out)}`);
      into.push(performance.now() - started);
    } catch (error) {
      this.failures.push(
        `probe ${probe}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** Five probes on a quiet server, then one every 250 ms until `stopTyping`. */
  async startTyping(): Promise<void> {
    for (let i = 0; i < 5; i++) await this.probeOnce(this.baseline);
    this.fuzzing = true;
    this.loop = (async () => {
      while (this.fuzzing) {
        await this.probeOnce(this.during);
        await sleep(250);
      }
    })();
  }

  async stopTyping(): Promise<void> {
    this.fuzzing = false;
    await this.loop;
  }

  summary(): FuzzReport['bystander'] {
    return {
      probes: this.probe,
      failures: this.failures,
      baseline: summarize(this.baseline),
      during: summarize(this.during),
    };
  }

  async close(): Promise<void> {
    await this.stopTyping();
    await this.driver.close();
  }
}
