// Removes every container labelled with this server instance. Run at start-up (a crashed
// server's leftovers) and at shutdown (anything a half-finished request left behind).
import type { ContainerClient } from '../docker/container-client.ts';

export async function sweepLeftovers(client: ContainerClient, instance: string): Promise<number> {
  const ids = await client.listIds(instance);
  await Promise.all(ids.map((id) => client.remove(id)));
  return ids.length;
}
