// A truncated frame (part 1's end), frame sizes (part 2) and protocol violations written by
// hand (part 3).
import { FuzzSocket } from './fuzz-socket.ts';
import type { FuzzContext } from './fuzz-types.ts';
import { frame, rawWebSocket } from './raw.ts';

/** A frame cut off mid-way, then the connection drops: nothing to answer, nothing to break. */
export async function fuzzTruncatedFrame(ctx: FuzzContext): Promise<void> {
  const half = frame(Buffer.from('{"type":"ping"}'), { opcode: 0x1 }).subarray(0, 7);
  const outcome = await rawWebSocket(
    ctx.server.origin,
    ctx.terminalPath.replace('isolated', 'host-uts'),
    ctx.good,
    half,
    1_000,
  );
  const after = new FuzzSocket(ctx.urlOf('host-uts'), ctx.auth);
  await after.ready();
  after.send('{"type":"ping"}', false);
  const ok = await after.until(() => after.count('pong') > 0, 5_000);
  ctx.check(
    'a truncated frame, then hang up; the next connection',
    'pong',
    `${outcome.status} then ${ok ? 'pong' : 'nothing'}`,
    outcome.status === 101 && ok,
  );
  await after.end();
}

async function sizeCase(
  ctx: FuzzContext,
  name: string,
  data: Buffer | string,
  binary: boolean,
  expectClose: number | undefined,
): Promise<void> {
  const socket = new FuzzSocket(ctx.urlOf('host-uts'), ctx.auth);
  await socket.ready();
  socket.send(data, binary);
  let observed: string;
  if (expectClose === undefined) {
    socket.send('{"type":"ping"}', false);
    const ok = await socket.until(() => socket.count('pong') > 0, 10_000);
    observed = ok ? 'stays open (pong)' : `closed ${socket.close?.code}`;
    ctx.check(name, 'stays open', observed, ok);
  } else {
    const close = await socket.waitClosed(20_000);
    observed = close === undefined ? 'no close' : `close ${close.code}`;
    ctx.check(name, `close ${expectClose}`, observed, close?.code === expectClose);
  }
  await socket.end();
}

/** 2. Frame sizes: the limit is 64 KiB; above it the server closes with 1009. */
export async function fuzzFrameSizes(ctx: FuzzContext): Promise<void> {
  await sizeCase(
    ctx,
    'binary frame of exactly 64 KiB',
    Buffer.alloc(64 * 1024, 0x20),
    true,
    undefined,
  );
  await sizeCase(ctx, 'binary frame of 64 KiB + 1', Buffer.alloc(64 * 1024 + 1, 0x20), true, 1009);
  await sizeCase(ctx, 'binary frame of 10 MB', Buffer.alloc(10 * 1024 * 1024, 0x41), true, 1009);
  await sizeCase(ctx, 'text frame of 10 MB', 'x'.repeat(10 * 1024 * 1024), false, 1009);
}

async function rawCase(
  ctx: FuzzContext,
  name: string,
  payload: Buffer,
  expectClose: number,
): Promise<void> {
  const outcome = await rawWebSocket(
    ctx.server.origin,
    ctx.terminalPath.replace('isolated', 'host-uts'),
    ctx.good,
    payload,
  );
  const observed =
    outcome.status !== 101
      ? `HTTP ${outcome.status}`
      : outcome.closeCode === undefined
        ? `no close frame (ended ${outcome.ended})`
        : `close ${outcome.closeCode} "${outcome.closeReason}"`;
  ctx.check(name, `close ${expectClose}`, observed, outcome.closeCode === expectClose);
}

const ping = Buffer.from('{"type":"ping"}');

/** 3. Protocol violations written by hand: [name, the bytes, the close code expected]. */
const violations = (): readonly (readonly [string, Buffer, number])[] => [
  [
    'text frame with invalid UTF-8',
    frame(Buffer.from([0x7b, 0xc3, 0x28, 0xff, 0xfe, 0x7d]), { opcode: 0x1 }),
    1007,
  ],
  ['unmasked client frame', frame(ping, { opcode: 0x1, mask: false }), 1002],
  ['reserved opcode 0x3', frame(ping, { opcode: 0x3 }), 1002],
  ['reserved opcode 0xB (control)', frame(Buffer.alloc(0), { opcode: 0xb }), 1002],
  ['RSV1 set without an extension', frame(ping, { opcode: 0x1, rsv: 4 }), 1002],
  ['fragmented ping (FIN clear)', frame(Buffer.from('x'), { opcode: 0x9, fin: false }), 1002],
  ['ping with a 126-byte payload', frame(Buffer.alloc(126), { opcode: 0x9 }), 1002],
  ['continuation frame with nothing to continue', frame(ping, { opcode: 0x0 }), 1002],
  ['close frame with invalid code 999', frame(Buffer.from([0x03, 0xe7]), { opcode: 0x8 }), 1002],
  ['close frame with a 1-byte body', frame(Buffer.from([0x03]), { opcode: 0x8 }), 1002],
  [
    'header declaring 10 MB, body never sent',
    frame(Buffer.alloc(0), { opcode: 0x2, declaredLength: 10_000_000n }),
    1009,
  ],
  [
    'header declaring 2^63 bytes',
    frame(Buffer.alloc(0), { opcode: 0x2, declaredLength: 2n ** 63n }),
    1009,
  ],
  [
    'header declaring 2^53 bytes',
    frame(Buffer.alloc(0), { opcode: 0x2, declaredLength: 2n ** 53n }),
    1009,
  ],
];

export async function fuzzProtocolViolations(ctx: FuzzContext): Promise<void> {
  for (const [name, payload, expectClose] of violations())
    await rawCase(ctx, name, payload, expectClose);
}
