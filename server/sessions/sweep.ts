// Removes every container, network, volume and session directory labelled with (or kept
// for) this server instance, on every engine. Run at start-up (a crashed server's
// leftovers) and at shutdown (anything a half-finished request left behind).
import type { Engines } from '../docker/engines.ts';
import type { SessionResources } from '../docker/session-resources.ts';
import type { SessionEngines } from '../docker/session-engine.ts';
import { sweepNamedHierarchies } from '../host/named-cgroups.ts';
import { sweepHostDisks } from '../host/host-disk.ts';
import type { SessionFiles } from '../host/session-files.ts';

export async function sweepLeftovers(
  engines: Engines,
  resources: SessionResources,
  files: SessionFiles,
  instance: string,
  sessionEngines?: SessionEngines,
): Promise<number> {
  let removed = 0;
  for (const client of engines.all()) {
    const ids = await client.listIds(instance);
    await Promise.all(ids.map((id) => client.remove(id)));
    removed += ids.length;
  }
  // Session engines (escape labs) with every container they ran, and the cgroup v1
  // hierarchies an escape left behind, before the session directories they use.
  removed += (await sessionEngines?.sweep()) ?? 0;
  removed += await sweepNamedHierarchies();
  removed += await sweepHostDisks(files.instanceDir(instance));
  // Networks, volumes and planted files only after the containers that used them are gone.
  removed += await resources.removeAll(instance);
  removed += await files.sweep(instance);
  return removed;
}
