// A Unix socket that forwards every connection, byte for byte, to another Unix socket. In a
// workshop the docker.sock lab mounts a socket that lives in the session's own directory (so
// the lesson's way of finding that directory from /proc/self/mountinfo still works) but
// leads to the learner's seat engine. It understands nothing of what it carries: HTTP,
// upgraded exec streams and hijacked attaches pass through alike. Half-closes pass through
// too: `docker run` (attached) shuts its sending side once it has no more input and reads the
// container's output after that, which a relay that closed on the first FIN would cut off.
import { mkdir, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export interface SocketRelay {
  readonly path: string;
  close(): Promise<void>;
}

export async function relaySocket(listenPath: string, targetPath: string): Promise<SocketRelay> {
  await mkdir(path.dirname(listenPath), { recursive: true, mode: 0o700 });
  await rm(listenPath, { force: true });
  const open = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    const upstream = net.connect({ path: targetPath, allowHalfOpen: true });
    open.add(client).add(upstream);
    const forget = (): void => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', forget).on('close', forget);
    upstream.on('error', forget).on('close', forget);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPath, () => resolve());
  });
  return {
    path: listenPath,
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(listenPath, { force: true });
    },
  };
}
