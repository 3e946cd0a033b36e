// The lab's own set-up (LabDefinition.setup): commands run as root in its containers after
// they start and before the learner's first keystroke. Its effects live in the containers,
// so it has no undo of its own.
import type { ProvisionStep } from '../session-draft.ts';

export const labSetupStep: ProvisionStep = {
  name: 'lab set-up',
  async run(draft) {
    const { lab } = draft;
    await lab.setup?.({
      sessionToken: draft.token,
      exec: async (container, cmd) => {
        const target = draft.containers.get(container);
        if (target === undefined)
          throw new Error(`lab "${lab.id}" set-up names unknown container "${container}"`);
        const result = await target.client.probe(target.id, cmd);
        if (result.exitCode !== 0)
          throw new Error(`lab "${lab.id}" set-up "${cmd.join(' ')}" failed: ${result.stderr}`);
        return { exitCode: result.exitCode, stdout: result.stdout };
      },
    });
  },
};
