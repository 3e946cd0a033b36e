// Seccomp lab: a filter the kernel runs on every system call of the container. Docker's
// default profile (an allowlist) refuses unshare(CLONE_NEWUSER) to a container without
// CAP_SYS_ADMIN; a custom profile that denies the chmod family refuses it even to root, but
// replaces the default instead of adding to it; seccomp=unconfined removes the filter.
// The checks run nothing in the learner's containers: they read the profile from the engine,
// each process's seccomp mode and namespaces from the host's /proc, and files in /tmp with
// the host's lstat through the container's root.
import type { ContainerProfile, LabDefinition } from '../../server/lab-kit.ts';
import { t } from '../shared/localized.ts';
import { PROFILE_JSON, PROFILE_NAME } from './seccomp-profile.ts';
import { execAnywayExercise, usernsExercise, whichSyscallExercise } from './seccomp-exercises.ts';

export {
  CHMOD_SYSCALL,
  PROFILE_JSON,
  PROFILE_NAME,
  refusedSyscalls,
  syscallName,
} from './seccomp-profile.ts';

const common: Omit<ContainerProfile, 'name' | 'title'> = {
  memoryMb: 128,
  pidsLimit: 128,
  cpus: 0.5,
};
/**
 * The two containers whose seccomp filter lets unshare(2) through also run without Docker's
 * AppArmor profile. On an AppArmor 4 kernel (Debian 13's 6.12, measured in the VM)
 * docker-default, which has no `userns` rule, refuses to create a user namespace even to
 * full root: the exercise would show AppArmor, not seccomp. Where AppArmor is absent the
 * option changes nothing. The default container keeps both layers.
 */
const WITHOUT_APPARMOR: ['apparmor=unconfined'] = ['apparmor=unconfined'];

export const seccompLab: LabDefinition = {
  id: 'seccomp',
  title: t('Seccomp: filtering system calls', 'Seccomp：过滤系统调用'),
  topic: 'least privilege',
  summary: t(
    "Meet Docker's default seccomp profile, load a custom one that refuses chmod even to root, find out what a blocklist misses, and what a custom profile silently gives back.",
    '认识 Docker 的默认 seccomp 配置文件，加载一个连 root 的 chmod 都拒绝的自定义配置文件，找出黑名单漏掉了什么，以及自定义配置文件悄悄交还了什么。',
  ),
  minutes: 15,
  learned: [
    t(
      "Docker's default seccomp profile refuses dangerous system calls; a custom profile can refuse more, even to root.",
      'Docker 的默认 seccomp 配置文件拒绝危险的系统调用；自定义配置文件可以拒绝更多，即使对 root 也一样。',
    ),
    t(
      'A blocklist misses other routes to the same result, and a custom profile can give back what the default refused.',
      '黑名单会漏掉通往同一结果的其他途径，而自定义配置文件可能交还默认配置所拒绝的东西。',
    ),
  ],
  lesson: 'seccomp.md',
  containers: [
    {
      name: 'default',
      title: t('default (Docker profile)', 'default（Docker 配置文件）'),
      hostname: 'default',
      ...common,
    },
    {
      name: 'no-chmod',
      title: t(`no-chmod (${PROFILE_NAME})`, `no-chmod（${PROFILE_NAME}）`),
      hostname: 'no-chmod',
      seccompProfile: { name: PROFILE_NAME, json: PROFILE_JSON },
      // Out of AppArmor's way, so that seccomp alone decides (see WITHOUT_APPARMOR).
      securityOpt: WITHOUT_APPARMOR,
      ...common,
    },
    {
      name: 'unconfined',
      title: t('unconfined (seccomp=unconfined)', 'unconfined（seccomp=unconfined）'),
      hostname: 'unconfined',
      securityOpt: ['seccomp=unconfined', ...WITHOUT_APPARMOR],
      ...common,
    },
  ],
  exercises: [whichSyscallExercise, execAnywayExercise, usernsExercise],
};
