// Runs the real `nslab serve` CLI as a child process, as an operator would: a separate event
// loop (the load generator does not share it), its own memory figures, and a process that
// can be SIGKILLed. The load, fault and fuzz scripts and their CI versions all use it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApiClient } from '../../server/protocol/api-client.ts';

export const REPO = path.join(import.meta.dirname, '..', '..');

export interface ServerProcessOptions {
  instance: string;
  token: string;
  /** Extra NSLAB_* settings (NSLAB_MAX_SESSIONS, NSLAB_GRACE_MS, ...). */
  env?: Record<string, string>;
  /** How long to wait for the "ready" line. */
  startTimeoutMs?: number;
}

export class ServerProcess {
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exitPromise: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly child: ChildProcess,
    readonly origin: string,
    readonly token: string,
    readonly instance: string,
    /** Every line the server wrote to stderr (warnings and errors with NSLAB_LOG_LEVEL=warn). */
    readonly stderrLines: string[],
  ) {
    this.exitPromise = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        this.exitInfo = { code: child.exitCode, signal: child.signalCode };
        resolve(this.exitInfo);
        return;
      }
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/nslab.ts', 'serve'], {
      cwd: REPO,
      env: {
        ...process.env,
        NSLAB_HOST: '127.0.0.1',
        NSLAB_PORT: '0',
        NSLAB_INSTANCE: options.instance,
        NSLAB_TOKEN: options.token,
        NSLAB_LOG_LEVEL: 'warn',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stderrLines: string[] = [];
    let partial = '';
    child.stderr.on('data', (chunk: Buffer) => {
      partial += chunk.toString('utf8');
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      stderrLines.push(...lines);
      // Keep memory bounded over a long run: the first and the latest lines matter.
      if (stderrLines.length > 20_000) stderrLines.splice(1_000, stderrLines.length - 10_000);
    });
    let out = '';
    const origin = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`server did not print its address in time: ${out}`));
      }, options.startTimeoutMs ?? 60_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=/.exec(out);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited early with ${code}: ${out}\n${stderrLines.join('\n')}`));
      });
    });
    // Keep draining stdout so the child never blocks on a full pipe.
    child.stdout.removeAllListeners('data');
    child.stdout.resume();
    return new ServerProcess(child, origin, options.token, options.instance, stderrLines);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.exitInfo === undefined;
  }

  get exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.exitInfo;
  }

  api(learner?: string): ApiClient {
    return new ApiClient(this.origin, this.token, learner);
  }

  /**
   * Resident set size of the server process in bytes: the same figure the server's own
   * process.memoryUsage().rss reports, read from /proc so the server needs no extra hook.
   */
  rss(): number | undefined {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
      return kb === undefined ? undefined : Number(kb) * 1024;
    } catch {
      return undefined;
    }
  }

  /** Lines the server logged at ERROR level (unexpected errors, failed cleanups). */
  errorLines(): string[] {
    return this.stderrLines.filter((line) => / ERROR /.test(line));
  }

  waitForExit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exitPromise;
  }

  kill9(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill('SIGKILL');
    return this.exitPromise;
  }

  /** SIGTERM, as Ctrl-C would: the server ends every session and sweeps. */
  async stop(timeoutMs = 60_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.alive) return this.exitPromise;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const result = await this.exitPromise;
    clearTimeout(timer);
    return result;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
