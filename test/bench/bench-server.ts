// The server under measurement, in a process of its own (as `nslab serve` runs): the bench's
// clients do not share its event loop, and its RSS is the server's alone. The parent
// (server-child.ts) passes the config as JSON and asks over IPC for what only the server
// knows: the warm pool's state, its memory after a GC, the image and host facts it plans with.
import type { ServerConfig } from '../../server/config.ts';
import { NslabServer } from '../../server/nslab-server.ts';

export type BenchAsk =
  { type: 'pool'; lab: string } | { type: 'memory' } | { type: 'deps' } | { type: 'stop' };

export type BenchRequest = BenchAsk & { id: number };

export interface PoolState {
  ready: number;
  size: number;
  claimed: number;
}

export interface ServerMemory {
  rss: number;
  heapUsed: number;
  external: number;
}

function reply(id: number, value: unknown): void {
  process.send?.({ id, value });
}

async function memory(): Promise<ServerMemory> {
  const gc = (globalThis as { gc?: () => void }).gc;
  // Two passes and a tick: what is still referenced, not what awaits collection.
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc?.();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external };
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as Partial<ServerConfig>;
  const server = await NslabServer.start({ config });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= server.stop());
  // The bench died or was interrupted: leave nothing on the engine.
  process.on('disconnect', () => void stop().finally(() => process.exit(0)));
  process.on('message', (message: BenchRequest) => {
    switch (message.type) {
      case 'pool': {
        const pool = server.pool;
        reply(message.id, {
          ready: pool?.readyFor(message.lab) ?? 0,
          size: pool?.size ?? 0,
          claimed: pool?.claimed ?? 0,
        } satisfies PoolState);
        return;
      }
      case 'memory':
        void memory().then((value) => reply(message.id, value));
        return;
      case 'deps':
        reply(message.id, { image: server.provisioning.image, hostFacts: server.facts });
        return;
      case 'stop':
        void stop().then(() => {
          reply(message.id, true);
          process.disconnect();
        });
        return;
    }
  });
  process.send?.({ ready: { origin: server.origin, token: server.config.token } });
}

await main();
