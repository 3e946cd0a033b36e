// N concurrent learners against a real nslab server, over real HTTP and WebSockets. Each
// learner loops until the deadline: start the uts lab (2 containers), open the isolated
// terminal, type a command one key at a time (timing each key's echo), run a command,
// submit a check through the API, close the terminal and end the session (load-learner.ts).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { jitter, LoadState } from './load-learner.ts';
import type { LoadOptions, LoadResult } from './load-types.ts';
import { sleep, summarize } from './stats.ts';

export { printLoadReport } from './load-report.ts';
export type { LoadError, LoadOptions, LoadResult } from './load-types.ts';

/** A progress line every `progressEveryMs`, with the echo timings since the last one. */
function startTicker(options: LoadOptions, state: LoadState): NodeJS.Timeout | undefined {
  if (options.onProgress === undefined) return undefined;
  const { samples, errors } = state;
  let lastEcho = 0;
  return setInterval(() => {
    const recent = summarize(samples.echo.slice(lastEcho));
    lastEcho = samples.echo.length;
    const elapsed = Math.round((performance.now() - state.started) / 1000);
    options.onProgress?.(
      `[${String(elapsed).padStart(4)} s] live ${String(state.live).padStart(3)}  completed ${String(state.sessionsCompleted).padStart(5)}  errors ${errors.length}  echo p50/p99 ${Math.round(recent.p50)}/${Math.round(recent.p99)} ms  start-to-prompt p50 ${Math.round(summarize(samples.startToPrompt.slice(-50)).p50)} ms${options.progressExtra === undefined ? '' : `  ${options.progressExtra()}`}`,
    );
  }, options.progressEveryMs ?? 10_000);
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
  const state = new LoadState(deadline, { keyGapMs, thinkMs, holdMs });
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const ticker = startTicker(options, state);

  async function learnerLoop(index: number): Promise<void> {
    const learner = `load-learner-${String(index).padStart(4, '0')}`;
    const api = options.api(learner);
    await sleep((rampMs * index) / Math.max(1, learners));
    for (let iteration = 1; performance.now() < deadline; iteration++) {
      await state.iterate(learner, api, iteration);
      if (performance.now() < deadline) await sleep(jitter(thinkMs));
    }
  }

  await Promise.all(Array.from({ length: learners }, (_, i) => learnerLoop(i + 1)));
  if (ticker !== undefined) clearInterval(ticker);
  loopDelay.disable();
  const { samples } = state;
  return {
    learners,
    seconds,
    durationMs: performance.now() - started,
    sessionsStarted: state.sessionsStarted,
    sessionsCompleted: state.sessionsCompleted,
    errors: state.errors,
    peakLiveSessions: state.peakLive,
    echo: summarize(samples.echo),
    startToPrompt: summarize(samples.startToPrompt),
    startApi: summarize(samples.startApi),
    check: summarize(samples.check),
    end: summarize(samples.end),
    clientLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
  };
}
