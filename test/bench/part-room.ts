// A room starts at once: N learners (distinct names) press Start within a couple of seconds,
// each timed from their click to a prompt in every terminal. With the pool sized for the
// room (and full before the first click), then without any pool for contrast.
import type { ServerConfig } from '../../server/config.ts';
import type { BenchContext, Figure, Part } from './context.ts';
import { withServer } from './context.ts';
import { endLab, startLab, type LabSession } from './nslab-session.ts';
import { inBatches, percentiles, sleep, until } from './stats.ts';

interface RoomRun {
  starts: number[];
  posts: number[];
  errors: string[];
  fillSeconds: number;
}

async function room(
  ctx: BenchContext,
  config: Partial<ServerConfig>,
  pooled: boolean,
  tag: string,
): Promise<RoomRun> {
  const { room: n, roomSpreadMs: spread, lab } = ctx.options;
  return withServer(ctx, config, async (server) => {
    const filling = performance.now();
    if (pooled) {
      await until(
        async () => (await server.pool(lab)).ready >= n,
        `${n} pooled sessions`,
        600_000,
        250,
      );
      // The last provision's engine work settles before the room arrives.
      await sleep(2_000);
    }
    const fillSeconds = (performance.now() - filling) / 1000;
    const sessions: LabSession[] = [];
    const errors: string[] = [];
    await Promise.all(
      Array.from({ length: n }, async (_v, i) => {
        await sleep(Math.random() * spread);
        try {
          sessions.push(await startLab(server.api(`${tag}-learner-${i}`), lab));
        } catch (error) {
          errors.push(String(error));
        }
      }),
    );
    await inBatches(
      sessions.map((s) => () => endLab(s)),
      8,
    );
    return {
      starts: sessions.map((s) => s.startMs),
      posts: sessions.map((s) => s.postMs),
      errors,
      fillSeconds,
    };
  });
}

function roomFigures(
  n: number,
  prefix: string,
  what: string,
  run: RoomRun,
  goal: boolean,
): Figure[] {
  const s = percentiles(run.starts);
  return [
    { name: `${prefix}_p50_ms`, label: `${what}: start-to-prompt p50`, value: s.p50, unit: 'ms' },
    {
      name: `${prefix}_p95_ms`,
      label: `${what}: start-to-prompt p95`,
      value: s.p95,
      unit: 'ms',
      ...(goal ? { goal: { op: '<' as const, target: 1000 } } : {}),
    },
    { name: `${prefix}_max_ms`, label: `${what}: start-to-prompt max`, value: s.max, unit: 'ms' },
    {
      name: `${prefix}_post_p50_ms`,
      label: `${what}: POST /api/sessions alone p50`,
      value: percentiles(run.posts).p50,
      unit: 'ms',
    },
    {
      name: `${prefix}_errors`,
      label: `${what}: failed starts (of ${n})`,
      value: run.errors.length,
      unit: 'count',
    },
  ];
}

export const roomPart: Part = async (ctx) => {
  const { room: n, lab } = ctx.options;
  const caps = { maxSessions: n * 2 + 4, maxSessionsPerLearner: 3 };
  const pooled = await room(ctx, { ...caps, pool: { [lab]: n } }, true, 'pooled');
  ctx.say(`  room with the pool: ${pooled.starts.length}/${n} started`);
  const cold = await room(ctx, { ...caps, pool: 'off' }, false, 'cold');
  ctx.say(`  room without a pool: ${cold.starts.length}/${n} started`);
  const errors = [...pooled.errors, ...cold.errors];
  return {
    part: 'room',
    title: `The room: ${n} learners press Start within ${ctx.options.roomSpreadMs / 1000} s`,
    method: `${n} learners with distinct names, each clicking at a random moment within ${ctx.options.roomSpreadMs} ms, timed from their POST /api/sessions to a prompt in every terminal of "${lab}". First with NSLAB_POOL=${lab}=${n} (pool concurrency 2; the pool was full, after ${Math.round(pooled.fillSeconds)} s of filling, before the first click; claims start refills in the background while the room attaches), then with NSLAB_POOL=off.`,
    figures: [
      ...roomFigures(n, `room${n}`, `pool of ${n}`, pooled, true),
      ...roomFigures(n, `room${n}_nopool`, 'no pool', cold, false),
      {
        name: `room${n}_pool_fill_s`,
        label: `filling the pool of ${n} took`,
        value: pooled.fillSeconds,
        unit: 's',
      },
    ],
    notes:
      errors.length === 0 ? [] : [`Failed starts: ${[...new Set(errors)].slice(0, 5).join('; ')}`],
  };
};
