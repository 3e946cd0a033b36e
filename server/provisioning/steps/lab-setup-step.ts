// The lab's own set-up (LabDefinition.setup): commands run as root in its containers after
// they start and before the learner's first keystroke. Its effects live in the containers,
// so it has no undo of its own.
import type { ProvisionStep } from '../session-draft.ts';

export const labSetupStep: ProvisionStep = {
  name: 'lab set-up',
  async run(draft) {
    const { lab } = draft;
    const containerNamed = (container: string) => {
      const target = draft.containers.get(container);
      if (target === undefined)
        throw new Error(`lab "${lab.id}" set-up names unknown container "${container}"`);
      return target;
    };
    await lab.setup?.({
      sessionToken: draft.token,
      has: (container) => draft.containers.has(container),
      putFile: async (container, path, content) => {
        const target = containerNamed(container);
        const slash = path.lastIndexOf('/');
        if (!path.startsWith('/') || slash === path.length - 1)
          throw new Error(`lab "${lab.id}" set-up: not a file path: ${path}`);
        await target.client.putFile(target.id, path.slice(0, slash) || '/', {
          name: path.slice(slash + 1),
          content: Buffer.from(content, 'utf8'),
          mode: 0o600,
          uid: 0,
          gid: 0,
        });
      },
      exec: async (container, cmd) => {
        const target = containerNamed(container);
        const result = await target.client.probe(target.id, cmd);
        if (result.exitCode !== 0)
          throw new Error(`lab "${lab.id}" set-up "${cmd.join(' ')}" failed: ${result.stderr}`);
        return { exitCode: result.exitCode, stdout: result.stdout };
      },
    });
  },
};
