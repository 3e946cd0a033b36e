// Removes every container, network and volume labelled with this server instance. Run at
// start-up (a crashed server's leftovers) and at shutdown (anything a half-finished request
// left behind).
import type { ContainerClient } from '../docker/container-client.ts';
import type { SessionResources } from '../docker/session-resources.ts';

export async function sweepLeftovers(
  client: ContainerClient,
  resources: SessionResources,
  instance: string,
): Promise<number> {
  const ids = await client.listIds(instance);
  await Promise.all(ids.map((id) => client.remove(id)));
  // Networks and volumes only after the containers that used them are gone.
  const others = await resources.removeAll(instance);
  return ids.length + others;
}
