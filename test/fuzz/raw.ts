// Talking to the server below the libraries: HTTP requests whose path is sent exactly as
// written (no `..` normalisation, which fetch and the ws client both do), WebSocket upgrades
// by hand, and hand-built frames that break the protocol in ways a real client never would.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request, path verbatim. A body the server refuses early may fail to send: fine. */
export function rawRequest(
  origin: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer | string,
): Promise<RawResponse> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname,
      port: url.port,
      method,
      path,
      headers: {
        ...headers,
        ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
      },
    });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', (error) => {
      // EPIPE/ECONNRESET while still sending a body the server already refused.
      if (!answered) setTimeout(() => reject(error), 2_000);
    });
    req.setTimeout(30_000, () => req.destroy(new Error('request timed out')));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export interface FrameOptions {
  opcode: number;
  fin?: boolean;
  rsv?: number;
  mask?: boolean;
  /** Declare this length in the header instead of the payload's (payload still sent). */
  declaredLength?: bigint;
}

/** A client-to-server WebSocket frame, masked unless told otherwise. */
export function frame(payload: Buffer, options: FrameOptions): Buffer {
  const { opcode, fin = true, rsv = 0, mask = true } = options;
  const length = options.declaredLength ?? BigInt(payload.length);
  const head: number[] = [(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f)];
  const maskBit = mask ? 0x80 : 0;
  let ext = Buffer.alloc(0);
  if (length < 126n) {
    head.push(maskBit | Number(length));
  } else if (length < 65536n) {
    head.push(maskBit | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(Number(length));
  } else {
    head.push(maskBit | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(length);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), ext, payload]);
  const key = randomBytes(4);
  const masked = Buffer.from(payload);
  for (let i = 0; i < masked.length; i++) masked[i] = (masked[i] ?? 0) ^ (key[i % 4] ?? 0);
  return Buffer.concat([Buffer.from(head), ext, key, masked]);
}

export interface RawWsOutcome {
  /** The HTTP status of the upgrade (101 when accepted). */
  status: number;
  /** The code of the server's close frame, if it sent one. */
  closeCode: number | undefined;
  closeReason: string;
  /** The socket ended (either side) within the time allowed. */
  ended: boolean;
}

/** The HTTP request that asks for a WebSocket upgrade, with `headers` as given. */
function upgradeRequest(url: URL, path: string, headers: Record<string, string>): string {
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: ${url.host}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** The first whole server frame (unmasked) in `buffer`, or undefined until it has arrived. */
function serverFrame(buffer: Buffer): { opcode: number; body: Buffer; rest: Buffer } | undefined {
  if (buffer.length < 2) return undefined;
  const opcode = (buffer[0] ?? 0) & 0x0f;
  let length = (buffer[1] ?? 0) & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return undefined;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return undefined;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  if (buffer.length < offset + length) return undefined;
  return {
    opcode,
    body: buffer.subarray(offset, offset + length),
    rest: buffer.subarray(offset + length),
  };
}

/**
 * Upgrades by hand, then writes `payload` (already framed) and reads the server's frames
 * until its close frame or the end of the socket.
 */
export function rawWebSocket(
  origin: string,
  path: string,
  headers: Record<string, string>,
  payload?: Buffer,
  timeoutMs = 5_000,
): Promise<RawWsOutcome> {
  const url = new URL(origin);
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname);
    let buffer: Buffer = Buffer.alloc(0);
    let status = 0;
    let closeCode: number | undefined;
    let closeReason = '';
    let finished = false;
    const finish = (ended: boolean): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ status, closeCode, closeReason, ended });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('connect', () => socket.write(upgradeRequest(url, path, headers)));
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (status === 0) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end === -1) return;
        status = Number(
          /^HTTP\/1\.1 (\d{3})/.exec(buffer.subarray(0, end).toString('latin1'))?.[1] ?? 0,
        );
        buffer = buffer.subarray(end + 4);
        if (status !== 101) return finish(true);
        if (payload !== undefined) socket.write(payload, () => undefined);
      }
      // Server frames are unmasked: walk them until a close frame.
      for (;;) {
        const next = serverFrame(buffer);
        if (next === undefined) return;
        const { opcode, body } = next;
        buffer = next.rest;
        if (opcode === 0x8) {
          closeCode = body.length >= 2 ? body.readUInt16BE(0) : 1005;
          closeReason = body.subarray(2).toString('utf8');
          return finish(true);
        }
      }
    });
  });
}
