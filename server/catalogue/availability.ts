// Whether a lab can run here and now: what the host allows (the lab's own preflight) and
// what the server's mode allows. The page shows the reason; starting the lab gives it as the
// error. The same holds for one exercise of a lab that otherwise runs (Exercise.unavailable).
import type { ServerMode } from '../config.ts';
import type { EngineFacts } from '../host/host-facts.ts';
import type { ContainerProfile, Exercise, LabDefinition } from './lab-definition.ts';
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

/**
 * Whether a container outside an escape lab asks for what lets root reach the host:
 * SYS_ADMIN, or AppArmor turned off while capabilities are added. validate-lab.ts allows it
 * only on a container made for one exercise (ContainerProfile.onlyFor), which is solo only.
 */
export function reachesHost(profile: ContainerProfile): boolean {
  const added = profile.capAdd ?? [];
  return (
    added.includes('SYS_ADMIN') ||
    ((profile.securityOpt ?? []).includes('apparmor=unconfined') && added.length > 0)
  );
}

/** Why one exercise of a lab that runs cannot run on this server, or undefined when it can. */
export function exerciseUnavailable(
  lab: LabDefinition,
  exercise: Exercise,
  facts: EngineFacts,
  mode: ServerMode,
): LabText | undefined {
  const own = lab.containers.filter((c) => c.onlyFor === exercise.id);
  if (mode === 'workshop' && own.some(reachesHost)) {
    return both(
      'This exercise adds SYS_ADMIN to a container, which could reach the machine every learner of the workshop shares, so it runs only in solo mode, on your own VM (vagrant up).',
      '这个练习给容器加上了 SYS_ADMIN，它可能触及整个工作坊所有学员共用的这台机器，所以只在单人模式下、在你自己的虚拟机里运行（vagrant up）。',
    );
  }
  return exercise.unavailable?.(facts);
}

/** The containers this server makes for `lab`: those made for an unavailable exercise are left out. */
export function containersMade(
  lab: LabDefinition,
  facts: EngineFacts,
  mode: ServerMode,
): ContainerProfile[] {
  return lab.containers.filter((c) => {
    if (c.onlyFor === undefined) return true;
    const exercise = lab.exercises.find((e) => e.id === c.onlyFor);
    return exercise !== undefined && exerciseUnavailable(lab, exercise, facts, mode) === undefined;
  });
}
