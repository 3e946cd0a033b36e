// Part 1: random and malformed frames, spread over connections that stay under the burst;
// then the fuzzed terminal must still attach and serve.
import { TerminalDriver } from '../../server/verify/terminal-driver.ts';
import { sleep } from '../load/stats.ts';
import { FrameSource } from './frames.ts';
import { FuzzSocket } from './fuzz-socket.ts';
import type { FrameStats, FuzzContext } from './fuzz-types.ts';
import { describeShell } from './shell-state.ts';

const SHELL_START_FAILED = /shell could not be started/;

interface Batch {
  errors: number;
  pongs: number;
}

/** Sends `size` frames from `source`, counting what each should bring back. */
function sendBatch(
  socket: FuzzSocket,
  source: FrameSource,
  size: number,
  stats: FrameStats,
): Batch {
  const batch = { errors: 0, pongs: 0 };
  for (let i = 0; i < size; i++) {
    const f = source.next();
    stats.byKind[f.kind] = (stats.byKind[f.kind] ?? 0) + 1;
    if (f.expect === 'error') batch.errors++;
    if (f.expect === 'pong') batch.pongs++;
    socket.send(f.data, f.binary);
    stats.sent++;
  }
  return batch;
}

async function fuzzOneConnection(
  ctx: FuzzContext,
  source: FrameSource,
  stats: FrameStats,
  limits: { total: number; perConnection: number },
  progress: (line: string) => void,
): Promise<void> {
  const name = 'isolated';
  const socket = new FuzzSocket(ctx.urlOf(name), ctx.auth);
  stats.connections++;
  await socket.ready();
  const batch = sendBatch(
    socket,
    source,
    Math.min(limits.perConnection, limits.total - stats.sent),
    stats,
  );
  // A last ping: its pong arrives after every answer to the frames before it.
  socket.send('{"type":"ping"}', false);
  batch.pongs++;
  await socket.until(() => socket.count('pong') >= batch.pongs, 60_000);
  const gotErrors = socket.count('error', SHELL_START_FAILED);
  stats.expectedErrors += batch.errors;
  stats.expectedPongs += batch.pongs;
  stats.receivedErrors += gotErrors;
  stats.receivedPongs += socket.count('pong');
  stats.shellExits += socket.count('exit');
  if (socket.close !== undefined)
    stats.unexpectedCloses.push(
      `connection ${stats.connections}: ${socket.close.code} ${socket.close.reason}`,
    );
  await socket.end();
  progress(
    `  frames ${stats.sent}/${limits.total}: connection ${stats.connections} (${name}) errors ${gotErrors}/${batch.errors} pongs ${socket.count('pong')}/${batch.pongs}, ${socket.outputBytes} bytes of shell output`,
  );
}

export async function fuzzRandomFrames(
  ctx: FuzzContext,
  limits: { total: number; perConnection: number },
  progress: (line: string) => void,
): Promise<FrameStats> {
  const source = new FrameSource(ctx.seed);
  const stats: FrameStats = {
    sent: 0,
    connections: 0,
    byKind: {},
    expectedErrors: 0,
    receivedErrors: 0,
    expectedPongs: 0,
    receivedPongs: 0,
    shellExits: 0,
    unexpectedCloses: [],
    ms: 0,
  };
  const started = performance.now();
  while (stats.sent < limits.total) await fuzzOneConnection(ctx, source, stats, limits, progress);
  const framesMs = performance.now() - started;
  checkFrameStats(ctx, stats);
  stats.ms = Math.round(framesMs);
  return stats;
}

function checkFrameStats(ctx: FuzzContext, stats: FrameStats): void {
  ctx.check(
    'random frames: one error control per malformed text frame',
    String(stats.expectedErrors),
    String(stats.receivedErrors),
    stats.expectedErrors === stats.receivedErrors,
  );
  ctx.check(
    'random frames: one pong per ping',
    String(stats.expectedPongs),
    String(stats.receivedPongs),
    stats.expectedPongs === stats.receivedPongs,
  );
  ctx.check(
    'random frames: no connection closed',
    'none',
    stats.unexpectedCloses.join('; ') || 'none',
    stats.unexpectedCloses.length === 0,
  );
}

/** The fuzzed terminal still attaches and serves: ready, pong, and its shell still prints. */
export async function fuzzedTerminalServes(ctx: FuzzContext): Promise<void> {
  const socket = new FuzzSocket(ctx.urlOf('isolated'), ctx.auth);
  await socket.ready();
  socket.send('{"type":"ping"}', false);
  const pong = await socket.until(() => socket.count('pong') > 0, 10_000);
  const before = socket.outputBytes;
  // Ctrl-C abandons whatever random line is half typed (the shell runs without XON/XOFF, so
  // a random Ctrl-S cannot stop its output: container-client.ts). A busy machine (CI beside
  // a VM under emulation) gets a second nudge: a terminal that is really dead stays silent
  // through both.
  const nudge = (): void => socket.send(Buffer.from('\x03\r'), true);
  nudge();
  let printed = await socket.until(() => socket.outputBytes > before, 10_000);
  if (!printed) {
    nudge();
    printed = await socket.until(() => socket.outputBytes > before, 20_000);
  }
  if (!printed)
    ctx.notes.push(
      `the silent fuzzed shell, seen from the host:\n${await describeShell(ctx.server.instance, ctx.targetId, 'isolated')}`,
    );
  ctx.check(
    'the fuzzed terminal afterwards: attach, ping, keystrokes',
    'ready, pong, shell output',
    `ready, ${pong ? 'pong' : 'no pong'}, ${printed ? 'shell output' : 'no output'}`,
    pong && printed,
  );
  await socket.end();
}

/**
 * Whether bash itself is still usable after random bytes is bash's business (a random byte
 * run can leave readline in any mode), so this is a note, not a check.
 */
export async function noteFuzzedBash(ctx: FuzzContext): Promise<void> {
  const driver = await TerminalDriver.open(ctx.urlOf('isolated'), {
    ...ctx.auth,
    timeoutMs: 30_000,
  });
  await driver.waitFor(() => driver.controls.some((c) => c.type === 'ready'), 'ready', 30_000);
  driver.send('\x03\x03\x15\r');
  await sleep(300);
  const out = await driver
    .run('echo fuzzed-$((6*7))', 10_000)
    .catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
  ctx.notes.push(
    out.split('\n').includes('fuzzed-42')
      ? 'the fuzzed bash still runs commands after Ctrl-C'
      : `the fuzzed bash did not run a command after Ctrl-C (random input left it in some mode): ${out.slice(0, 120)}`,
  );
  await driver.close();
}
