// Cold click-to-prompt (no pool) against raw Docker making THE SAME containers: the lab's
// plan, created with `docker run -d` and the lab's flags (CLI) or with nslab's own create
// options (engine API), all of the lab's containers at once as nslab starts them, then bash
// with a TTY in each terminal container until every prompt shows, as the page waits for them.
import type { ContainerPlan } from '../../server/plans/container-plan.ts';
import type { BenchContext, Figure, Part } from './context.ts';
import { withServer } from './context.ts';
import { endLab, startLab } from './nslab-session.ts';
import {
  apiRun,
  dockerCli,
  dockerRunArgs,
  findLab,
  hostConfigDiff,
  planLab,
  removeAll,
} from './raw-docker.ts';
import { CliShell, RawShell } from './raw-shell.ts';
import type { ShellStream } from './shell-stream.ts';
import type { BenchServer, ServerDeps } from './server-child.ts';
import { median, rotate, sleep, timed } from './stats.ts';

type Kind = 'nslab' | 'cli' | 'api';

/** Raw: every container at once, then a shell in each terminal container, to every prompt. */
async function rawToPrompt(
  ctx: BenchContext,
  plans: ContainerPlan[],
  run: (plan: ContainerPlan) => Promise<string>,
  shell: (id: string) => Promise<ShellStream>,
): Promise<{ ms: number; ids: string[] }> {
  const ids: string[] = [];
  const shells: ShellStream[] = [];
  try {
    const { ms } = await timed(async () => {
      ids.push(...(await Promise.all(plans.map(run))));
      const terminals = ids.filter((_id, i) => plans[i]?.terminal === true);
      shells.push(...(await Promise.all(terminals.map(shell))));
      await Promise.all(shells.map((s) => s.waitForPrompt()));
    });
    return { ms, ids };
  } finally {
    await Promise.all(shells.map((s) => s.close()));
    await removeAll(ctx.docker, ids);
  }
}

function runner(ctx: BenchContext, server: BenchServer, deps: ServerDeps, labId: string) {
  const lab = findLab(labId);
  let n = 0;
  const plans = (): ContainerPlan[] => planLab(lab, deps, ctx.instance, `raw-${labId}-${n++}`);
  return {
    nslab: async () => {
      const session = await startLab(server.api(`cold-${n++}`), labId);
      await endLab(session);
      return session.startMs;
    },
    cli: async () =>
      (
        await rawToPrompt(
          ctx,
          plans(),
          (p) => dockerCli(dockerRunArgs(p)),
          (id) => Promise.resolve(CliShell.open(id)),
        )
      ).ms,
    api: async () =>
      (
        await rawToPrompt(
          ctx,
          plans(),
          (p) => apiRun(ctx.docker, p),
          (id) => RawShell.open(ctx.docker, id),
        )
      ).ms,
    plans,
  };
}

/** The lab's container and the CLI's copy of it, compared field by field on the engine. */
async function sameContainers(
  ctx: BenchContext,
  server: BenchServer,
  labId: string,
  plans: ContainerPlan[],
): Promise<string> {
  const session = await startLab(server.api('cold-compare'), labId);
  const raw = await Promise.all(plans.map((p) => dockerCli(dockerRunArgs(p))));
  try {
    const filters = { label: [`nslab.session=${session.view.id}`] };
    const mine = await ctx.docker.listContainers({ all: true, filters });
    const diffs = await Promise.all(
      plans.map(async (plan, i) => {
        const own = mine.find((c) => c.Labels['nslab.container'] === plan.name);
        if (own === undefined) return [`${plan.name}: not found in the session`];
        return (await hostConfigDiff(ctx.docker, own.Id, raw[i] ?? '')).map(
          (d) => `${plan.name} ${d}`,
        );
      }),
    );
    const flat = diffs.flat();
    return flat.length === 0
      ? `The raw \`docker run -d\` containers of "${labId}" match the lab's on init, memory, memory+swap, pids, CPUs, network, UTS/PID/IPC modes, capabilities, security options, read-only root, log config and hostname (docker inspect).`
      : `The raw containers of "${labId}" differ from the lab's: ${flat.join('; ')}`;
  } finally {
    await endLab(session);
    await removeAll(ctx.docker, raw);
  }
}

