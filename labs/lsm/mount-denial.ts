// The lsm lab's denial: a mount that capabilities and seccomp allow (CAP_SYS_ADMIN is added,
// and Docker's seccomp profile allows mount(2) to a holder of it) and that docker-default
// refuses (`deny mount,` in moby's profiles/apparmor/template.go); beside it, the same mount
// in a container started with apparmor=unconfined succeeds. Only a host whose engine reports
// AppArmor can show it; elsewhere the exercise is unavailable and its two containers are
// never made (a SYS_ADMIN container without AppArmor is a release_agent escape away from the
// host). Either way it runs in solo mode only (availability.ts): SYS_ADMIN is broad.
//
// The verdict reads the host: the kernel's own audit record of the denial in /dev/kmsg, tied
// to this session by the mount point, whose name derives from the session's token and was
// planted at set-up (never on a command line), and stamped after the confined container
// started; and the tmpfs in the unconfined container's mount table, from the host's /proc.
// Tying the record to the mount's pid would not do: `mount` exits at once, so by the time of
// the check its pid belongs to no process of the container (or to someone else's).
import type {
  CheckContext,
  CheckOutcome,
  ContainerProfile,
  Exercise,
  SetupContext,
} from '../../server/lab-kit.ts';
import { runWithPlantedValue } from '../shared/planted-value.ts';
import { t } from '../shared/localized.ts';
import { findDenial, mountDirName, mountPoint, tmpfsMountedOn } from './kernel-audit.ts';

const EXERCISE = 'mount-denied';
const CONFINED = 'mount-confined';
const UNCONFINED = 'mount-unconfined';

/** Only what mount(2) needs: every other capability dropped, so SYS_ADMIN is the one difference. */
const MOUNT_ONLY: Pick<ContainerProfile, 'capDrop' | 'capAdd' | 'onlyFor'> = {
  capDrop: ['ALL'],
  capAdd: ['SYS_ADMIN'],
  onlyFor: EXERCISE,
};

export function mountContainers(
  common: Omit<ContainerProfile, 'name' | 'title'>,
): ContainerProfile[] {
  return [
    {
      name: CONFINED,
      title: t('mount-confined (SYS_ADMIN)', 'mount-confined（SYS_ADMIN）'),
      hostname: CONFINED,
      ...MOUNT_ONLY,
      ...common,
    },
    {
      name: UNCONFINED,
      title: t(
        'mount-unconfined (SYS_ADMIN, apparmor=unconfined)',
        'mount-unconfined（SYS_ADMIN，apparmor=unconfined）',
      ),
      hostname: UNCONFINED,
      securityOpt: ['apparmor=unconfined'],
      ...MOUNT_ONLY,
      ...common,
    },
  ];
}

/** Makes the session's mount point in each mount container the session has; its name is planted, not typed. */
export async function plantMountPoints(ctx: SetupContext): Promise<void> {
  for (const container of [CONFINED, UNCONFINED]) {
    if (!ctx.has(container)) continue;
    await runWithPlantedValue(
      ctx,
      container,
      mountDirName(ctx.sessionToken),
      'os.makedirs("/mnt/" + planted, exist_ok=True)\n',
    );
  }
}

/** The denial half: the kernel's record, this session's, by docker-default. */
async function denied(ctx: CheckContext, point: string): Promise<string | undefined> {
  const info = await ctx.container(CONFINED).inspect();
  const sinceMs = Date.parse(info.State.StartedAt);
  return findDenial(await ctx.host.kernelLog(), {
    mountPoint: point,
    sinceMs: Number.isFinite(sinceMs) ? sinceMs : Date.now(),
    profile: 'docker-default',
  });
}

async function mountDeniedCheck(ctx: CheckContext): Promise<CheckOutcome> {
  const point = mountPoint(ctx.sessionToken);
  const record = await denied(ctx, point);
  if (record === undefined)
    return {
      passed: false,
      reason: t(
        `The host's kernel log holds no AppArmor denial of a mount on ${point} by docker-default since the ${CONFINED} container started.`,
        `自 ${CONFINED} 容器启动以来，宿主机的内核日志里没有 docker-default 拒绝在 ${point} 上挂载的 AppArmor 记录。`,
      ),
      hint: 1,
    };
  const mounted = tmpfsMountedOn(await ctx.container(UNCONFINED).mountinfo(), point);
  if (mounted === undefined)
    return {
      passed: false,
      reason: t(
        `The denial is in the kernel's log. Now the other half: the host sees no tmpfs on ${point} in the ${UNCONFINED} container's mount table.`,
        `拒绝记录已在内核日志中。现在是另一半：宿主机在 ${UNCONFINED} 容器的挂载表里没有看到 ${point} 上的 tmpfs。`,
      ),
      hint: 2,
    };
  return {
    passed: true,
    reason: t(
      `Right. The host's kernel log (/dev/kmsg) holds the record of the refusal: ${record}. And the ${UNCONFINED} container's mount table, read on the host, holds the same mount, allowed: ${mounted}. Same capabilities, same seccomp profile: the AppArmor profile made the difference.`,
      `正确。宿主机的内核日志（/dev/kmsg）里有这次拒绝的记录：${record}。而在宿主机上读取的 ${UNCONFINED} 容器挂载表里有同一个挂载，它被允许了：${mounted}。能力相同，seccomp 配置相同：差别来自 AppArmor 配置文件。`,
    ),
  };
}

