// Warm click-to-prompt: a Start served from the pool (the shells already wait at a prompt;
// only HTTP and the WebSockets remain) against a raw `docker exec -it bash` into a running
// container of the same lab, through the CLI and through the engine API, interleaved.
import type Dockerode from 'dockerode';
import type { BenchContext, Figure, Part } from './context.ts';
import { withServer } from './context.ts';
import { endLab, startLab } from './nslab-session.ts';
import { apiRun, findLab, planLab, removeAll } from './raw-docker.ts';
import { CliShell, RawShell } from './raw-shell.ts';
import type { BenchServer } from './server-child.ts';
import { median, percentiles, rotate, sleep, timed } from './stats.ts';

const POOLED = 3;
/** How long a claimed pool gets to be full again before the bench counts a refill stall. */
const REFILL_MS = 20_000;

/** Whether the pool holds `count` ready sessions of the lab within `timeoutMs`. */
async function poolHolds(
  server: BenchServer,
  lab: string,
  count: number,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while ((await server.pool(lab)).ready < count) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/** A pooled session must be there to claim: a warm sample is never a cold start. */
async function claimable(server: BenchServer, lab: string): Promise<void> {
  if (!(await poolHolds(server, lab, 1, 60_000)))
    throw new Error(
      `the pool held no "${lab}" session to claim for 60 s after ${(await server.pool(lab)).claimed} claims: it stopped refilling`,
    );
}

async function rawExec(open: () => Promise<RawShell | CliShell>): Promise<number> {
  const { ms, value: shell } = await timed(async () => {
    const s = await open();
    await s.waitForPrompt();
    return s;
  });
  await shell.close();
  return ms;
}

interface Samples {
  nslab: number[];
  post: number[];
  api: number[];
  cli: number[];
  /** Samples after which the pool was not full again within REFILL_MS. */
  stalls: number;
}

async function warmSample(server: BenchServer, lab: string, i: number, samples: Samples) {
  await claimable(server, lab);
  const claimed = (await server.pool(lab)).claimed;
  const session = await startLab(server.api(`warm-${i}`), lab);
  await endLab(session);
  if ((await server.pool(lab)).claimed !== claimed + 1)
    throw new Error('a warm sample was not served from the pool');
  samples.nslab.push(session.startMs);
  samples.post.push(session.postMs);
  // The claim starts a refill: let it finish so the next sample meets a quiet engine.
  if (!(await poolHolds(server, lab, POOLED, REFILL_MS))) samples.stalls += 1;
}

async function sample(
  ctx: BenchContext,
  server: BenchServer,
  rawId: string,
  samples: Samples,
  i: number,
): Promise<void> {
  const docker: Dockerode = ctx.docker;
  const kinds = {
    nslab: () => warmSample(server, ctx.options.lab, i, samples),
    api: async () => void samples.api.push(await rawExec(() => RawShell.open(docker, rawId))),
    cli: async () =>
      void samples.cli.push(await rawExec(() => Promise.resolve(CliShell.open(rawId)))),
  };
  for (const kind of rotate(['nslab', 'api', 'cli'] as const, i)) {
    await kinds[kind]();
    await sleep(200);
  }
}

function warmFigures(samples: Samples): Figure[] {
  const nslab = percentiles(samples.nslab);
  const cli = median(samples.cli);
  const api = median(samples.api);
  return [
    { name: 'warm_p50_ms', label: 'warm click-to-prompt p50', value: nslab.p50, unit: 'ms' },
    { name: 'warm_p95_ms', label: 'warm click-to-prompt p95', value: nslab.p95, unit: 'ms' },
    {
      name: 'warm_post_p50_ms',
      label: 'warm POST /api/sessions alone p50',
      value: median(samples.post),
      unit: 'ms',
    },
    {
      name: 'raw_exec_cli_p50_ms',
      label: 'raw `docker exec -it bash -l` to prompt p50',
      value: cli,
      unit: 'ms',
    },
    {
      name: 'raw_exec_api_p50_ms',
      label: 'raw engine API exec to prompt p50',
      value: api,
      unit: 'ms',
    },
    {
      name: 'warm_vs_exec',
      label: 'warm / raw docker exec (CLI)',
      value: nslab.p50 / cli,
      unit: 'x',
      goal: { op: '<=', target: 0.33 },
    },
    {
      name: 'warm_vs_exec_api',
      label: 'warm / raw engine API exec',
      value: nslab.p50 / api,
      unit: 'x',
      goal: { op: '<=', target: 0.33 },
    },
    {
      name: 'pool_refill_stalls',
      label: `claims after which the pool was not full again within ${REFILL_MS / 1000} s`,
      value: samples.stalls,
      unit: 'count',
    },
  ];
}

export const warmPart: Part = async (ctx) => {
  const { lab: labId, iterations } = ctx.options;
  const lab = findLab(labId);
  const samples: Samples = { nslab: [], post: [], api: [], cli: [], stalls: 0 };
  await withServer(ctx, { pool: { [labId]: POOLED }, maxSessions: 20 }, async (server) => {
    const plans = planLab(lab, await server.deps(), ctx.instance, 'raw-warm');
    const ids = await Promise.all(plans.map((p) => apiRun(ctx.docker, p)));
    try {
      const rawId =
        ids[
          Math.max(
            0,
            plans.findIndex((p) => p.terminal),
          )
        ] ?? '';
      await poolHolds(server, labId, POOLED, 120_000);
      // One of each first: the first exec of a container is not what this measures.
      const warmUp: Samples = { nslab: [], post: [], api: [], cli: [], stalls: 0 };
      await sample(ctx, server, rawId, warmUp, 0);
      samples.stalls = warmUp.stalls;
      for (let i = 0; i < iterations; i++) {
        await sample(ctx, server, rawId, samples, i);
        ctx.say(`  warm ${i + 1}/${iterations}: nslab ${samples.nslab.at(-1)?.toFixed(0)} ms`);
      }
    } finally {
      await removeAll(ctx.docker, ids);
    }
  });
  const terminals = lab.containers.filter((c) => c.terminal !== false).length;
  return {
    part: 'warm',
    title: 'Warm click-to-prompt (pool) against raw docker exec',
    method: `${iterations} samples of each, interleaved (the order rotates). nslab: POST /api/sessions served from a pool of ${POOLED} "${labId}" sessions, then every terminal's WebSocket (${terminals}, as the page opens them) until each shows its prompt; after each sample the session is ended and the pool refilled before the next. Raw: bash -l with a TTY in one already running container of the same plan, via \`docker exec -it\` (CLI in a pty from script(1)) and via the engine API (exec create + start, hijacked stream), until the prompt.`,
    figures: warmFigures(samples),
    notes:
      samples.stalls === 0
        ? []
        : [
            `After ${samples.stalls} of ${iterations + 1} claims the pool was not full again within ${REFILL_MS / 1000} s: its refill did not start (the next claim started it).`,
          ],
  };
};
