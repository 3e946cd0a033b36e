// The fuzzer's terminal WebSocket: counts the controls and output that come back and never
// throws on a socket the server broke on purpose.
import WebSocket from 'ws';
import { parseServerControl, type ServerControl } from '../../server/protocol/terminal-messages.ts';
import type { TerminalAuth } from '../../server/protocol/api-client.ts';
import { sleep } from '../load/stats.ts';

export /** A terminal WebSocket that counts what comes back and never throws on a broken socket. */
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