const MOUNT = 'mount -t tmpfs none /mnt/lsm-*; echo "mount exit $?"';

/** Python that sends `text` (with the mount point for %s) as an AUDIT_USER_AVC message; also in the docker test. */
export const FORGE_AUDIT = [
  'import glob,socket,struct',
  'q=chr(34)',
  'p=glob.glob("/mnt/lsm-*")[0]',
  'm=("apparmor=%sDENIED%s operation=%smount%s profile=%sdocker-default%s name=%s%s/%s comm=%smount%s" % (q,q,q,q,q,q,q,p,q,q,q)).encode()+bytes(1)',
  's=socket.socket(16,3,9)',
  's.bind((0,0))',
  's.send(struct.pack("=IHHII",16+len(m),1107,5,1,0)+m)',
].join(';');

const FORGE = `python3 -c '${FORGE_AUDIT}'; mknod /tmp/kmsg c 1 11 && echo forged > /tmp/kmsg; echo "forge exit $?"`;

export const mountDeniedExercise: Exercise = {
  id: EXERCISE,
  title: t('A denial capabilities would allow', '能力允许、却被拒绝的操作'),
  goal: t(
    'Make docker-default refuse a mount that your capabilities allow, and make the same mount succeed where AppArmor is off.',
    '让 docker-default 拒绝一次你的能力所允许的挂载，再让同一个挂载在关闭了 AppArmor 的地方成功。',
  ),
  hints: [
    t(
      'An LSM is asked after the capability and seccomp checks have said yes. Both mount containers hold CAP_SYS_ADMIN, so only the AppArmor profile differs.',
      'LSM 是在能力检查和 seccomp 检查都放行之后才被询问的。两个 mount 容器都有 CAP_SYS_ADMIN，所以只有 AppArmor 配置文件不同。',
    ),
    t(
      `In the ${CONFINED} terminal, mount a tmpfs on the directory the lab made under /mnt: mount -t tmpfs none /mnt/lsm-* and read the error.`,
      `在 ${CONFINED} 终端中，把 tmpfs 挂载到实验在 /mnt 下建好的目录上：mount -t tmpfs none /mnt/lsm-*，然后读一读报错。`,
    ),
    t(
      `In the ${UNCONFINED} terminal, run the same: mount -t tmpfs none /mnt/lsm-* (then grep lsm- /proc/self/mountinfo shows the mount).`,
      `在 ${UNCONFINED} 终端中运行同样的命令：mount -t tmpfs none /mnt/lsm-*（之后 grep lsm- /proc/self/mountinfo 会显示这个挂载）。`,
    ),
  ],
  unavailable: (facts) =>
    facts.apparmor
      ? undefined
      : t(
          'On a host with AppArmor (this course\'s Debian 13 VM), mount -t tmpfs none /mnt/lsm-… fails with "permission denied" in a container that holds SYS_ADMIN, and the kernel logs apparmor="DENIED" operation="mount" profile="docker-default"; with apparmor=unconfined the same mount succeeds. The engine on this host reports no AppArmor, so no profile stands between the capability and the mount: both would succeed, and there is no denial to show. nslab does not start the two SYS_ADMIN containers here.',
          '在有 AppArmor 的宿主机上（本课程的 Debian 13 虚拟机），在持有 SYS_ADMIN 的容器里执行 mount -t tmpfs none /mnt/lsm-… 会以 "permission denied" 失败，内核记录 apparmor="DENIED" operation="mount" profile="docker-default"；加上 apparmor=unconfined，同一个挂载就成功了。这台宿主机的引擎没有报告 AppArmor，所以能力和挂载之间没有任何配置文件：两次挂载都会成功，也就没有拒绝可看。nslab 在这里不会启动这两个带 SYS_ADMIN 的容器。',
        ),
  check: mountDeniedCheck,
  solution: [
    { terminal: CONFINED, input: MOUNT },
    { terminal: UNCONFINED, input: MOUNT },
  ],
  cheat: [
    // Half of it: the allowed mount alone.
    { terminal: UNCONFINED, input: MOUNT },
    // The denial's text written into the kernel's log from the one container that knows the
    // mount point and is confined: as an audit user message, and through /dev/kmsg. Both are
    // refused there (no CAP_AUDIT_WRITE, no CAP_MKNOD, and the device cgroup refuses 1:11);
    // where a container holds AUDIT_WRITE the message lands as a type 1107 record, which the
    // check does not take (test/docker/lsm-lab.test.ts sends one for real).
    { terminal: CONFINED, input: FORGE },
  ],
};
