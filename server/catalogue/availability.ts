// Whether a lab can run here and now: what the host allows (the lab's own preflight) and
// what the server's mode allows. The page shows the reason; starting the lab gives it as the
// error.
import type { ServerMode } from '../config.ts';
import type { EngineFacts } from '../host/host-facts.ts';
import type { LabDefinition } from './lab-definition.ts';
import { both, type LabText } from './lab-text.ts';

/** Why `lab` cannot start on this server, or undefined when it can. */
export function labUnavailable(
  lab: LabDefinition,
  facts: EngineFacts,
  mode: ServerMode,
): LabText | undefined {
  if (mode === 'workshop' && lab.escape === true && lab.workshop === undefined) {
    return both(
      'This escape gives root on the machine every learner of the workshop shares, so it runs only in solo mode, on your own VM (vagrant up).',
      '这个逃逸会拿到整个工作坊所有学员共用的这台机器的 root 权限，所以只在单人模式下、在你自己的虚拟机里运行（vagrant up）。',
    );
  }
  return lab.unavailable?.(facts);
}
