// Capacity: how many idle sessions this machine holds before a new learner's start-to-prompt
// doubles, and what each idle session costs the server (RSS after a GC, containers excluded:
// they are the engine's processes, not the server's). Sessions are added a step at a time,
// each held open with its terminals attached and nobody typing, up to a cap.
import type { Figure, Part } from './context.ts';
import { withServer } from './context.ts';
import { endLab, startLab, type LabSession } from './nslab-session.ts';
import type { ServerMemory } from './bench-server.ts';
import type { BenchServer } from './server-child.ts';
import { inBatches, kib, median, mib, round, sleep } from './stats.ts';

const PROBES = 3;
/** The no-session figure everything is compared with: more starts, so one slow one cannot set it. */
const BASELINE_PROBES = 5;

interface Step {
  held: number;
  startMs: number;
  /** The server's RSS, and its V8 heap + external (Buffers): the part GC does not blur. */
  rss: number;
  heap: number;
}

const heapOf = (m: ServerMemory): number => m.heapUsed + m.external;

/** A new learner's start-to-prompt now: the median of a few starts, each ended again. */
async function probe(
  server: BenchServer,
  lab: string,
  tag: string,
  count = PROBES,
): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const session = await startLab(server.api(`probe-${tag}-${i}`), lab);
    samples.push(session.startMs);
    await endLab(session);
    await sleep(200);
  }
  return median(samples);
}

/** `count` sessions, four starting at once, as a room's stragglers would. */
function startStep(
  server: BenchServer,
  lab: string,
  tag: string,
  count: number,
): Promise<LabSession[]> {
  const jobs = Array.from(
    { length: count },
    (_v, i) => () => startLab(server.api(`${tag}-${i}`), lab),
  );
  return inBatches(jobs, 4);
}

async function climb(
  server: BenchServer,
  ctx: Parameters<Part>[0],
  held: LabSession[],
): Promise<Climb> {
  const { capacityStep: step, capacityMax: max, lab } = ctx.options;
  // The probes and a step's worth of sessions started together and ended first: the server's
  // one-time allocations (code paths, JIT, start-up garbage V8 has yet to give back) are
  // not a session's.
  const baseline = await probe(server, lab, 'base', BASELINE_PROBES);
  await startStep(server, lab, 'warmup', step).then((warm) =>
    inBatches(
      warm.map((s) => () => endLab(s)),
      8,
    ),
  );
  await sleep(3_000);
  const base = await server.memory();
  ctx.say(
    `  capacity: 0 held, start-to-prompt ${baseline.toFixed(0)} ms, RSS ${mib(base.rss).toFixed(0)} MiB`,
  );
  const steps: Step[] = [];
  while (held.length < max) {
    const from = held.length;
    const more = Math.min(step, max - from);
    held.push(...(await startStep(server, lab, `idle-${from}`, more)));
    await sleep(1_000);
    let startMs = await probe(server, lab, String(held.length));
    // A doubling is confirmed by a second round before it counts: others' work comes and goes.
    if (startMs >= 2 * baseline) startMs = await probe(server, lab, `${held.length}-again`);
    await sleep(1_000);
    const memory = await server.memory();
    steps.push({ held: held.length, startMs, rss: memory.rss, heap: heapOf(memory) });
    ctx.say(
      `  capacity: ${held.length} held, start-to-prompt ${startMs.toFixed(0)} ms, RSS ${mib(memory.rss).toFixed(0)} MiB, heap ${mib(heapOf(memory)).toFixed(0)} MiB`,
    );
    if (startMs >= 2 * baseline) break;
  }
  return { baseline, steps, base };
}

interface Climb {
  baseline: number;
  steps: Step[];
  base: ServerMemory;
}

/**
 * Server memory per idle session, at the margin: the least-squares slope of memory against
 * sessions held, over every step but the no-session one, so the server's start-up memory
 * (which V8 and malloc hand back at their own pace, 10 MiB up or down within the first
 * minute) and one step's GC timing do not decide it, as the two end points alone would.
 * With one step, against the no-session figure.
 */
