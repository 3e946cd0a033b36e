// Removes every container, network, volume and session directory labelled with (or kept
// for) this server instance, on every engine. Run at start-up (a crashed server's
// leftovers) and at shutdown (anything a half-finished request left behind).
import type { Engines } from '../docker/engines.ts';
import type { SessionResources } from '../docker/session-resources.ts';
import type { SessionFiles } from './session-files.ts';

export async function sweepLeftovers(
  engines: Engines,
  resources: SessionResources,
  files: SessionFiles,
  instance: string,
): Promise<number> {
  let removed = 0;
  for (const client of engines.all()) {
    const ids = await client.listIds(instance);
    await Promise.all(ids.map((id) => client.remove(id)));
    removed += ids.length;
  }
  // Networks, volumes and planted files only after the containers that used them are gone.
  removed += await resources.removeAll(instance);
  removed += await files.sweep(instance);
  return removed;
}
