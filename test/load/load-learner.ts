// One learner's rounds in a load run: start the uts lab (2 containers), open the isolated
// terminal, type a command one key at a time (timing each key's echo), run a command,
// submit a check through the API, close the terminal and end the session.
import type { ApiClient } from '../../server/protocol/api-client.ts';
import type { SessionView } from '../../server/protocol/api-types.ts';
import { TerminalDriver } from '../../server/verify/terminal-driver.ts';
import type { LoadError } from './load-types.ts';
import { sleep } from './stats.ts';

const KEY_TIMEOUT_MS = 30_000;
const PROMPT_TIMEOUT_MS = 120_000;

export function jitter(ms: number): number {
  return ms * (0.5 + Math.random());
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Where one round got to, so a failure can say where and clean up after itself. */
interface Attempt {
  phase: string;
  sessionId: string | undefined;
  driver: TerminalDriver | undefined;
}

/** What every learner of a run shares: the timings, the errors and the counters. */
export class LoadState {
  readonly samples = {
    echo: [] as number[],
    startToPrompt: [] as number[],
    startApi: [] as number[],
    check: [] as number[],
    end: [] as number[],
  };
  readonly errors: LoadError[] = [];
  sessionsStarted = 0;
  sessionsCompleted = 0;
  live = 0;
  peakLive = 0;
  readonly started = performance.now();

  constructor(
    readonly deadline: number,
    readonly pace: { keyGapMs: number; thinkMs: number; holdMs: number },
  ) {}

  /** Types `echo <word>` one key at a time, timing each key's echo, then runs it. */
  async typeLine(term: TerminalDriver, word: string): Promise<void> {
    for (const key of `echo ${word}`) {
      const before = term.text.length;
      const sent = performance.now();
      term.send(key);
      await term.waitFor(
        () => term.text.length > before && term.text.slice(before).includes(key),
        `the echo of "${key}"`,
        KEY_TIMEOUT_MS,
      );
      this.samples.echo.push(performance.now() - sent);
      await sleep(jitter(this.pace.keyGapMs));
    }
    const printed = new RegExp(`^${word}\\r?$`, 'm');
    term.send('\r');
    await term.waitFor(() => printed.test(term.text), `the output of echo ${word}`, 60_000);
  }

  /** One round; a failure is recorded and cleaned up, never thrown. */
  async iterate(learner: string, api: ApiClient, iteration: number): Promise<void> {
    const attempt: Attempt = { phase: 'start', sessionId: undefined, driver: undefined };
    try {
      await this.round(learner, api, iteration, attempt);
    } catch (error) {
      this.errors.push({
        learner,
        iteration,
        phase: attempt.phase,
        message: errorMessage(error),
        atMs: Math.round(performance.now() - this.started),
      });
      // One failure must not cascade into the learner's next iterations (per-learner cap).
      await attempt.driver?.close().catch(() => undefined);
      if (attempt.sessionId !== undefined) {
        await api.endSession(attempt.sessionId).catch(() => undefined);
        this.live--;
      }
    }
  }

  private async round(
    learner: string,
    api: ApiClient,
    iteration: number,
    attempt: Attempt,
  ): Promise<void> {
    const t0 = performance.now();
    const session = await api.startSession('uts');
    attempt.sessionId = session.id;
    this.sessionsStarted++;
    this.live++;
    this.peakLive = Math.max(this.peakLive, this.live);
    this.samples.startApi.push(performance.now() - t0);

    attempt.phase = 'open terminal';
    attempt.driver = await TerminalDriver.open(api.terminalUrl(session.id, 'isolated'), {
      ...api.terminalAuth,
      timeoutMs: 60_000,
    });
    attempt.phase = 'prompt';
    await attempt.driver.waitForPrompt(PROMPT_TIMEOUT_MS);
    this.samples.startToPrompt.push(performance.now() - t0);

    const term = attempt.driver;
    await this.work(`${learner}-${iteration}`, api, session, term, attempt, t0);
    await this.finish(api, session, term, attempt);
  }

  /** Type, run, check, hold, and no unexpected control messages. */
  private async work(
    tag: string,
    api: ApiClient,
    session: SessionView,
    term: TerminalDriver,
    attempt: Attempt,
    t0: number,
  ): Promise<void> {
    attempt.phase = 'type';
    await this.typeLine(term, `typed-${tag}`);

    attempt.phase = 'run';
    const ns = await term.run('readlink /proc/self/ns/uts', 60_000);
    const answer = /uts:\[\d+\]/.exec(ns)?.[0];
    if (answer === undefined) throw new Error(`readlink printed ${JSON.stringify(ns)}`);

    attempt.phase = 'check';
    const t1 = performance.now();
    const result = await api.check(session.id, 'own-namespace', answer);
    this.samples.check.push(performance.now() - t1);
    if (!result.passed) throw new Error(`the check did not pass: ${result.reason}`);

    // Optionally keep the session and go on typing, as a learner working through a lab does.
    attempt.phase = 'hold';
    for (
      let line = 1;
      performance.now() - t0 < this.pace.holdMs && performance.now() < this.deadline;
      line++
    ) {
      await sleep(jitter(this.pace.thinkMs));
      await this.typeLine(term, `held-${tag}-${line}`);
    }

    attempt.phase = 'controls';
    const unexpected = term.controls.filter(
      (c) => c.type === 'error' || c.type === 'exit' || c.type === 'notice',
    );
    if (unexpected.length > 0)
      throw new Error(`unexpected control messages: ${JSON.stringify(unexpected)}`);
  }

  private async finish(
    api: ApiClient,
    session: SessionView,
    term: TerminalDriver,
    attempt: Attempt,
  ): Promise<void> {
    attempt.phase = 'end';
    await term.close();
    attempt.driver = undefined;
    if (
      term.closeInfo !== undefined &&
      term.closeInfo.code !== 1000 &&
      term.closeInfo.code !== 1005
    )
      throw new Error(`terminal closed with ${term.closeInfo.code} ${term.closeInfo.reason}`);
    const t2 = performance.now();
    await api.endSession(session.id);
    this.samples.end.push(performance.now() - t2);
    attempt.sessionId = undefined;
    this.live--;
    this.sessionsCompleted++;
  }
}
