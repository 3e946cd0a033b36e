// The learner's shells, started as the last step: after the lab's set-up (which must finish
// before the first keystroke) and before anyone attaches. The exec then runs while the HTTP
// answer and the WebSocket handshake travel, instead of after them.
import type { ProvisionStep } from '../session-draft.ts';

export const shellsStep: ProvisionStep = {
  name: 'shells',
  run(draft) {
    for (const container of draft.containers.values()) container.terminal?.prestart();
    return Promise.resolve();
  },
};
