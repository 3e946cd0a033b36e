// Escape lab: a privileged container and a host disk. --privileged hands a container every
// capability, no seccomp filter, no AppArmor profile and every host device; root in it
// mounts the host's disk and reads whatever is on it. Containment: the "host disk" is an
// ext4 image the lab makes in the session's own directory, on a loop device, with the flag
// in root/flag; it is the only device passed in, so the VM's own disk stays out of the
// lab's way (the test machines cannot open /dev/vda at all). Real --privileged would pass
// every device, so the lab uses its other parts (all capabilities the engine can grant,
// seccomp and AppArmor off) plus --device for the one disk, and the lesson says so. The
// contrasts: device-only (the disk, default capabilities: no mount, but debugfs reads raw
// blocks) and hardened (Docker's defaults: no disk at all).
import { FLAG_LINE, flagCheck } from '../shared/flag-check.ts';
import type { ContainerInspectInfo, LabDefinition } from '../../server/lab-kit.ts';
import { HARDENED, HARDENED_TITLE } from '../shared/hardened-profile.ts';
import { t } from '../shared/localized.ts';

const SMALL = { memoryMb: 128, pidsLimit: 128, cpus: 0.5 } as const;
export const DISK = '/dev/hostdisk';
/** Loop devices have major number 7 on Linux (devices.txt). */
const LOOP_MAJOR = 7;

export const MOUNT_STEP = `mkdir -p /mnt/host && { mountpoint -q /mnt/host || mount ${DISK} /mnt/host; } && ls /mnt/host`;
export const READ_STEP = `${MOUNT_STEP} >/dev/null && cat /mnt/host/root/flag`;

/** "major:minor" of the loop device passed in, from inspect's HostConfig.Devices. */
export function diskNumbers(info: ContainerInspectInfo): string | undefined {
  const devices = (info.HostConfig.Devices ?? []) as { PathOnHost?: string }[];
  const loop = devices.map((d) => /^\/dev\/loop(\d+)$/.exec(d.PathOnHost ?? '')?.[1]).find(Boolean);
  return loop === undefined ? undefined : `${LOOP_MAJOR}:${loop}`;
}

/** Mount points in a mountinfo text whose file system is on the device "major:minor". */
export function mountsOf(mountinfo: string, numbers: string): string[] {
  return mountinfo
    .split('\n')
    .map((line) => line.split(' '))
    .filter((f) => f[2] === numbers)
    .map((f) => f[4] ?? '');
}

