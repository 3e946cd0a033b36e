// N concurrent learners against a real nslab server, over real HTTP and WebSockets. Each
// learner loops until the deadline: start the uts lab (2 containers), open the isolated
// terminal, type a command one key at a time (timing each key's echo), run a command,
// submit a check through the API, close the terminal and end the session.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ApiClient } from '../../server/protocol/api-client.ts';
import { TerminalDriver } from '../../server/verify/terminal-driver.ts';
import { formatSummary, mib, ms, sleep, summarize, type Summary } from './stats.ts';

export interface LoadOptions {
  /** An API client for one learner; each learner has its own id (and so its own caps). */
  api: (learner: string) => ApiClient;
  learners: number;
  seconds: number;
  /** Learners join over this many ms rather than all in the same instant. */
  rampMs?: number;
  /** Pause between two keystrokes, as a person types (jittered +-50%). */
  keyGapMs?: number;
  /** Pause between one session's end and the next start (jittered +-50%). */
  thinkMs?: number;
  /** Keep each session this long from its start, typing a line every `thinkMs` (0: one line). */
  holdMs?: number;
  /** Progress lines every `progressEveryMs` (none when undefined). */
  onProgress?: (line: string) => void;
  progressEveryMs?: number;
  /** Extra fields for the progress line (the caller samples server RSS). */
  progressExtra?: () => string;
}

export interface LoadError {
  learner: string;
  iteration: number;
  phase: string;
  message: string;
  atMs: number;
}

export interface LoadResult {
  learners: number;
  seconds: number;
  durationMs: number;
  sessionsStarted: number;
  sessionsCompleted: number;
  errors: LoadError[];
  peakLiveSessions: number;
  echo: Summary;
  startToPrompt: Summary;
  startApi: Summary;
  check: Summary;
  end: Summary;
  /** The load generator's own event-loop delay: large values would distort the timings. */
  clientLoopDelayP99Ms: number;
}

const KEY_TIMEOUT_MS = 30_000;
const PROMPT_TIMEOUT_MS = 120_000;

