// The privileged-device lab's "host disk": a small ext4 image on a loop device that belongs
// to this session alone.
import { createHostDisk, sweepHostDisks } from '../../host/host-disk.ts';
import type { ProvisionStep } from '../session-draft.ts';

export const hostDiskStep: ProvisionStep = {
  name: 'host disk',
  async run(draft) {
    const spec = draft.lab.hostDisk;
    if (spec === undefined) return;
    const disk = await createHostDisk(draft.dir, spec, draft.token);
    draft.teardown.push('host disk', () => disk.detach());
    draft.disk = disk;
  },
  sweep: (deps) => sweepHostDisks(deps.files.instanceDir(deps.instance)),
};
