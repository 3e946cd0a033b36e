// Load test a developer runs:  npm run test:load -- [learners=100] [seconds=300] [--hold=S]
// --hold=S keeps each session S seconds, typing a line every half second or so, instead of
// ending it after one round (more containers held at once, less start/stop churn).
// Starts the real server (`nslab serve`, a child process) with caps that allow N learners,
// drives N concurrent learners for the given time, then prints sessions completed, errors,
// keystroke echo and start-to-prompt percentiles, server RSS (peak and end) and what was
// left on the engine. Exits non-zero on any error or leftover.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import {
  describeLeftovers,
  leftoverCount,
  leftovers,
  removeEmptyInstanceDir,
} from '../faults/leftovers.ts';
import { ServerProcess } from '../support/server-process.ts';
import { printLoadReport, runLoad, type LoadResult } from './load-run.ts';
import { Probes, type ProbeResults } from './probes.ts';
import { formatSummary, mib, sleep } from './stats.ts';
import { runScript } from '../support/run-script.ts';

function intArg(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${name} must be a positive integer, got "${value}"`);
  return n;
}

interface Args {
  learners: number;
  seconds: number;
  holdSeconds: number;
}

function parseArgs(): Args {
  const positional = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  const learners = intArg(positional[0], 100, 'learners');
  const seconds = intArg(positional[1], 300, 'seconds');
  const hold = process.argv.find((arg) => arg.startsWith('--hold='))?.slice('--hold='.length);
  const holdSeconds = hold === undefined ? 0 : intArg(hold, 0, '--hold');
  return { learners, seconds, holdSeconds };
}

const out = (line: string): void => void process.stdout.write(`${line}\n`);

function startServer(instance: string, learners: number): Promise<ServerProcess> {
  return ServerProcess.start({
    instance,
    token: randomBytes(18).toString('base64url'),
    env: {
      NSLAB_MAX_SESSIONS: String(learners),
      // Each learner holds one session at a time: a cap of 1 also proves the count is released.
      NSLAB_MAX_SESSIONS_PER_LEARNER: '1',
    },
  });
}

/** The server's RSS at the start and its peak, sampled every second while the load runs. */
class RssSampler {
  readonly start: number | undefined;
  peak: number;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly server: ServerProcess) {
    this.start = server.rss();
    this.peak = this.start ?? 0;
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, server.rss() ?? 0);
    }, 1_000);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** After the load: leftovers before and after the server stops, the report, the verdict. */
async function finish(
  server: ServerProcess,
  instance: string,
  result: LoadResult,
  rss: RssSampler,
  probed: ProbeResults,
): Promise<boolean> {
  // Every learner ended its own session; nothing of the instance may remain on the engine.
  await sleep(1_000);
  const rssEnd = server.rss();
  rss.peak = Math.max(rss.peak, rssEnd ?? 0);
  const before = await leftovers(instance);
  const serverErrors = server.errorLines().length;
  const alive = server.alive;
  await server.stop();
  const after = await leftovers(instance);
  await removeEmptyInstanceDir(instance);
  printLoadReport(
    result,
    {
      rssStart: rss.start,
      rssPeak: rss.peak,
      rssEnd,
      leftBeforeStop: describeLeftovers(before),
      leftAfterStop: describeLeftovers(after),
      serverErrors,
    },
    out,
  );
  out('control measurements beside the load:');
  out(formatSummary('  GET /api/labs (server only)', probed.serverApi));
  out(formatSummary('  raw docker exec echo (engine only)', probed.engineEcho));
  for (const failure of probed.failures.slice(0, 5)) out(`  probe: ${failure}`);
  if (!alive) out('the server died during the run');
  for (const line of server.errorLines().slice(0, 10)) out(`  server: ${line.slice(0, 300)}`);
  return alive && result.errors.length === 0 && leftoverCount(before) + leftoverCount(after) === 0;
}

async function main(): Promise<number> {
  const { learners, seconds, holdSeconds } = parseArgs();
  const instance = `load-${process.pid}`;
  out(
    `nslab load: ${learners} learners x ${seconds} s${holdSeconds > 0 ? `, sessions held ${holdSeconds} s` : ''}, instance ${instance}, ${os.cpus().length} cores, ${mib(os.totalmem())} RAM, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const server = await startServer(instance, learners);
  const rss = new RssSampler(server);
  const probes = await Probes.start(server.api('load-probe-learner'), instance);
  let result: LoadResult;
  try {
    result = await runLoad({
      api: (learner) => server.api(learner),
      learners,
      seconds,
      holdMs: holdSeconds * 1000,
      onProgress: out,
      progressExtra: () => `server RSS ${mib(server.rss())}  load ${os.loadavg()[0]?.toFixed(2)}`,
    });
  } finally {
    rss.stop();
  }
  const probed = await probes.stop();
  const ok = await finish(server, instance, result, rss, probed);
  out(ok ? 'PASS' : 'FAIL');
  return ok ? 0 : 1;
}

runScript('load', main);