function jitter(ms: number): number {
  return ms * (0.5 + Math.random());
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const {
    learners,
    seconds,
    rampMs = Math.min(10_000, (seconds * 1000) / 10),
    keyGapMs = 80,
    thinkMs = 500,
    holdMs = 0,
  } = options;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const samples = {
    echo: [] as number[],
    startToPrompt: [] as number[],
    startApi: [] as number[],
    check: [] as number[],
    end: [] as number[],
  };
  const errors: LoadError[] = [];
  let sessionsStarted = 0;
  let sessionsCompleted = 0;
  let live = 0;
  let peakLive = 0;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();

  let lastEcho = 0;
  const ticker =
    options.onProgress === undefined
      ? undefined
      : setInterval(() => {
          const recent = summarize(samples.echo.slice(lastEcho));
          lastEcho = samples.echo.length;
          const elapsed = Math.round((performance.now() - started) / 1000);
          options.onProgress?.(
            `[${String(elapsed).padStart(4)} s] live ${String(live).padStart(3)}  completed ${String(sessionsCompleted).padStart(5)}  errors ${errors.length}  echo p50/p99 ${Math.round(recent.p50)}/${Math.round(recent.p99)} ms  start-to-prompt p50 ${Math.round(summarize(samples.startToPrompt.slice(-50)).p50)} ms${options.progressExtra === undefined ? '' : `  ${options.progressExtra()}`}`,
          );
        }, options.progressEveryMs ?? 10_000);

  /** Types `echo <word>` one key at a time, timing each key's echo, then runs it. */
  async function typeLine(term: TerminalDriver, word: string): Promise<void> {
    for (const key of `echo ${word}`) {
      const before = term.text.length;
      const sent = performance.now();
      term.send(key);
      await term.waitFor(
        () => term.text.length > before && term.text.slice(before).includes(key),
        `the echo of "${key}"`,
        KEY_TIMEOUT_MS,
      );
      samples.echo.push(performance.now() - sent);
      await sleep(jitter(keyGapMs));
    }
    const printed = new RegExp(`^${word}\\r?$`, 'm');
    term.send('\r');
    await term.waitFor(() => printed.test(term.text), `the output of echo ${word}`, 60_000);
  }

  async function iterate(learner: string, api: ApiClient, iteration: number): Promise<void> {
    let phase = 'start';
    let sessionId: string | undefined;
    let driver: TerminalDriver | undefined;
    try {
      const t0 = performance.now();
      const session = await api.startSession('uts');
      sessionId = session.id;
      sessionsStarted++;
      live++;
      peakLive = Math.max(peakLive, live);
      samples.startApi.push(performance.now() - t0);

      phase = 'open terminal';
      driver = await TerminalDriver.open(api.terminalUrl(session.id, 'isolated'), {
        ...api.terminalAuth,
        timeoutMs: 60_000,
      });
      phase = 'prompt';
      await driver.waitForPrompt(PROMPT_TIMEOUT_MS);
      samples.startToPrompt.push(performance.now() - t0);

      phase = 'type';
      const term = driver;
      await typeLine(term, `typed-${learner}-${iteration}`);

      phase = 'run';
      const ns = await term.run('readlink /proc/self/ns/uts', 60_000);
      const answer = /uts:\[\d+\]/.exec(ns)?.[0];
      if (answer === undefined) throw new Error(`readlink printed ${JSON.stringify(ns)}`);

      phase = 'check';
      const t1 = performance.now();
      const result = await api.check(session.id, 'own-namespace', answer);
      samples.check.push(performance.now() - t1);
      if (!result.passed) throw new Error(`the check did not pass: ${result.reason}`);

      // Optionally keep the session and go on typing, as a learner working through a lab does.
      phase = 'hold';
      for (let line = 1; performance.now() - t0 < holdMs && performance.now() < deadline; line++) {
        await sleep(jitter(thinkMs));
        await typeLine(term, `held-${learner}-${iteration}-${line}`);
      }

      phase = 'controls';
      const unexpected = term.controls.filter(
        (c) => c.type === 'error' || c.type === 'exit' || c.type === 'notice',
      );
      if (unexpected.length > 0)
        throw new Error(`unexpected control messages: ${JSON.stringify(unexpected)}`);

      phase = 'end';
      await term.close();
      driver = undefined;
      if (
        term.closeInfo !== undefined &&
        term.closeInfo.code !== 1000 &&
        term.closeInfo.code !== 1005
      )
        throw new Error(`terminal closed with ${term.closeInfo.code} ${term.closeInfo.reason}`);
      const t2 = performance.now();
      await api.endSession(session.id);
      samples.end.push(performance.now() - t2);
      sessionId = undefined;
      live--;
      sessionsCompleted++;
    } catch (error) {
      errors.push({
        learner,
        iteration,
        phase,
        message: errorMessage(error),
        atMs: Math.round(performance.now() - started),
      });
      // One failure must not cascade into the learner's next iterations (per-learner cap).
      await driver?.close().catch(() => undefined);
      if (sessionId !== undefined) {
        await api.endSession(sessionId).catch(() => undefined);
        live--;
      }
    }
  }

  async function learnerLoop(index: number): Promise<void> {
    const learner = `load-learner-${String(index).padStart(4, '0')}`;
    const api = options.api(learner);
    await sleep((rampMs * index) / Math.max(1, learners));
    for (let iteration = 1; performance.now() < deadline; iteration++) {
      await iterate(learner, api, iteration);
      if (performance.now() < deadline) await sleep(jitter(thinkMs));
    }
  }

  await Promise.all(Array.from({ length: learners }, (_, i) => learnerLoop(i + 1)));
  if (ticker !== undefined) clearInterval(ticker);
  loopDelay.disable();
  return {
    learners,
    seconds,
    durationMs: performance.now() - started,
    sessionsStarted,
    sessionsCompleted,
    errors,
    peakLiveSessions: peakLive,
    echo: summarize(samples.echo),
    startToPrompt: summarize(samples.startToPrompt),
    startApi: summarize(samples.startApi),
    check: summarize(samples.check),
    end: summarize(samples.end),
    clientLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
  };
}

export function printLoadReport(
  result: LoadResult,
  extra: {
    rssPeak?: number;
    rssEnd?: number;
    rssStart?: number;
    leftBeforeStop: string;
    leftAfterStop: string;
    serverErrors: number;
  },
  out: (line: string) => void,
): void {
  out('');
  out(`learners ${result.learners}, ${result.seconds} s asked, ${ms(result.durationMs)} run`);
  out(
    `sessions started ${result.sessionsStarted}, completed ${result.sessionsCompleted}, peak live ${result.peakLiveSessions} (${result.peakLiveSessions * 2} containers)`,
  );
  out(`errors ${result.errors.length}`);
  out(formatSummary('keystroke echo', result.echo));
  out(formatSummary('start-to-prompt', result.startToPrompt));
  out(formatSummary('  of which POST /sessions', result.startApi));
  out(formatSummary('check (API)', result.check));
  out(formatSummary('end session (API)', result.end));
  out(
    `server RSS start ${mib(extra.rssStart)}, peak ${mib(extra.rssPeak)}, end ${mib(extra.rssEnd)}`,
  );
  out(`server ERROR log lines ${extra.serverErrors}`);
  out(`load generator event-loop delay p99 ${result.clientLoopDelayP99Ms.toFixed(1)} ms`);
  out(`left on the engine after the last session ended: ${extra.leftBeforeStop}`);
  out(`left after the server stopped: ${extra.leftAfterStop}`);
  const byPhase = new Map<string, number>();
  for (const e of result.errors) byPhase.set(e.phase, (byPhase.get(e.phase) ?? 0) + 1);
  if (result.errors.length > 0) {
    out(`errors by phase: ${[...byPhase].map(([p, n]) => `${p} ${n}`).join(', ')}`);
    for (const e of result.errors.slice(0, 20))
      out(`  ${e.atMs} ms ${e.learner} #${e.iteration} ${e.phase}: ${e.message.slice(0, 300)}`);
  }
}
