// Keystroke echo: one byte typed into bash's readline, timed until its echo comes back,
// through the gateway and through a raw exec stream into a container of the same plan, in
// turn. Typed at a typist's pace (a key every GAP_MS, faster than any typist and than key
// auto-repeat), which is what the goal is about; and a burst typed back to back (each key
// the moment the previous echo arrives), which is what a paste or a held key does.
import type { Figure, Part } from './context.ts';
import { withPair } from './part-stream.ts';
import type { ShellStream } from './shell-stream.ts';
import { percentiles, rotate, sleep, timed } from './stats.ts';

/** 80 keys a second: auto-repeat is about 30, a fast typist about 10. */
const GAP_MS = 12;
const BURST = 300;

/** Types one byte and waits for its echo. */
export async function keystroke(shell: ShellStream): Promise<number> {
  const mark = shell.bytes;
  const { ms } = await timed(async () => {
    shell.send('x');
    await shell.waitFor(() => shell.since(mark).includes('x'), 'the echo of x', 5_000);
  });
  return ms;
}

/** Ctrl-U empties the line every so often, so the line never wraps; its redraw is let pass. */
async function clearLine(shells: ShellStream[]): Promise<void> {
  for (const shell of shells) shell.send('\x15');
  await sleep(30);
}

interface Samples {
  gateway: number[];
  raw: number[];
}

async function type(
  shells: { gateway: ShellStream; raw: ShellStream },
  count: number,
  gapMs: number,
): Promise<Samples> {
  const samples: Samples = { gateway: [], raw: [] };
  for (let i = 0; i < count; i++) {
    for (const kind of rotate(['gateway', 'raw'] as const, i)) {
      samples[kind].push(await keystroke(shells[kind]));
      if (gapMs > 0) await sleep(gapMs);
    }
    if (i % 40 === 39) await clearLine([shells.gateway, shells.raw]);
  }
  await clearLine([shells.gateway, shells.raw]);
  return samples;
}

const ms = (name: string, label: string, value: number): Figure => ({
  name,
  label,
  value,
  unit: 'ms',
});

function echoFigures(typed: Samples, burst: Samples): Figure[] {
  const g = percentiles(typed.gateway);
  const r = percentiles(typed.raw);
  const bg = percentiles(burst.gateway);
  const br = percentiles(burst.raw);
  return [
    ms('echo_gateway_p50_ms', 'typed: echo through the gateway p50', g.p50),
    ms('echo_gateway_p99_ms', 'typed: echo through the gateway p99', g.p99),
    ms('echo_raw_p50_ms', 'typed: echo through raw exec p50', r.p50),
    ms('echo_raw_p99_ms', 'typed: echo through raw exec p99', r.p99),
    {
      ...ms('echo_added_p50_ms', 'typed: added by the gateway at p50', g.p50 - r.p50),
      goal: { op: '<=', target: 2 },
    },
    ms('echo_added_p99_ms', 'typed: added by the gateway at p99', g.p99 - r.p99),
    ms('echo_burst_gateway_p50_ms', 'back to back: echo through the gateway p50', bg.p50),
    ms('echo_burst_raw_p50_ms', 'back to back: echo through raw exec p50', br.p50),
    ms('echo_burst_added_p50_ms', 'back to back: added by the gateway at p50', bg.p50 - br.p50),
  ];
}

export const echoPart: Part = async (ctx) => {
  const count = ctx.options.echo;
  const { typed, burst } = await withPair(ctx, async (shells) => {
    await type(shells, 20, GAP_MS);
    return { typed: await type(shells, count, GAP_MS), burst: await type(shells, BURST, 0) };
  });
  return {
    part: 'echo',
    title: 'Keystroke echo through the gateway against a raw exec stream',
    method: `${count} keystrokes each, alternating (the order rotates), a key every ${GAP_MS} ms (80 a second: faster than any typist and than key auto-repeat): one byte sent into bash's readline at a prompt, timed until a chunk carrying its echo arrives; through nslab's WebSocket (first terminal of a "${ctx.options.lab}" session) and through an engine API exec stream (bash -l, TTY) into a container of the same plan. Then ${BURST} each back to back (the next key the moment the echo arrives, as a paste or a held key would), which the gateway's 5 ms output window batches. Ctrl-U every 40 keys keeps the line short.`,
    figures: echoFigures(typed, burst),
    notes: [],
  };
};
