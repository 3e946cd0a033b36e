// A TCP relay between a learner and the server that can go silent: after `blackhole()` it
// swallows bytes both ways and never closes, as a dead Wi-Fi link does. Only heartbeats can
// tell such a peer from a quiet one; the relay reports when the server gives up on it.
import net from 'node:net';

export class BlackholeProxy implements AsyncDisposable {
  private readonly sockets = new Set<net.Socket>();
  private silent = false;
  private readonly server: net.Server;
  /** performance.now() when the server closed its side of a connection, in order. */
  readonly upstreamClosedAt: number[] = [];
  port = 0;

  private constructor(private readonly targetPort: number) {
    this.server = net.createServer((client) => this.relay(client));
  }

  static async start(targetPort: number): Promise<BlackholeProxy> {
    const proxy = new BlackholeProxy(targetPort);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.server.address() as net.AddressInfo).port;
    return proxy;
  }

  /** From now on nothing passes and nothing closes: a silent network loss. */
  blackhole(): void {
    this.silent = true;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: net.Socket): void {
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    this.sockets.add(client).add(upstream);
    const forward = (from: net.Socket, to: net.Socket): void => {
      from.on('data', (chunk: Buffer) => {
        if (!this.silent) to.write(chunk);
      });
    };
    forward(client, upstream);
    forward(upstream, client);
    upstream.on('close', () => {
      this.upstreamClosedAt.push(performance.now());
      if (!this.silent) client.destroy();
    });
    client.on('close', () => {
      if (!this.silent) upstream.destroy();
    });
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  }
}
