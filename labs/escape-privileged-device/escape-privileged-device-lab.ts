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
  title: 'Escape: privileged, with the host’s disk',
  topic: 'escapes',
  summary:
    'A privileged container is root with every capability and the host’s devices: mount the host’s disk and read a root-only flag on it. Then see what a device alone gives away, and what Docker’s defaults keep out.',
  minutes: 12,
  learned: [
    "--privileged gives every capability and the host's devices: mounting the host's disk reads its files.",
    "Even one device passed in gives its data away; Docker's defaults keep devices out.",
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
      title: 'privileged (all capabilities, the disk)',
      hostname: 'privileged',
      capAdd: ['ALL'],
      securityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
      hostDisk: DISK,
      ...SMALL,
    },
    {
      name: 'device-only',
      title: 'device-only (--device, default capabilities)',
      hostname: 'device-only',
      hostDisk: DISK,
      ...SMALL,
    },
    { name: 'hardened', title: HARDENED_TITLE, hostname: 'hardened', ...HARDENED, ...SMALL },
  ],
  exercises: [
    {
      id: 'mount-disk',
      title: "Mount the host's disk",
      goal: `Mount the host's disk (${DISK}) in the privileged container.`,
      hints: [
        'A disk is a block device; a file system on it becomes files when something mounts it. Which of your containers may mount?',
        `Mounting needs CAP_SYS_ADMIN: the privileged container has it, device-only does not. Make a directory and mount ${DISK} on it.`,
        `In the privileged terminal: ${MOUNT_STEP}`,
      ],
      check: async (ctx) => {
        const privileged = ctx.container('privileged');
        const numbers = diskNumbers(await privileged.inspect());
        if (numbers === undefined)
          return { passed: false, reason: 'The privileged container has no disk.', hint: 0 };
        // The mount table of the container's mount namespace, as the host's /proc shows it.
        const where = mountsOf(await privileged.mountinfo(), numbers);
        if (where.length > 0) {
          return {
            passed: true,
            reason: `The host's disk (device ${numbers}) is mounted at ${where.join(', ')} in the privileged container (its mount table, /proc/<pid>/mountinfo, read on the host): every file on it is yours to read and write, as the host's root.`,
          };
        }
        return {
          passed: false,
          reason: `Nothing in the privileged container is mounted from the disk (device ${numbers}).`,
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
      title: 'Read a root-only file on it',
      goal: 'Read root/flag on the host’s disk (mode 0600, root only) and submit it.',
      answer: { label: 'The flag', placeholder: '16 hex digits' },
      hints: [
        'Once the disk is mounted, its files are ordinary files to root.',
        'The flag is root/flag under wherever you mounted the disk.',
        `In the privileged terminal: ${READ_STEP}`,
      ],
      check: flagCheck(
        "Right. The flag was only on the host's disk. A privileged container reads and writes the host's disks as the host does, beneath every permission its own namespaces pretend to enforce.",
      ),
      cheat: [
        { terminal: 'hardened', input: READ_STEP, capture: FLAG_LINE },
        { terminal: 'privileged', input: 'cat /root/flag', capture: FLAG_LINE },
      ],
      solution: [{ terminal: 'privileged', input: READ_STEP, capture: FLAG_LINE }],
    },
  ],
};
