// An escape lab's containers may have mounted cgroup v1 hierarchies (the release_agent
// escape). They outlive the containers unless released, and only once nothing mounts them.
import {
  namedCgroupsMountedBy,
  releaseNamedHierarchy,
  sweepNamedHierarchies,
} from '../host/named-cgroups.ts';
import { log } from '../log.ts';
import type { SessionContainer } from './session-draft.ts';

async function mountedBy(containers: readonly SessionContainer[]): Promise<string[]> {
  try {
    const pids = await Promise.all(containers.map((c) => c.client.hostPids(c.id).catch(() => [])));
    return [...(await namedCgroupsMountedBy(pids.flat()))];
  } catch (error) {
    log.warn('listing the cgroup hierarchies of an escape lab failed', { error: String(error) });
    return [];
  }
}

/** Notes the hierarchies while the containers still run, removes them, then releases those. */
export async function releaseEscapeHierarchies(
  containers: readonly SessionContainer[],
  removeContainers: () => Promise<void>,
): Promise<void> {
  const hierarchies = await mountedBy(containers);
  await removeContainers();
  for (const name of hierarchies) {
    if (!(await releaseNamedHierarchy(name)))
      log.warn('a cgroup hierarchy an escape lab mounted is still there', { name });
  }
  // One the learner unmounted is no longer in any container's mounts: the lesson has them
  // name it nslab-..., and orphans of that name go too.
  await sweepNamedHierarchies();
}
