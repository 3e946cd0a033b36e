// The terminal as a learner uses it, through the gateway against a raw exec stream into a
// container of the same plan, both open at once and sampled in turn: output throughput (a
// 50 MB `cat`) here, keystroke echo in part-echo.ts.
import type { BenchContext, Part } from './context.ts';
import { withServer } from './context.ts';
import { endLab, startLab } from './nslab-session.ts';
import { apiRun, findLab, planLab, removeAll } from './raw-docker.ts';
import { RawShell } from './raw-shell.ts';
import type { ShellStream } from './shell-stream.ts';
import { median, mib, rotate, timed } from './stats.ts';

export interface Pair {
  gateway: ShellStream;
  raw: ShellStream;
}

/** One nslab session (its first terminal) and one raw bash in the same plan's container. */
export async function withPair<T>(ctx: BenchContext, body: (pair: Pair) => Promise<T>): Promise<T> {
  const lab = findLab(ctx.options.lab);
  return withServer(ctx, { pool: 'off', maxSessions: 10 }, async (server) => {
    const plan = planLab(lab, await server.deps(), ctx.instance, 'raw-stream').find(
      (p) => p.terminal,
    );
    if (plan === undefined) throw new Error(`lab "${lab.id}" has no terminal`);
    const id = await apiRun(ctx.docker, plan);
    const session = await startLab(server.api('stream'), lab.id);
    const raw = await RawShell.open(ctx.docker, id);
    try {
      await raw.waitForPrompt();
      const gateway = session.shells[0];
      if (gateway === undefined) throw new Error('the session has no terminal');
      return await body({ gateway, raw });
    } finally {
      await raw.close();
      await endLab(session);
      await removeAll(ctx.docker, [id]);
    }
  });
}

const FILE = '/tmp/bench-cat';

/** `cat` of the file, timed until a marker printed after it arrives; MiB/s of the file's bytes. */
async function catRate(shell: ShellStream, bytes: number): Promise<number> {
  const { ms } = await timed(() => shell.run(`cat ${FILE}`, 300_000));
  return mib(bytes) / (ms / 1000);
}

export const throughputPart: Part = async (ctx) => {
  const bytes = ctx.options.throughputMb * 1_000_000;
  const runs = ctx.options.throughputRuns;
  const rates = { gateway: [] as number[], raw: [] as number[] };
  await withPair(ctx, async ({ gateway, raw }) => {
    const make = `yes 'the quick brown fox jumps over the lazy dog 0123456789 ABCDEFGHIJ' | head -c ${bytes} > ${FILE}`;
    await Promise.all([gateway.run(make, 120_000), raw.run(make, 120_000)]);
    const shells = { gateway, raw };
    for (let i = 0; i < runs; i++) {
      for (const kind of rotate(['gateway', 'raw'] as const, i))
        rates[kind].push(await catRate(shells[kind], bytes));
      ctx.say(
        `  throughput ${i + 1}/${runs}: gateway ${rates.gateway.at(-1)?.toFixed(0)} MiB/s, raw ${rates.raw.at(-1)?.toFixed(0)} MiB/s`,
      );
    }
  });
  const g = median(rates.gateway);
  const r = median(rates.raw);
  return {
    part: 'throughput',
    title: 'Output throughput: a 50 MB cat through the gateway against raw exec',
    method: `A ${ctx.options.throughputMb} MB text file (lines of 69 bytes) made in /tmp first, then \`cat\` of it ${runs} times each way, alternating, timed until a marker printed after it arrives: through nslab's WebSocket (the bench reads as fast as it can, as a browser would) and through an engine API exec stream with a TTY into a container of the same plan. MiB/s of the file's bytes (the TTY adds a CR per line on both).`,
    figures: [
      {
        name: 'throughput_gateway_mib_s',
        label: 'cat through the gateway',
        value: g,
        unit: 'MiB/s',
      },
      { name: 'throughput_raw_mib_s', label: 'cat through raw exec', value: r, unit: 'MiB/s' },
      {
        name: 'throughput_vs_exec',
        label: 'gateway / raw exec',
        value: g / r,
        unit: 'x',
        goal: { op: '>=', target: 0.8 },
      },
    ],
    notes: [],
  };
};
