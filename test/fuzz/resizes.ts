// Resizes into a clean shell (the other terminal): random ones, then the extremes. Every
// size is clamped before it reaches the TTY.
import { TerminalDriver } from '../../server/verify/terminal-driver.ts';
import { sleep } from '../load/stats.ts';
import { FrameSource } from './frames.ts';
import type { FuzzContext } from './fuzz-types.ts';

const EXTREMES = [
  ['resize to 1e9 x -5', '{"type":"resize","cols":1e9,"rows":-5}', '3 500'],
  ['resize to NaN (not JSON): size unchanged', '{"type":"resize","cols":NaN,"rows":NaN}', '3 500'],
  ['resize to -1e9 x 1e308', '{"type":"resize","cols":-1e9,"rows":1e308}', '200 10'],
  [
    'resize to 1e999 (Infinity): size unchanged',
    '{"type":"resize","cols":1e999,"rows":1}',
    '200 10',
  ],
  ['resize to 0.4 x 79.5', '{"type":"resize","cols":79.5,"rows":0.4}', '3 80'],
] as const;

const sttySize = async (driver: TerminalDriver): Promise<string | undefined> =>
  (await driver.run('stty size', 20_000)).split('\n').find((l) => /^\d+ \d+$/.test(l));

async function randomResizes(ctx: FuzzContext, driver: TerminalDriver): Promise<void> {
  const resizes = new FrameSource(ctx.seed + 1);
  let sentResizes = 0;
  while (sentResizes < 1_000) {
    const f = resizes.next();
    if (f.binary || !/resize|digit run/.test(f.kind)) continue;
    driver.sendRawControl(f.data as string);
    sentResizes++;
  }
  await sleep(1_000);
  const size = await sttySize(driver);
  const [rows = -1, cols = -1] = (size ?? '').split(' ').map(Number);
  ctx.check(
    'the TTY size after 1000 random resizes',
    'within 3-200 rows, 10-500 columns',
    size ?? 'no size',
    rows >= 3 && rows <= 200 && cols >= 10 && cols <= 500,
  );
}

export async function fuzzResizes(ctx: FuzzContext): Promise<void> {
  const driver = await TerminalDriver.open(ctx.urlOf('host-uts'), {
    ...ctx.auth,
    timeoutMs: 30_000,
  });
  await driver.waitFor(() => driver.controls.some((c) => c.type === 'ready'), 'ready', 30_000);
  await driver.waitForPrompt(30_000);
  await randomResizes(ctx, driver);
  for (const [label, resize, expected] of EXTREMES) {
    driver.sendRawControl(resize);
    await sleep(300);
    const got = await sttySize(driver);
    ctx.check(label, expected, got ?? 'no size', got === expected);
  }
  await driver.close();
}
