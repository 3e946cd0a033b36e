// A learner's terminal through nslab's gateway: the terminal WebSocket, opened as the page
// opens it (an allowed Origin, the learner's credentials), read as a ShellStream.
import WebSocket from 'ws';
import type { ApiClient } from '../../server/protocol/api-client.ts';
import { ShellStream } from './shell-stream.ts';

export class GatewayShell extends ShellStream {
  private constructor(private readonly ws: WebSocket) {
    super();
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) this.feed(data);
    });
    ws.on('close', (code) => this.ended(`WebSocket closed ${code}`));
  }

  static open(api: ApiClient, sessionId: string, terminal: string): Promise<GatewayShell> {
    return new Promise((resolve, reject) => {
      const auth = api.terminalAuth;
      const ws = new WebSocket(api.terminalUrl(sessionId, terminal), {
        headers: { ...auth.headers, origin: auth.origin },
        handshakeTimeout: 30_000,
      });
      const shell = new GatewayShell(ws);
      ws.once('open', () => resolve(shell));
      ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`terminal upgrade refused: HTTP ${res.statusCode}`)),
      );
      ws.once('error', reject);
    });
  }

  send(text: string): void {
    this.ws.send(Buffer.from(text, 'utf8'), { binary: true });
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close(1000);
    });
  }
}
