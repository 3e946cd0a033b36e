// Plants the lab's host files (a host-only secret, a drop box) in the session's own
// directory. The directory is the last thing a teardown removes.
import type { ProvisionStep } from '../session-draft.ts';

export const hostFilesStep: ProvisionStep = {
  name: 'host files',
  async run(draft, deps) {
    // Pushed first: a plant that fails half way still leaves a directory to remove.
    draft.teardown.push('host files', () => deps.files.remove(draft.dir));
    await deps.files.plant(draft.dir, draft.lab.hostFiles ?? [], draft.token, draft.seat);
  },
  sweep: (deps) => deps.files.sweep(deps.instance),
};
