// Confinement settings of a container (privileged, seccomp, masked and read-only paths, the
// LSM label, user namespace remapping, no-new-privileges, a writable root): when each is a
// risk, and why, in both languages. risk-lines.ts puts them with the other kinds of risk.
import { both as t } from '../catalogue/lab-text.ts';
import type { RiskLine, SecurityView } from '../protocol/inspector-types.ts';

export const MOUNT_POINTS = t('recommendation 10 (mount points)', '第 10 条建议（挂载点）');

/** Confinement settings: when each is risky, and why. */
const SECURITY_RISKS: readonly (RiskLine & {
  when: (sec: SecurityView, hostHasLsm: boolean) => boolean;
})[] = [
  {
    when: (sec) => sec.privileged,
    level: 'high',
    setting: t('--privileged', '--privileged'),
    why: t(
      'every capability, every device, no seccomp or LSM confinement: root here is root on the host',
      '所有能力、所有设备，没有 seccomp 或 LSM 约束：这里的 root 就是宿主机上的 root',
    ),
    source: t('recommendation 5', '第 5 条建议'),
  },
  {
    when: (sec) => sec.seccomp === 'disabled',
    level: 'high',
    setting: t('seccomp unconfined', 'seccomp unconfined（未约束）'),
    why: t(
      'every system call reaches the shared kernel, including the ones the default profile blocks',
      '每个系统调用都能到达共享的内核，包括默认配置所阻止的那些',
    ),
    source: t('recommendation 13 (seccomp)', '第 13 条建议（seccomp）'),
  },
  {
    when: (sec) => !sec.privileged && sec.maskedPaths.length === 0,
    level: 'high',
    setting: t('no masked paths', '没有屏蔽路径'),
    why: t(
      '/proc/kcore, /proc/keys and friends are readable',
      '/proc/kcore、/proc/keys 之类的文件都可读',
    ),
    source: MOUNT_POINTS,
  },
  {
    when: (sec) => !sec.privileged && sec.readonlyPaths.length === 0,
    level: 'medium',
    setting: t('no read-only paths', '没有只读路径'),
    why: t(
      '/proc/sys, /proc/sysrq-trigger, /proc/irq, /proc/bus are writable',
      '/proc/sys、/proc/sysrq-trigger、/proc/irq、/proc/bus 都可写',
    ),
    source: MOUNT_POINTS,
  },
  {
    when: (sec, lsm) => lsm && (sec.lsmLabel === null || sec.lsmLabel.startsWith('unconfined')),
    level: 'medium',
    setting: t('no AppArmor/SELinux profile', '没有 AppArmor/SELinux 配置'),
    why: t(
      'the host has a security module, but this container runs unconfined by it',
      '宿主机有安全模块，但这个容器不受它约束',
    ),
    source: t('recommendation 4', '第 4 条建议'),
  },
  {
    when: (sec) => /^0 0 /.test(sec.uidMap),
    level: 'low',
    setting: t('no user namespace remapping', '没有用户命名空间重映射'),
    why: t('uid 0 in the container is uid 0 on the host', '容器里的 uid 0 就是宿主机上的 uid 0'),
    source: t('recommendation 12 (user namespaces)', '第 12 条建议（用户命名空间）'),
  },
  {
    when: (sec) => !sec.noNewPrivs,
    level: 'low',
    setting: t('no-new-privileges off', 'no-new-privileges 未开启'),
    why: t(
      'setuid programs in the container can still raise a user to root',
      '容器里的 setuid 程序仍能把普通用户提升为 root',
    ),
    source: t('recommendation 7 (SUID binaries)', '第 7 条建议（SUID 程序）'),
  },
  {
    when: (sec) => !sec.readonlyRootfs,
    level: 'low',
    setting: t('writable root file system', '可写的根文件系统'),
    why: t(
      "whoever gets in can change the container's programs (--read-only prevents it)",
      '闯进来的人可以改动容器里的程序（--read-only 能防止）',
    ),
    source: t('The state of container security: least privilege', '《容器安全现状》：最小权限'),
  },
];

export function securityRisks(sec: SecurityView | null, hostHasLsm: boolean): RiskLine[] {
  if (sec === null) return [];
  return SECURITY_RISKS.filter((r) => r.when(sec, hostHasLsm)).map(
    ({ level, setting, why, source }) => ({ level, setting, why, source }),
  );
}
