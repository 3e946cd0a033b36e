// The lab's own internal networks and named volumes, labelled with the session. They go only
// once no container uses them, which the teardown's reverse order guarantees.
import { sessionLabels } from '../../docker/labels.ts';
import { networkCreateOptions } from '../../plans/create-options.ts';
import { planNetwork } from '../../plans/network-plan.ts';
import { resourceName } from '../../plans/resource-names.ts';
import type { ProvisionStep } from '../session-draft.ts';

export const networksAndVolumesStep: ProvisionStep = {
  name: 'networks and volumes',
  async run(draft, deps) {
    const { lab } = draft;
    if ((lab.networks ?? []).length === 0 && (lab.volumes ?? []).length === 0) return;
    const owner = { instance: deps.instance, sessionId: draft.id, labId: lab.id };
    // Removal goes by label, so one that was half made is found too.
    draft.teardown.push('networks and volumes', async () => {
      await deps.resources.removeAll(deps.instance, draft.id);
    });
    draft.networks = (lab.networks ?? []).map((n) => planNetwork(n, owner));
    await Promise.all(
      draft.networks.map((n) => deps.resources.createNetwork(networkCreateOptions(n))),
    );
    await Promise.all(
      (lab.volumes ?? []).map((name) =>
        deps.resources.createVolume(
          resourceName(deps.instance, draft.id, name),
          sessionLabels({ ...owner, container: name }),
        ),
      ),
    );
  },
  sweep: (deps) => deps.resources.removeAll(deps.instance),
};
