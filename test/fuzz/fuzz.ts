// Bad input against a running server: 10k random and malformed terminal frames, oversized
// frames, protocol violations by hand, foreign origins, missing tokens, traversal in every
// id the server takes, oversized bodies and rate-limit bursts. Each case states what the
// server must answer; a bystander learner's terminal is typed into throughout and must keep
// answering. Problems are collected so the report shows everything.
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { parseServerControl, type ServerControl } from '../../server/protocol/terminal-messages.ts';
import { TerminalDriver } from '../../server/verify/terminal-driver.ts';
import type { TerminalAuth } from '../../server/protocol/api-client.ts';
import { apiPath, rawApiPath } from '../../server/protocol/routes.ts';
import type { ServerProcess } from '../support/server-process.ts';
import { sleep, summarize, type Summary } from '../load/stats.ts';
import { FrameSource, type FuzzFrame } from './frames.ts';
import { describeShell } from './shell-state.ts';
import { frame, rawRequest, rawWebSocket, type RawResponse } from './raw.ts';

export interface FuzzCase {
  name: string;
  expected: string;
  observed: string;
  ok: boolean;
}

export interface FuzzReport {
  seed: number;
  frames: {
    sent: number;
    connections: number;
    byKind: Record<string, number>;
    expectedErrors: number;
    receivedErrors: number;
    expectedPongs: number;
    receivedPongs: number;
    shellExits: number;
    unexpectedCloses: string[];
    ms: number;
  };
  cases: FuzzCase[];
  bystander: { probes: number; failures: string[]; baseline: Summary; during: Summary };
  serverAlive: boolean;
  serverErrorLines: string[];
  notes: string[];
  problems: string[];
}

export interface FuzzOptions {
  frames?: number;
  seed?: number;
  /** Frames per connection: under the per-connection burst (2000) so only the burst test trips 1008. */
  framesPerConnection?: number;
  onProgress?: (line: string) => void;
}

/** A terminal WebSocket that counts what comes back and never throws on a broken socket. */
class FuzzSocket {
  readonly controls: ServerControl[] = [];
  outputBytes = 0;
  close: { code: number; reason: string } | undefined;
  readonly ws: WebSocket;
  private readonly opened: Promise<void>;

  constructor(url: string, auth: TerminalAuth) {
    const ws = new WebSocket(url, {
      headers: { ...auth.headers, origin: auth.origin },
      handshakeTimeout: 30_000,
    });
    this.ws = ws;
    ws.on('error', () => undefined);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        this.outputBytes += data.length;
        return;
      }
      const parsed = parseServerControl(data.toString('utf8'));
      if (parsed.ok) this.controls.push(parsed.value);
    });
    ws.on('close', (code, reason) => {
      this.close = { code, reason: reason.toString() };
    });
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)),
      );
      ws.once('error', reject);
    });
  }

  async ready(): Promise<void> {
    await this.opened;
    await this.until(() => this.controls.some((c) => c.type === 'ready'), 30_000);
  }

  count(type: ServerControl['type'], not?: RegExp): number {
    return this.controls.filter(
      (c) => c.type === type && (not === undefined || !(c.type === 'error' && not.test(c.message))),
    ).length;
  }

  send(data: Buffer | string, binary: boolean): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data, { binary });
  }

  async until(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (!predicate()) {
      if (performance.now() > deadline || this.close !== undefined) return predicate();
      await sleep(10);
    }
    return true;
  }

  async waitClosed(timeoutMs: number): Promise<{ code: number; reason: string } | undefined> {
    await this.until(() => this.close !== undefined, timeoutMs);
    return this.close;
  }

  async end(): Promise<void> {
    if (this.close !== undefined) return;
    this.ws.close(1000);
    if ((await this.waitClosed(5_000)) === undefined) this.ws.terminate();
  }
}

const SHELL_START_FAILED = /shell could not be started/;