function perSession(climb: Climb, of: (s: Pick<Step, 'rss' | 'heap'>) => number): number {
  const base = { held: 0, rss: climb.base.rss, heap: heapOf(climb.base) };
  const points = climb.steps.length > 1 ? climb.steps : [base, ...climb.steps];
  if (points.length < 2) return NaN;
  const meanX = points.reduce((sum, p) => sum + p.held, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + of(p), 0) / points.length;
  const covariance = points.reduce((sum, p) => sum + (p.held - meanX) * (of(p) - meanY), 0);
  const variance = points.reduce((sum, p) => sum + (p.held - meanX) ** 2, 0);
  return kib(covariance / variance);
}

function capacityFigures(climb: Climb): Figure[] {
  const { baseline, steps } = climb;
  const last = steps.at(-1);
  const doubled = last !== undefined && last.startMs >= 2 * baseline;
  const held = last?.held ?? 0;
  const span = steps.length > 1 ? `${steps[0]?.held ?? 0} to ${held} held` : `${held} held`;
  return [
    {
      name: 'capacity_baseline_ms',
      label: 'start-to-prompt with no session held',
      value: baseline,
      unit: 'ms',
    },
    {
      name: 'capacity_sessions',
      label: doubled
        ? 'idle sessions held before start-to-prompt doubled'
        : 'idle sessions held, start-to-prompt never doubled (the cap)',
      value: doubled ? (steps.at(-2)?.held ?? 0) : held,
      unit: 'sessions',
    },
    {
      name: 'capacity_last_start_ms',
      label: `start-to-prompt with ${held} held`,
      value: last?.startMs ?? NaN,
      unit: 'ms',
    },
    {
      name: 'session_rss_kib',
      label: `server RSS per idle session (${span})`,
      value: perSession(climb, (s) => s.rss),
      unit: 'KiB',
      goal: { op: '<=', target: 1024 },
    },
    {
      name: 'session_heap_kib',
      label: `server heap + buffers per idle session (${span})`,
      value: perSession(climb, (s) => s.heap),
      unit: 'KiB',
    },
  ];
}

function capacityTable({ baseline, steps, base }: Climb): string {
  return [
    '| sessions held | start-to-prompt (median of 3) | server RSS | heap + buffers |',
    '| --- | --- | --- | --- |',
    `| 0 | ${round(baseline)} ms | ${round(mib(base.rss))} MiB | ${round(mib(heapOf(base)))} MiB |`,
    ...steps.map(
      (s) =>
        `| ${s.held} | ${round(s.startMs)} ms | ${round(mib(s.rss))} MiB | ${round(mib(s.heap))} MiB |`,
    ),
  ].join('\n');
}

export const capacityPart: Part = async (ctx) => {
  const { capacityStep: step, capacityMax: max, lab } = ctx.options;
  const held: LabSession[] = [];
  const climbed = await withServer(
    ctx,
    { pool: 'off', maxSessions: max + 10, maxSessionsPerLearner: 3 },
    async (server) => {
      try {
        return await climb(server, ctx, held);
      } finally {
        await inBatches(
          held.map((s) => () => endLab(s)),
          8,
        );
      }
    },
  );
  return {
    part: 'capacity',
    title: 'Capacity: idle sessions held before start-to-prompt doubles',
    method: `"${lab}" sessions added ${step} at a time (4 starting at once) up to ${max}, each held with its terminals attached and nobody typing. After each step: a new learner's start-to-prompt (median of ${PROBES} starts, each ended again, no pool; the no-session figure is the median of ${BASELINE_PROBES}, and a step at twice that is probed again before it counts) and the server's RSS after a full GC (node --expose-gc). Stops when start-to-prompt reaches twice the no-session figure, or at the cap. Per-session memory is the growth from the first step to the last divided by the sessions added in between (at the margin, so the server's start-up memory, which V8 and malloc give back at their own pace, cancels out); containers are the engine's processes and are not counted.`,
    figures: capacityFigures(climbed),
    notes: [capacityTable(climbed)],
  };
};