export const escapePrivilegedDeviceLab: LabDefinition = {
  id: 'escape-privileged-device',
  title: t('Escape: privileged, with the host’s disk', '逃逸：特权，外加宿主机的磁盘'),
  topic: 'escapes',
  summary: t(
    'A privileged container is root with every capability and the host’s devices: mount the host’s disk and read a root-only flag on it. Then see what a device alone gives away, and what Docker’s defaults keep out.',
    '特权容器就是拥有全部能力和宿主机设备的 root：挂载宿主机的磁盘，读取上面一个仅 root 可读的 flag。然后看看单单一个设备会泄露什么，以及 Docker 的默认配置能挡住什么。',
  ),
  minutes: 12,
  learned: [
    t(
      "--privileged gives every capability and the host's devices: mounting the host's disk reads its files.",
      '--privileged 给出全部能力和宿主机的设备：挂载宿主机的磁盘，就能读取上面的文件。',
    ),
    t(
      "Even one device passed in gives its data away; Docker's defaults keep devices out.",
      '哪怕只传入一个设备，它的数据也会被交出去；Docker 的默认配置把设备挡在外面。',
    ),
  ],
  lesson: 'escape-privileged-device.md',
  escape: true,
  hostDisk: {
    sizeMb: 16,
    files: [
      { path: 'etc/hostname', content: 'the-host\n' },
      { path: 'root/flag', content: '{{token}}\n' },
    ],
  },
  containers: [
    {
      name: 'privileged',
      title: t('privileged (all capabilities, the disk)', 'privileged（全部能力，外加磁盘）'),
      hostname: 'privileged',
      capAdd: ['ALL'],
      securityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
      hostDisk: DISK,
      ...SMALL,
    },
    {
      name: 'device-only',
      title: t('device-only (--device, default capabilities)', 'device-only（--device，默认能力）'),
      hostname: 'device-only',
      hostDisk: DISK,
      ...SMALL,
    },
    { name: 'hardened', title: HARDENED_TITLE, hostname: 'hardened', ...HARDENED, ...SMALL },
  ],
  exercises: [
    {
      id: 'mount-disk',
      title: t("Mount the host's disk", '挂载宿主机的磁盘'),
      goal: t(
        `Mount the host's disk (${DISK}) in the privileged container.`,
        `在 privileged 容器中挂载宿主机的磁盘（${DISK}）。`,
      ),
      hints: [
        t(
          'A disk is a block device; a file system on it becomes files when something mounts it. Which of your containers may mount?',
          '磁盘是一个块设备；上面的文件系统要经过挂载才会变成文件。你的哪个容器可以挂载？',
        ),
        t(
          `Mounting needs CAP_SYS_ADMIN: the privileged container has it, device-only does not. Make a directory and mount ${DISK} on it.`,
          `挂载需要 CAP_SYS_ADMIN：privileged 容器有它，device-only 没有。创建一个目录，把 ${DISK} 挂载到上面。`,
        ),
        t(`In the privileged terminal: ${MOUNT_STEP}`, `在 privileged 终端中：${MOUNT_STEP}`),
      ],
      check: async (ctx) => {
        const privileged = ctx.container('privileged');
        const numbers = diskNumbers(await privileged.inspect());
        if (numbers === undefined)
          return {
            passed: false,
            reason: t('The privileged container has no disk.', 'privileged 容器没有磁盘。'),
            hint: 0,
          };
        // The mount table of the container's mount namespace, as the host's /proc shows it.
        const where = mountsOf(await privileged.mountinfo(), numbers);
        if (where.length > 0) {
          return {
            passed: true,
            reason: t(
              `The host's disk (device ${numbers}) is mounted at ${where.join(', ')} in the privileged container (its mount table, /proc/<pid>/mountinfo, read on the host): every file on it is yours to read and write, as the host's root.`,
              `宿主机的磁盘（设备 ${numbers}）挂载在 privileged 容器中的 ${where.join(', ')}（这是它的挂载表 /proc/<pid>/mountinfo，在宿主机上读取）：上面的每一个文件，你都能以宿主机 root 的身份随意读写。`,
            ),
          };
        }
        return {
          passed: false,
          reason: t(
            `Nothing in the privileged container is mounted from the disk (device ${numbers}).`,
            `privileged 容器中没有任何挂载来自这块磁盘（设备 ${numbers}）。`,
          ),
          hint: 0,
        };
      },
      cheat: [
        { terminal: 'device-only', input: MOUNT_STEP },
        { terminal: 'hardened', input: MOUNT_STEP },
        // A mount that merely names the disk.
        {
          terminal: 'privileged',
          input: 'mkdir -p /mnt/fake && mount -t tmpfs hostdisk /mnt/fake',
        },
      ],
      solution: [{ terminal: 'privileged', input: MOUNT_STEP }],
    },
    {
      id: 'read-flag',
      title: t('Read a root-only file on it', '读取上面一个仅 root 可读的文件'),
      goal: t(
        'Read root/flag on the host’s disk (mode 0600, root only) and submit it.',
        '读取宿主机磁盘上的 root/flag（权限 0600，仅 root 可读），并提交它。',
      ),
      answer: {
        label: t('The flag', 'flag'),
        placeholder: t('16 hex digits', '16 位十六进制数字'),
      },
      hints: [
        t(
          'Once the disk is mounted, its files are ordinary files to root.',
          '磁盘一旦挂载，上面的文件对 root 来说就是普通文件。',
        ),
        t(
          'The flag is root/flag under wherever you mounted the disk.',
          'flag 就是你挂载磁盘的位置下的 root/flag。',
        ),
        t(`In the privileged terminal: ${READ_STEP}`, `在 privileged 终端中：${READ_STEP}`),
      ],
      check: flagCheck(
        t(
          "Right. The flag was only on the host's disk. A privileged container reads and writes the host's disks as the host does, beneath every permission its own namespaces pretend to enforce.",
          '没错。flag 只在宿主机的磁盘上。特权容器像宿主机一样读写宿主机的磁盘，从底层绕过了它自己的命名空间装作在施行的一切权限。',
        ),
      ),
      cheat: [
        { terminal: 'hardened', input: READ_STEP, capture: FLAG_LINE },
        { terminal: 'privileged', input: 'cat /root/flag', capture: FLAG_LINE },
      ],
      solution: [{ terminal: 'privileged', input: READ_STEP, capture: FLAG_LINE }],
    },
  ],
};