export async function runFuzz(
  server: ServerProcess,
  options: FuzzOptions = {},
): Promise<FuzzReport> {
  const seed = options.seed ?? randomBytes(4).readUInt32BE(0);
  const total = options.frames ?? 10_000;
  const perConnection = options.framesPerConnection ?? 1_500;
  const progress = options.onProgress ?? (() => undefined);
  const problems: string[] = [];
  const notes: string[] = [];
  const cases: FuzzCase[] = [];
  const check = (name: string, expected: string, observed: string, ok: boolean): void => {
    cases.push({ name, expected, observed, ok });
    if (!ok) problems.push(`${name}: expected ${expected}, observed ${observed}`);
  };

  // The bystander: another learner, typing throughout. It must keep answering.
  const bystanderApi = server.api('fuzz-bystander-learner');
  const bystanderSession = await bystanderApi.startSession('uts');
  const bystander = await TerminalDriver.open(
    bystanderApi.terminalUrl(bystanderSession.id, 'isolated'),
    {
      ...bystanderApi.terminalAuth,
      timeoutMs: 30_000,
    },
  );
  await bystander.waitForPrompt(60_000);
  const baseline: number[] = [];
  const during: number[] = [];
  const bystanderFailures: string[] = [];
  let probe = 0;
  const probeOnce = async (into: number[]): Promise<void> => {
    probe++;
    const started = performance.now();
    try {
      const out = await bystander.run(`echo bystander-${probe}`, 10_000);
      if (out !== `bystander-${probe}`)
        bystanderFailures.push(`probe ${probe} printed ${JSON.stringify(out)}`);
      into.push(performance.now() - started);
    } catch (error) {
      bystanderFailures.push(
        `probe ${probe}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  for (let i = 0; i < 5; i++) await probeOnce(baseline);
  const state = { fuzzing: true };
  const bystanderLoop = (async () => {
    while (state.fuzzing) {
      await probeOnce(during);
      await sleep(250);
    }
  })();

  const attacker = server.api('fuzz-attacker-learner');
  const target = await attacker.startSession('uts');
  const urlOf = (name: string): string => attacker.terminalUrl(target.id, name);
  const auth = attacker.terminalAuth;
  const url = new URL(server.origin);
  // The token holder names the learner it acts for with X-Nslab-Learner (auth.ts, Gate).
  const cookie = `nslab_token=${encodeURIComponent(server.token)}`;
  const good = { origin: server.origin, cookie, 'x-nslab-learner': 'fuzz-attacker-learner' };
  const terminalPath = apiPath('terminal', { sessionId: target.id, terminal: 'isolated' });
  // Segments go in as written, not encoded: each traversal attempt reaches the server as is.
  const terminalAt = (sessionId: string, terminal: string): string =>
    rawApiPath('terminal', { sessionId, terminal });

  try {
    // 1. Random and malformed frames, spread over connections that stay under the burst.
    const source = new FrameSource(seed);
    const byKind: Record<string, number> = {};
    let sent = 0;
    let expectedErrors = 0;
    let receivedErrors = 0;
    let expectedPongs = 0;
    let receivedPongs = 0;
    let shellExits = 0;
    let connections = 0;
    const unexpectedCloses: string[] = [];
    const started = performance.now();
    while (sent < total) {
      const name = 'isolated';
      const socket = new FuzzSocket(urlOf(name), auth);
      connections++;
      await socket.ready();
      let errors = 0;
      let pongs = 0;
      const batch = Math.min(perConnection, total - sent);
      for (let i = 0; i < batch; i++) {
        const f: FuzzFrame = source.next();
        byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
        if (f.expect === 'error') errors++;
        if (f.expect === 'pong') pongs++;
        socket.send(f.data, f.binary);
        sent++;
      }
      // A last ping: its pong arrives after every answer to the frames before it.
      socket.send('{"type":"ping"}', false);
      pongs++;
      await socket.until(() => socket.count('pong') >= pongs, 60_000);
      const gotErrors = socket.count('error', SHELL_START_FAILED);
      expectedErrors += errors;
      expectedPongs += pongs;
      receivedErrors += gotErrors;
      receivedPongs += socket.count('pong');
      shellExits += socket.count('exit');
      if (socket.close !== undefined)
        unexpectedCloses.push(
          `connection ${connections}: ${socket.close.code} ${socket.close.reason}`,
        );
      await socket.end();
      progress(
        `  frames ${sent}/${total}: connection ${connections} (${name}) errors ${gotErrors}/${errors} pongs ${socket.count('pong')}/${pongs}, ${socket.outputBytes} bytes of shell output`,
      );
    }
    const framesMs = performance.now() - started;
    check(
      'random frames: one error control per malformed text frame',
      String(expectedErrors),
      String(receivedErrors),
      expectedErrors === receivedErrors,
    );
    check(
      'random frames: one pong per ping',
      String(expectedPongs),
      String(receivedPongs),
      expectedPongs === receivedPongs,
    );
    check(
      'random frames: no connection closed',
      'none',
      unexpectedCloses.join('; ') || 'none',
      unexpectedCloses.length === 0,
    );

    // The fuzzed terminal still attaches and serves: ready, pong, and its shell still prints.
    {
      const socket = new FuzzSocket(urlOf('isolated'), auth);
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
        notes.push(
          `the silent fuzzed shell, seen from the host:\n${await describeShell(server.instance, target.id, 'isolated')}`,
        );
      check(
        'the fuzzed terminal afterwards: attach, ping, keystrokes',
        'ready, pong, shell output',
        `ready, ${pong ? 'pong' : 'no pong'}, ${printed ? 'shell output' : 'no output'}`,
        pong && printed,
      );
      await socket.end();
    }
    // Whether bash itself is still usable after random bytes is bash's business (a random
    // byte run can leave readline in any mode), so this is a note, not a check.
    {
      const driver = await TerminalDriver.open(urlOf('isolated'), { ...auth, timeoutMs: 30_000 });
      await driver.waitFor(() => driver.controls.some((c) => c.type === 'ready'), 'ready', 30_000);
      driver.send('\x03\x03\x15\r');
      await sleep(300);
      const out = await driver
        .run('echo fuzzed-$((6*7))', 10_000)
        .catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
      notes.push(
        out.split('\n').includes('fuzzed-42')
          ? 'the fuzzed bash still runs commands after Ctrl-C'
          : `the fuzzed bash did not run a command after Ctrl-C (random input left it in some mode): ${out.slice(0, 120)}`,
      );
      await driver.close();
    }

    // Resizes into a clean shell (the other terminal): random ones, then the extremes. Every
    // size is clamped before it reaches the TTY.
    {
      const driver = await TerminalDriver.open(urlOf('host-uts'), { ...auth, timeoutMs: 30_000 });
      await driver.waitFor(() => driver.controls.some((c) => c.type === 'ready'), 'ready', 30_000);
      await driver.waitForPrompt(30_000);
      const resizes = new FrameSource(seed + 1);
      let sentResizes = 0;
      while (sentResizes < 1_000) {
        const f = resizes.next();
        if (f.binary || !/resize|digit run/.test(f.kind)) continue;
        driver.sendRawControl(f.data as string);
        sentResizes++;
      }
      await sleep(1_000);
      const sttySize = async (): Promise<string | undefined> =>
        (await driver.run('stty size', 20_000)).split('\n').find((l) => /^\d+ \d+$/.test(l));
      const size = await sttySize();
      const [rows = -1, cols = -1] = (size ?? '').split(' ').map(Number);
      check(
        'the TTY size after 1000 random resizes',
        'within 3-200 rows, 10-500 columns',
        size ?? 'no size',
        rows >= 3 && rows <= 200 && cols >= 10 && cols <= 500,
      );
      for (const [label, resize, expected] of [
        ['resize to 1e9 x -5', '{"type":"resize","cols":1e9,"rows":-5}', '3 500'],
        [
          'resize to NaN (not JSON): size unchanged',
          '{"type":"resize","cols":NaN,"rows":NaN}',
          '3 500',
        ],
        ['resize to -1e9 x 1e308', '{"type":"resize","cols":-1e9,"rows":1e308}', '200 10'],
        [
          'resize to 1e999 (Infinity): size unchanged',
          '{"type":"resize","cols":1e999,"rows":1}',
          '200 10',
        ],
        ['resize to 0.4 x 79.5', '{"type":"resize","cols":79.5,"rows":0.4}', '3 80'],
      ] as const) {
        driver.sendRawControl(resize);
        await sleep(300);
        const got = await sttySize();
        check(label, expected, got ?? 'no size', got === expected);
      }
      await driver.close();
    }

    // A frame cut off mid-way, then the connection drops: nothing to answer, nothing to break.
    {
      const half = frame(Buffer.from('{"type":"ping"}'), { opcode: 0x1 }).subarray(0, 7);
      const outcome = await rawWebSocket(
        server.origin,
        terminalPath.replace('isolated', 'host-uts'),
        good,
        half,
        1_000,
      );
      const after = new FuzzSocket(urlOf('host-uts'), auth);
      await after.ready();
      after.send('{"type":"ping"}', false);
      const ok = await after.until(() => after.count('pong') > 0, 5_000);
      check(
        'a truncated frame, then hang up; the next connection',
        'pong',
        `${outcome.status} then ${ok ? 'pong' : 'nothing'}`,
        outcome.status === 101 && ok,
      );
      await after.end();
    }

    // 2. Frame sizes: the limit is 64 KiB; above it the server closes with 1009.
    const sizeCase = async (
      name: string,
      data: Buffer | string,
      binary: boolean,
      expectClose: number | undefined,
    ): Promise<void> => {
      const socket = new FuzzSocket(urlOf('host-uts'), auth);
      await socket.ready();
      socket.send(data, binary);
      let observed: string;
      if (expectClose === undefined) {
        socket.send('{"type":"ping"}', false);
        const ok = await socket.until(() => socket.count('pong') > 0, 10_000);
        observed = ok ? 'stays open (pong)' : `closed ${socket.close?.code}`;
        check(name, 'stays open', observed, ok);
      } else {
        const close = await socket.waitClosed(20_000);
        observed = close === undefined ? 'no close' : `close ${close.code}`;
        check(name, `close ${expectClose}`, observed, close?.code === expectClose);
      }
      await socket.end();
    };
    await sizeCase(
      'binary frame of exactly 64 KiB',
      Buffer.alloc(64 * 1024, 0x20),
      true,
      undefined,
    );
    await sizeCase('binary frame of 64 KiB + 1', Buffer.alloc(64 * 1024 + 1, 0x20), true, 1009);
    await sizeCase('binary frame of 10 MB', Buffer.alloc(10 * 1024 * 1024, 0x41), true, 1009);
    await sizeCase('text frame of 10 MB', 'x'.repeat(10 * 1024 * 1024), false, 1009);

    // 3. Protocol violations written by hand.
    const rawCase = async (name: string, payload: Buffer, expectClose: number): Promise<void> => {
      const outcome = await rawWebSocket(
        server.origin,
        terminalPath.replace('isolated', 'host-uts'),
        good,
        payload,
      );
      const observed =
        outcome.status !== 101
          ? `HTTP ${outcome.status}`
          : outcome.closeCode === undefined
            ? `no close frame (ended ${outcome.ended})`
            : `close ${outcome.closeCode} "${outcome.closeReason}"`;
      check(name, `close ${expectClose}`, observed, outcome.closeCode === expectClose);
    };
    const ping = Buffer.from('{"type":"ping"}');
    await rawCase(
      'text frame with invalid UTF-8',
      frame(Buffer.from([0x7b, 0xc3, 0x28, 0xff, 0xfe, 0x7d]), { opcode: 0x1 }),
      1007,
    );
    await rawCase('unmasked client frame', frame(ping, { opcode: 0x1, mask: false }), 1002);
    await rawCase('reserved opcode 0x3', frame(ping, { opcode: 0x3 }), 1002);
    await rawCase('reserved opcode 0xB (control)', frame(Buffer.alloc(0), { opcode: 0xb }), 1002);
    await rawCase('RSV1 set without an extension', frame(ping, { opcode: 0x1, rsv: 4 }), 1002);
    await rawCase(
      'fragmented ping (FIN clear)',
      frame(Buffer.from('x'), { opcode: 0x9, fin: false }),
      1002,
    );
    await rawCase('ping with a 126-byte payload', frame(Buffer.alloc(126), { opcode: 0x9 }), 1002);
    await rawCase(
      'continuation frame with nothing to continue',
      frame(ping, { opcode: 0x0 }),
      1002,
    );
    await rawCase(
      'close frame with invalid code 999',
      frame(Buffer.from([0x03, 0xe7]), { opcode: 0x8 }),
      1002,
    );
    await rawCase(
      'close frame with a 1-byte body',
      frame(Buffer.from([0x03]), { opcode: 0x8 }),
      1002,
    );
    await rawCase(
      'header declaring 10 MB, body never sent',
      frame(Buffer.alloc(0), { opcode: 0x2, declaredLength: 10_000_000n }),
      1009,
    );
    await rawCase(
      'header declaring 2^63 bytes',
      frame(Buffer.alloc(0), { opcode: 0x2, declaredLength: 2n ** 63n }),
      1009,
    );
    await rawCase(
      'header declaring 2^53 bytes',
      frame(Buffer.alloc(0), { opcode: 0x2, declaredLength: 2n ** 53n }),
      1009,
    );

    // 4. Message rate: thousands of frames at once close the socket with 1008 (burst 2000, 500/s).
    {
      const socket = new FuzzSocket(urlOf('host-uts'), auth);
      await socket.ready();
      for (let i = 0; i < 6_000; i++) socket.send(Buffer.from(' '), true);
      const close = await socket.waitClosed(10_000);
      check(
        '6000 frames in one burst',
        'close 1008',
        close === undefined ? 'no close' : `close ${close.code} "${close.reason}"`,
        close?.code === 1008,
      );
      const text = new FuzzSocket(urlOf('host-uts'), auth);
      await text.ready();
      for (let i = 0; i < 6_000; i++) text.send('{"type":"ping"}', false);
      const textClose = await text.waitClosed(10_000);
      check(
        '6000 pings in one burst',
        'close 1008',
        textClose === undefined ? 'no close' : `close ${textClose.code} "${textClose.reason}"`,
        textClose?.code === 1008,
      );
      // The rate limit is per connection: a fresh one works at once.
      const after = new FuzzSocket(urlOf('host-uts'), auth);
      await after.ready();
      after.send('{"type":"ping"}', false);
      const ok = await after.until(() => after.count('pong') > 0, 5_000);
      check('a new connection after the burst', 'pong', ok ? 'pong' : 'nothing', ok);
      await after.end();
    }

    // Input flood into a program that never reads its terminal (sleep): the server must hold
    // the sender back (stop reading the socket) rather than buffer it all in memory.
    {
      const socket = new FuzzSocket(urlOf('host-uts'), auth);
      await socket.ready();
      socket.send(Buffer.from('sleep 600\r'), true);
      await sleep(500);
      const rssBefore = server.rss() ?? 0;
      let rssPeak = rssBefore;
      let clientBacklog = 0;
      let offered = 0;
      const chunk = Buffer.alloc(60 * 1024, 0x61);
      const floodStarted = performance.now();
      while (performance.now() - floodStarted < 6_000 && socket.close === undefined) {
        for (let i = 0; i < 20 && socket.ws.bufferedAmount < 8 * 1024 * 1024; i++) {
          socket.send(chunk, true);
          offered += chunk.length;
        }
        clientBacklog = Math.max(clientBacklog, socket.ws.bufferedAmount);
        rssPeak = Math.max(rssPeak, server.rss() ?? 0);
        await sleep(100);
      }
      const growth = rssPeak - rssBefore;
      check(
        'input flood into a program that does not read (6 s of 60 KiB frames)',
        'server RSS grows < 64 MiB; the sender is held back',
        `offered ${Math.round(offered / 1048576)} MiB, server RSS +${Math.round(growth / 1048576)} MiB, client-side backlog up to ${Math.round(clientBacklog / 1048576)} MiB${socket.close === undefined ? '' : `, closed ${socket.close.code}`}`,
        growth < 64 * 1024 * 1024 && clientBacklog > 1024 * 1024,
      );
      socket.ws.terminate();
    }

    // 5. Upgrades: token, Origin, ownership, traversal. Paths are sent verbatim.
    const upgrade = async (
      name: string,
      path: string,
      headers: Record<string, string>,
      expected: number,
    ): Promise<void> => {
      const outcome = await rawWebSocket(server.origin, path, headers, undefined, 3_000);
      check(name, `HTTP ${expected}`, `HTTP ${outcome.status}`, outcome.status === expected);
    };
    await upgrade(
      'upgrade from a foreign Origin',
      terminalPath,
      { ...good, origin: 'http://evil.example' },
      403,
    );
    await upgrade('upgrade from Origin "null"', terminalPath, { ...good, origin: 'null' }, 403);
    await upgrade(
      'upgrade from the right host on another port',
      terminalPath,
      { ...good, origin: `http://127.0.0.1:${Number(url.port) + 1}` },
      403,
    );
    await upgrade(
      'upgrade from the right origin with a trailing slash',
      terminalPath,
      { ...good, origin: `${server.origin}/` },
      403,
    );
    await upgrade(
      'upgrade with no Origin',
      terminalPath,
      { cookie, 'x-nslab-learner': 'fuzz-attacker-learner' },
      403,
    );
    await upgrade(
      'upgrade with no token',
      terminalPath,
      { origin: server.origin, cookie: 'nslab_learner=fuzz-attacker-learner' },
      401,
    );
    await upgrade(
      'upgrade with a wrong token',
      terminalPath,
      { origin: server.origin, cookie: 'nslab_token=not-the-token' },
      401,
    );
    await upgrade(
      'upgrade with the token in the query string only',
      `${terminalPath}?token=${encodeURIComponent(server.token)}`,
      { origin: server.origin },
      401,
    );
    await upgrade(
      "upgrade into another learner's session",
      apiPath('terminal', { sessionId: bystanderSession.id, terminal: 'isolated' }),
      good,
      404,
    );
    for (const [label, path] of [
      ['session id ".."', terminalAt('..', 'isolated')],
      ['session id "%2e%2e%2f"', terminalAt('%2e%2e%2f', 'isolated')],
      ['session id "..%2f..%2fetc"', terminalAt('..%2f..%2fetc', 'isolated')],
      ['terminal "../../.."', terminalAt(target.id, '../../..')],
      ['terminal "..%2f..%2fetc%2fpasswd"', terminalAt(target.id, '..%2f..%2fetc%2fpasswd')],
      ['terminal "%2e%2e%2f%2e%2e%2f"', terminalAt(target.id, '%2e%2e%2f%2e%2e%2f')],
      ['terminal "isolated%00"', terminalAt(target.id, 'isolated%00')],
      ['terminal "ISOLATED"', terminalAt(target.id, 'ISOLATED')],
      ['terminal of 5000 characters', terminalAt(target.id, 'a'.repeat(5_000))],
      ['session id of 5000 characters', terminalAt('A'.repeat(5_000), 'isolated')],
    ] as const) {
      await upgrade(`upgrade with ${label}`, path, good, 404);
    }

    // 6. The HTTP API.
    const api = (learner: string): Record<string, string> => ({
      authorization: `Bearer ${server.token}`,
      'x-nslab-learner': learner,
      'content-type': 'application/json',
    });
    // A fresh learner per request keeps these cases clear of the per-learner rate limit;
    // requests about the attacker's own session go as its owner, so ownership is not what refuses them.
    let n = 0;
    const fresh = (): Record<string, string> => api(`fuzz-api-learner-${++n}`);
    const owner = api('fuzz-attacker-learner');
    const leaks: string[] = [];
    const request = async (
      method: string,
      path: string,
      body: Buffer | string | undefined,
      h: Record<string, string>,
    ): Promise<RawResponse> => {
      const response = await rawRequest(server.origin, method, path, h, body);
      if (/\bat [\w.<>]+ \(|node_modules|\.ts:\d+|\n\s+at /.test(response.body))
        leaks.push(`${method} ${path}: ${response.body.slice(0, 200)}`);
      return response;
    };
    const expectStatus = async (
      name: string,
      method: string,
      path: string,
      body: Buffer | string | undefined,
      allowed: number[],
      h = fresh(),
    ): Promise<void> => {
      const response = await request(method, path, body, h);
      check(
        name,
        allowed.map((s) => `HTTP ${s}`).join(' or '),
        `HTTP ${response.status} ${response.body.slice(0, 120)}`,
        allowed.includes(response.status),
      );
    };
    await expectStatus('API with no token', 'GET', apiPath('labs'), undefined, [401], {
      'x-nslab-learner': 'fuzz-api-learner-1',
    });
    await expectStatus('API with a wrong token', 'GET', apiPath('labs'), undefined, [401], {
      authorization: 'Bearer nope',
    });
    for (const labId of [
      '../etc/passwd',
      '..%2f..%2fetc%2fpasswd',
      '%2e%2e%2f',
      '....//',
      'uts/../uts',
      '../uts',
      'UTS',
      'uts\u0000',
      'uts ',
      ' uts',
      'a'.repeat(100),
      '',
      '.',
      '-uts',
      'uts;rm -rf /',
      '$(id)',
      'alpine:latest',
      'docker.io/library/alpine',
    ]) {
      await expectStatus(
        `start lab id ${JSON.stringify(labId)}`,
        'POST',
        apiPath('startSession'),
        JSON.stringify({ labId }),
        [400, 404],
      );
    }
    for (const [label, body] of [
      ['a number lab id', '{"labId":1}'],
      ['an array lab id', '{"labId":["uts"]}'],
      ['an object lab id', '{"labId":{"$ne":null}}'],
      ['an extra field', '{"labId":"uts","image":"alpine","privileged":true}'],
      ['a body that is an array', '["uts"]'],
      ['a body that is null', 'null'],
      ['a body that is a string', '"uts"'],
      ['invalid JSON', '{"labId":'],
      ['NaN in JSON', '{"labId":NaN}'],
      ['a __proto__ field', '{"__proto__":{"labId":"uts"}}'],
      ['no body', undefined],
    ] as const) {
      await expectStatus(`start with ${label}`, 'POST', apiPath('startSession'), body, [400]);
    }
    for (const path of [
      '..',
      '../labs',
      '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '..%2f..%2fetc%2fpasswd',
      bystanderSession.id,
      'AAAAAAAAAAAAAAAAAAAAAA',
      'A'.repeat(10_000),
    ].map((sessionId) => rawApiPath('session', { sessionId }))) {
      await expectStatus(`GET ${path.slice(0, 60)}`, 'GET', path, undefined, [404]);
    }
    for (const exercise of [
      '..',
      '..%2f..%2fetc%2fpasswd',
      '%2e%2e%2f',
      'OWN-NAMESPACE',
      'own-namespace%00',
      'x'.repeat(300),
    ]) {
      await expectStatus(
        `check exercise ${JSON.stringify(exercise.slice(0, 40))}`,
        'POST',
        rawApiPath('check', { sessionId: target.id, exerciseId: exercise }),
        '{}',
        [400, 404],
        owner,
      );
      await expectStatus(
        `skip exercise ${JSON.stringify(exercise.slice(0, 40))}`,
        'POST',
        rawApiPath('skip', { sessionId: target.id, exerciseId: exercise }),
        undefined,
        [400, 404],
        owner,
      );
    }
    await expectStatus(
      "end another learner's session",
      'DELETE',
      apiPath('endSession', { sessionId: bystanderSession.id }),
      undefined,
      [404],
    );
    await expectStatus(
      'check with a 7 KB answer',
      'POST',
      apiPath('check', { sessionId: target.id, exerciseId: 'own-namespace' }),
      JSON.stringify({ answer: 'x'.repeat(7_000) }),
      [400],
      owner,
    );
    await expectStatus(
      'check with a numeric answer',
      'POST',
      apiPath('check', { sessionId: target.id, exerciseId: 'own-namespace' }),
      '{"answer":4026531838}',
      [400],
      owner,
    );
    for (const [label, size] of [
      ['9 KiB', 9 * 1024],
      ['1 MiB', 1024 * 1024],
      ['10 MiB', 10 * 1024 * 1024],
    ] as const) {
      const body = JSON.stringify({ labId: 'uts', pad: 'x'.repeat(size) });
      await expectStatus(`JSON body of ${label}`, 'POST', apiPath('startSession'), body, [413]);
    }
    check(
      'no stack traces or source paths in any API answer',
      'none',
      leaks.join(' | ') || 'none',
      leaks.length === 0,
    );

    // 7. API rate limit: a burst from one learner gets 429 with Retry-After; another learner does not.
    {
      const calm = rawRequest(server.origin, 'GET', apiPath('labs'), api('fuzz-calm-learner'));
      const burst = await Promise.all(
        Array.from({ length: 300 }, () =>
          rawRequest(server.origin, 'GET', apiPath('labs'), api('fuzz-burst-learner')),
        ),
      );
      const other = await calm;
      const limited = burst.filter((r) => r.status === 429);
      const retryAfter = limited[0]?.headers['retry-after'];
      check(
        '300 API requests at once from one learner',
        'some HTTP 429 with Retry-After, the rest 200',
        `${burst.length - limited.length} x 200, ${limited.length} x 429, Retry-After ${String(retryAfter)}`,
        limited.length > 0 &&
          retryAfter !== undefined &&
          burst.every((r) => r.status === 200 || r.status === 429),
      );
      check(
        'another learner during that burst',
        'HTTP 200',
        `HTTP ${other.status}`,
        other.status === 200,
      );
    }

    state.fuzzing = false;
    await bystanderLoop;
    // After everything: the bystander still echoes, and the server still serves.
    const last = await bystander
      .run('echo bystander-after-fuzz', 10_000)
      .catch((error: unknown) => String(error));
    check(
      'the bystander terminal after the fuzzing',
      'bystander-after-fuzz',
      last,
      last === 'bystander-after-fuzz',
    );
    const labs = await rawRequest(server.origin, 'GET', apiPath('labs'), api('fuzz-final-learner'));
    check('the server answers afterwards', 'HTTP 200', `HTTP ${labs.status}`, labs.status === 200);
    check(
      'the server process is alive',
      'alive',
      server.alive ? 'alive' : `exited ${JSON.stringify(server.exit)}`,
      server.alive,
    );
    if (bystanderFailures.length > 0)
      problems.push(
        `the bystander failed ${bystanderFailures.length} probe(s): ${bystanderFailures.slice(0, 3).join('; ')}`,
      );

    return {
      seed,
      frames: {
        sent,
        connections,
        byKind,
        expectedErrors,
        receivedErrors,
        expectedPongs,
        receivedPongs,
        shellExits,
        unexpectedCloses,
        ms: Math.round(framesMs),
      },
      cases,
      bystander: {
        probes: probe,
        failures: bystanderFailures,
        baseline: summarize(baseline),
        during: summarize(during),
      },
      serverAlive: server.alive,
      serverErrorLines: server.errorLines(),
      notes,
      problems,
    };
  } finally {
    state.fuzzing = false;
    await bystanderLoop;
    await bystander.close();
    await Promise.all([
      bystanderApi.endSession(bystanderSession.id).catch(() => undefined),
      attacker.endSession(target.id).catch(() => undefined),
    ]);
  }
}

export function formatFuzzReport(report: FuzzReport): string[] {
  const f = report.frames;
  const lines = [
    `seed ${report.seed}`,
    `random frames: ${f.sent} over ${f.connections} connections in ${f.ms} ms; error controls ${f.receivedErrors}/${f.expectedErrors} expected, pongs ${f.receivedPongs}/${f.expectedPongs}, shell exits (random Ctrl-D) ${f.shellExits}, unexpected closes ${f.unexpectedCloses.length}`,
    `  by kind: ${Object.entries(f.byKind)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
    ...report.cases.map(
      (c) =>
        `${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.observed}${c.ok ? '' : ` (expected ${c.expected})`}`,
    ),
    `bystander: ${report.bystander.probes} probes, ${report.bystander.failures.length} failures; command round trip p50/max before ${Math.round(report.bystander.baseline.p50)}/${Math.round(report.bystander.baseline.max)} ms, during ${Math.round(report.bystander.during.p50)}/${Math.round(report.bystander.during.max)} ms`,
    `server alive: ${report.serverAlive}; ERROR log lines: ${report.serverErrorLines.length}`,
    ...report.serverErrorLines.slice(0, 10).map((l) => `  ${l.slice(0, 300)}`),
    ...report.notes.map((n) => `note: ${n}`),
    ...report.problems.map((p) => `PROBLEM: ${p}`),
  ];
  return lines;
}
