// The lab's containers, planned from their vetted profiles and started on their engines.
// Containers that join a peer's namespace (--ipc/--pid container:x) start after the peers.
import { containersMade } from '../../catalogue/availability.ts';
import type { ContainerProfile } from '../../catalogue/lab-definition.ts';
import { planContainer, type ContainerPlan } from '../../plans/container-plan.ts';
import { containerCreateOptions } from '../../plans/create-options.ts';
import { sweepNamedHierarchies } from '../../host/named-cgroups.ts';
import { Terminal } from '../../terminal/terminal.ts';
import { releaseEscapeHierarchies } from '../escape-hierarchies.ts';
import type { ProvisionDeps, ProvisionStep, SessionDraft, SweepDeps } from '../session-draft.ts';

function joinsPeer(profile: ContainerProfile): boolean {
  return typeof profile.ipcMode === 'object' || typeof profile.pidMode === 'object';
}

function plan(draft: SessionDraft, deps: ProvisionDeps, profile: ContainerProfile): ContainerPlan {
  return planContainer({
    profile,
    image: deps.image,
    instance: deps.instance,
    sessionId: draft.id,
    sessionToken: draft.token,
    labId: draft.lab.id,
    hostFacts: deps.hostFacts,
    sessionDir: draft.dir,
    hostDisk: draft.disk?.device,
  });
}

/** Starts one wave in parallel; waits for all of them so a failure leaves nothing in flight. */
async function startWave(
  draft: SessionDraft,
  deps: ProvisionDeps,
  plans: ContainerPlan[],
): Promise<void> {
  const results = await Promise.allSettled(
    plans.map(async (plan) => {
      const client = deps.clients.get(plan.engine);
      const id = await client.createAndStart(containerCreateOptions(plan));
      draft.containers.set(plan.name, {
        plan,
        id,
        client,
        terminal: plan.terminal
          ? new Terminal(plan.name, id, client, () => draft.onActivity())
          : undefined,
      });
    }),
  );
  const failed = results.find((r) => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

async function removeContainers(draft: SessionDraft): Promise<void> {
  const containers = [...draft.containers.values()];
  for (const c of containers) c.terminal?.dispose();
  const remove = () => Promise.all(containers.map((c) => c.client.remove(c.id))).then(() => {});
  if (draft.lab.escape === true) await releaseEscapeHierarchies(containers, remove);
  else await remove();
}

async function sweepContainers(deps: SweepDeps): Promise<number> {
  let removed = 0;
  for (const client of deps.clients.all()) {
    const ids = await client.listIds(deps.instance);
    await Promise.all(ids.map((id) => client.remove(id)));
    removed += ids.length;
  }
  // The cgroup v1 hierarchies an escape left behind, once no container mounts them.
  return removed + (await sweepNamedHierarchies());
}

export const containersStep: ProvisionStep = {
  name: 'containers',
  sweep: sweepContainers,
  async run(draft, deps) {
    draft.teardown.push('containers', () => removeContainers(draft));
    // A container made for an exercise this host or mode cannot run is not made at all.
    const profiles = containersMade(draft.lab, deps.hostFacts, deps.mode ?? 'solo');
    for (const wave of [
      profiles.filter((p) => !joinsPeer(p)),
      profiles.filter((p) => joinsPeer(p)),
    ]) {
      await startWave(
        draft,
        deps,
        wave.map((profile) => plan(draft, deps, profile)),
      );
    }
  },
};