async function measureLab(ctx: BenchContext, server: BenchServer, deps: ServerDeps, labId: string) {
  const run = runner(ctx, server, deps, labId);
  const note = await sameContainers(ctx, server, labId, run.plans());
  // A warm-up of each: the first exec and the first CLI start are not what this measures.
  for (const kind of ['nslab', 'cli', 'api'] as const) await run[kind]();
  const samples: Record<Kind, number[]> = { nslab: [], cli: [], api: [] };
  for (let i = 0; i < ctx.options.iterations; i++) {
    for (const kind of rotate(['nslab', 'cli', 'api'] as const, i)) {
      samples[kind].push(await run[kind]());
      await sleep(300);
    }
    ctx.say(
      `  cold ${labId} ${i + 1}/${ctx.options.iterations}: nslab ${samples.nslab.at(-1)?.toFixed(0)} ms, run+exec ${samples.cli.at(-1)?.toFixed(0)} ms, API ${samples.api.at(-1)?.toFixed(0)} ms`,
    );
  }
  return { note, nslab: median(samples.nslab), cli: median(samples.cli), api: median(samples.api) };
}

function labFigures(
  labId: string,
  count: number,
  r: { nslab: number; cli: number; api: number },
  headline: boolean,
): Figure[] {
  const key = labId.replaceAll('-', '_');
  const what = `${labId} (${count} container${count === 1 ? '' : 's'})`;
  return [
    {
      name: `cold_${key}_p50_ms`,
      label: `${what}: cold click-to-prompt p50`,
      value: r.nslab,
      unit: 'ms',
    },
    {
      name: `raw_run_exec_${key}_p50_ms`,
      label: `${what}: raw docker run -d + docker exec -it p50`,
      value: r.cli,
      unit: 'ms',
    },
    {
      name: `raw_api_${key}_p50_ms`,
      label: `${what}: raw engine API create+start+exec p50`,
      value: r.api,
      unit: 'ms',
    },
    {
      // The first lab's is the headline, under the name the issue gave it.
      name: headline ? 'cold_vs_run' : `cold_vs_run_${key}`,
      label: `${what}: cold / raw run + exec`,
      value: r.nslab / r.cli,
      unit: 'x',
      goal: { op: '<=', target: 1.1 },
    },
    {
      name: `cold_vs_api_${key}`,
      label: `${what}: cold / raw engine API`,
      value: r.nslab / r.api,
      unit: 'x',
      goal: { op: '<=', target: 1.1 },
    },
  ];
}

export const coldPart: Part = async (ctx) => {
  const figures: Figure[] = [];
  const notes: string[] = [];
  await withServer(ctx, { pool: 'off', maxSessions: 20 }, async (server) => {
    const deps = await server.deps();
    for (const [i, labId] of ctx.options.coldLabs.entries()) {
      const r = await measureLab(ctx, server, deps, labId);
      notes.push(r.note);
      figures.push(...labFigures(labId, findLab(labId).containers.length, r, i === 0));
    }
  });
  return {
    part: 'cold',
    title: 'Cold click-to-prompt (no pool) against raw docker run + exec of the same containers',
    method: `${ctx.options.iterations} samples of each per lab, interleaved (the order rotates), after one warm-up of each. nslab (NSLAB_POOL=off): POST /api/sessions, then every terminal's WebSocket until each prompt. Raw CLI: \`docker run -d\` with the lab's flags for every container of the lab's plan at once, then \`docker exec -it <c> bash -l\` (in a pty from script(1)) in each terminal container until every prompt. Raw API: the same plan created and started with nslab's own create options, then exec bash -l with a TTY in each terminal container. Labs: ${ctx.options.coldLabs.join(', ')}; cold_vs_run is the first.`,
    figures,
    notes,
  };
};
