// Part 4: message rate and input flood. Thousands of frames at once close the socket with
// 1008 (burst 2000, 500/s); a flood into a program that never reads must be held back.
import type { ServerProcess } from '../support/server-process.ts';
import { sleep } from '../load/stats.ts';
import { FuzzSocket } from './fuzz-socket.ts';
import type { FuzzContext } from './fuzz-types.ts';

async function burstCase(
  ctx: FuzzContext,
  name: string,
  data: Buffer | string,
  binary: boolean,
): Promise<void> {
  const socket = new FuzzSocket(ctx.urlOf('host-uts'), ctx.auth);
  await socket.ready();
  for (let i = 0; i < 6_000; i++) socket.send(data, binary);
  const close = await socket.waitClosed(10_000);
  ctx.check(
    name,
    'close 1008',
    close === undefined ? 'no close' : `close ${close.code} "${close.reason}"`,
    close?.code === 1008,
  );
}

export async function fuzzBursts(ctx: FuzzContext): Promise<void> {
  await burstCase(ctx, '6000 frames in one burst', Buffer.from(' '), true);
  await burstCase(ctx, '6000 pings in one burst', '{"type":"ping"}', false);
  // The rate limit is per connection: a fresh one works at once.
  const after = new FuzzSocket(ctx.urlOf('host-uts'), ctx.auth);
  await after.ready();
  after.send('{"type":"ping"}', false);
  const ok = await after.until(() => after.count('pong') > 0, 5_000);
  ctx.check('a new connection after the burst', 'pong', ok ? 'pong' : 'nothing', ok);
  await after.end();
}

interface Flood {
  rssBefore: number;
  rssPeak: number;
  clientBacklog: number;
  offered: number;
}

/** 6 s of 60 KiB frames, as fast as the socket takes them, sampling both sides' memory. */
async function flood(server: ServerProcess, socket: FuzzSocket): Promise<Flood> {
  const rssBefore = server.rss() ?? 0;
  const seen = { rssBefore, rssPeak: rssBefore, clientBacklog: 0, offered: 0 };
  const chunk = Buffer.alloc(60 * 1024, 0x61);
  const floodStarted = performance.now();
  while (performance.now() - floodStarted < 6_000 && socket.close === undefined) {
    for (let i = 0; i < 20 && socket.ws.bufferedAmount < 8 * 1024 * 1024; i++) {
      socket.send(chunk, true);
      seen.offered += chunk.length;
    }
    seen.clientBacklog = Math.max(seen.clientBacklog, socket.ws.bufferedAmount);
    seen.rssPeak = Math.max(seen.rssPeak, server.rss() ?? 0);
    await sleep(100);
  }
  return seen;
}

/**
 * Input flood into a program that never reads its raw-mode terminal: the server must hold
 * the sender back (stop reading the socket) rather than buffer it all in memory.
 */
export async function fuzzInputFlood(ctx: FuzzContext): Promise<void> {
  const socket = new FuzzSocket(ctx.urlOf('host-uts'), ctx.auth);
  await socket.ready();
  // Non-canonical and silent: a cooked tty throws away what overflows a line that never
  // ends, so the writer is never blocked and whether a backlog shows was a race with the
  // kernel's discarding (0 MiB in one CI run). A raw-mode program that stops reading (a hung
  // full-screen tool) blocks the writer for certain: the worst case, and the one to test.
  socket.send(Buffer.from('stty -icanon -echo; sleep 600\r'), true);
  await sleep(500);
  const { rssBefore, rssPeak, clientBacklog, offered } = await flood(ctx.server, socket);
  const growth = rssPeak - rssBefore;
  ctx.check(
    'input flood into a program that does not read (6 s of 60 KiB frames)',
    'server RSS grows < 64 MiB; the sender is held back',
    `offered ${Math.round(offered / 1048576)} MiB, server RSS +${Math.round(growth / 1048576)} MiB, client-side backlog up to ${Math.round(clientBacklog / 1048576)} MiB${socket.close === undefined ? '' : `, closed ${socket.close.code}`}`,
    growth < 64 * 1024 * 1024 && clientBacklog > 1024 * 1024,
  );
  socket.ws.terminate();
}
