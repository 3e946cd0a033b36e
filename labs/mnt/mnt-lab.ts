// Mount namespace lab: each container has its own mount table. The same volume is
// read-only in one container and writable in another; a read-only root filesystem still
// has writable tmpfs mounts, which live in memory; /proc/mounts leaks the host path of the
// container's overlay layer; and Docker mounts /proc/sys and friends read-only on top of /proc.
import type { LabDefinition } from '../../server/lab-kit.ts';
import {
  filesUnder,
  mountAt,
  overlayDirs,
  parseMountInfo,
  shmemBytes,
  upperDir,
  usageKiB,
  volumeFiles,
} from './mnt-evidence.ts';

const DATA = '/data';
const MIB = 1024 * 1024;
/** How much the tmpfs exercise asks for; the tmpfs itself holds 16 MiB. */
const WANTED_MIB = 4;

const SMALL = { memoryMb: 128, pidsLimit: 128, cpus: 0.5 };

export const mntLab: LabDefinition = {
  id: 'mnt',
  title: 'Mount namespace: what can you write, and what does it reveal?',
  topic: 'namespaces',
  summary:
    'Each container has its own mount table. Share a volume read-only and read-write, find the writable corners of a read-only container, read the host path your root filesystem leaks, and see why /proc/sys is read-only.',
  minutes: 15,
  learned: [
    'Each container has its own mount table; a volume can be read-write in one container and read-only in another.',
    '--read-only leaves tmpfs and volumes writable, and /proc/mounts tells where the root file system lives on the host.',
    "Docker mounts /proc/sys read-only so that root in a container cannot change the host's kernel settings.",
  ],
  lesson: 'mnt.md',
  volumes: ['shared'],
  containers: [
    {
      name: 'reader',
      title: 'reader (--read-only)',
      hostname: 'reader',
      readonlyRootfs: true,
      tmpfs: { '/tmp': 'rw,size=16m' },
      volumes: [{ volume: 'shared', target: DATA, readOnly: true }],
      ...SMALL,
    },
    {
      name: 'writer',
      title: 'writer',
      hostname: 'writer',
      volumes: [{ volume: 'shared', target: DATA }],
      ...SMALL,
    },
  ],
  exercises: [
    {
      id: 'read-only-volume',
      title: 'One volume, two mounts',
      goal: 'Make a file appear in /data of the reader container, where the reader itself may not write.',
      hints: [
        'The reader mounts the volume read-only. Does the writer container mount the same volume? Compare `grep /data /proc/self/mounts` in both.',
        "The reader's /tmp is a tmpfs of its own, not the volume. The file has to be in the volume, and only one container may write it.",
        'In the writer terminal: echo hello > /data/note; then in the reader terminal: cat /data/note',
      ],
      check: async (ctx) => {
        const [reader, writer] = await Promise.all([
          ctx.container('reader').inspect(),
          ctx.container('writer').inspect(),
        ]);
        const ro = mountAt(reader, DATA);
        const rw = mountAt(writer, DATA);
        if (ro === undefined || rw === undefined || ro.RW || !rw.RW || ro.Name !== rw.Name) {
          return {
            passed: false,
            reason:
              'The lab is not wired as described: /data should be one volume, read-only in reader and writable in writer.',
            hint: 0,
          };
        }
        const seen = await volumeFiles(ro.Source);
        if (seen.length > 0) {
          return {
            passed: true,
            reason: `${seen.slice(0, 3).join(', ')} is in the volume (read on the host in ${ro.Source}). The reader mounts it read-only (Mounts RW=false) and sees it at ${DATA}; the writer's mount of the same volume is writable: "read-only" belongs to a mount, not to the data.`,
          };
        }
        const tmp = await filesUnder(ctx, 'reader', '/tmp');
        return {
          passed: false,
          reason:
            tmp.length > 0
              ? `The volume is still empty. ${tmp.slice(0, 3).join(', ')} in the reader's /tmp is in a tmpfs, a different mount.`
              : `The volume is still empty (the server listed its directory).`,
          hint: tmp.length > 0 ? 1 : 0,
        };
      },
      solution: [
        { terminal: 'writer', input: 'echo "written by the writer" > /data/note' },
        { terminal: 'reader', input: 'cat /data/note; touch /data/mine' },
      ],
      // The write that works in the reader lands in its tmpfs, not in the volume.
      cheat: [{ terminal: 'reader', input: 'touch /data/note; echo hello > /tmp/note' }],
    },
    {
      id: 'tmpfs-memory',
      title: 'Writable corners of a read-only container',
      goal: `Store at least ${WANTED_MIB} MiB of data inside the reader container, whose root filesystem is read-only.`,
      hints: [
        "--read-only makes / read-only, but not every mount in the reader's mount table. Which ones are rw? (grep -v ' ro,' /proc/mounts)",
        'The data has to be real: an empty or sparse file claims a size but stores nothing. Copy real bytes into a tmpfs.',
        'In the reader terminal: head -c 8M /dev/urandom > /tmp/blob; df -h /tmp',
      ],
      check: async (ctx) => {
        const reader = ctx.container('reader');
        const info = await reader.inspect();
        const tmpfs = info.HostConfig.Tmpfs ?? {};
        if (info.HostConfig.ReadonlyRootfs !== true || !('/tmp' in tmpfs)) {
          return {
            passed: false,
            reason: 'The reader should run with --read-only and a tmpfs at /tmp.',
            hint: 0,
          };
        }
        const shmem = shmemBytes(await reader.cgroupFile('memory', 'memory.stat')) ?? 0;
        // What the files in the tmpfs mounts store, from the host's lstat of each one.
        const { stored, claimed } = usageKiB(
          (await Promise.all(['/tmp', '/dev/shm'].map((dir) => reader.walk(dir)))).flat(),
        );
        const shmemMiB = (shmem / MIB).toFixed(1);
        if (shmem >= WANTED_MIB * MIB && stored >= WANTED_MIB * 1024) {
          return {
            passed: true,
            reason: `The reader's tmpfs mounts hold ${(stored / 1024).toFixed(1)} MiB, and its memory cgroup counts ${shmemMiB} MiB of shmem (memory.stat, read on the host): the data is in RAM, charged to the container's memory limit, and never reaches the host's disk.`,
          };
        }
        if (claimed >= WANTED_MIB * 1024) {
          return {
            passed: false,
            reason: `Files in /tmp and /dev/shm claim ${(claimed / 1024).toFixed(1)} MiB, but only ${(stored / 1024).toFixed(1)} MiB is stored, and the memory cgroup counts ${shmemMiB} MiB of shmem: a sparse file has a size but no data.`,
            hint: 1,
          };
        }
        return {
          passed: false,
          reason: `The reader's tmpfs mounts hold ${(stored / 1024).toFixed(1)} MiB (memory cgroup shmem: ${shmemMiB} MiB).`,
          hint: 0,
        };
      },
      solution: [
        {
          terminal: 'reader',
          input: 'head -c 8M /dev/urandom > /tmp/blob; df -h /tmp; touch /etc/test',
        },
      ],
      // A file that claims 8 MiB and stores nothing.
      cheat: [{ terminal: 'reader', input: 'truncate -s 8M /tmp/big; ls -lh /tmp/big' }],
    },
    {
      id: 'upperdir',
      title: 'What /proc/mounts leaks',
      goal: "Report the host directory that holds the writer container's changes to its own root filesystem.",
      answer: { label: 'Host path', placeholder: '/var/lib/docker/overlay2/…/diff' },
      hints: [
        "The container's / is an overlay mount. Its options in /proc/mounts name directories on the host.",
        'Overlay has read-only lower layers, a writable upper layer and a scratch work directory. The changes go to the upper one, and each container has its own.',
        "In the writer terminal: grep -o 'upperdir=[^,]*' /proc/self/mounts",
      ],
      check: async (ctx, answer) => {
        const [writer, reader] = await Promise.all([
          ctx.container('writer').inspect(),
          ctx.container('reader').inspect(),
        ]);
        const truth = upperDir(writer);
        if (truth === undefined) {
          return {
            passed: false,
            reason: `The engine stores containers with "${writer.GraphDriver.Name}", not overlay: there is no upper directory to report.`,
            hint: 0,
          };
        }
        const submitted = (answer ?? '')
          .trim()
          .replace(/^upperdir=/, '')
          .replace(/\/+$/, '');
        if (submitted === truth) {
          return {
            passed: true,
            reason: `Right: ${truth} is GraphDriver.Data.UpperDir in docker inspect. Every file the writer creates or changes outside its mounts lands there, on the host's disk, and any process in the container can read that path in /proc/mounts.`,
          };
        }
        if (submitted === upperDir(reader)) {
          return {
            passed: false,
            reason:
              "That is the reader's upper directory. Each container has its own; the question is about the writer.",
            hint: 1,
          };
        }
        const data = overlayDirs(writer);
        if (submitted === data.WorkDir || submitted === data.MergedDir) {
          return {
            passed: false,
            reason:
              submitted === data.WorkDir
                ? "That is overlay's work directory, its scratch space. Changes are kept in the upper directory."
                : "That is the merged view, the container's / as seen from the host. Changes are kept in the upper directory.",
            hint: 1,
          };
        }
        return {
          passed: false,
          reason: "That is not the writer's upper directory.",
          hint: 0,
        };
      },
      solution: [
        {
          terminal: 'writer',
          input: "grep -o 'upperdir=[^,]*' /proc/self/mounts",
          capture: /upperdir=([^,\s]+)/,
        },
      ],
      // The right kind of path from the wrong option.
      cheat: [
        {
          terminal: 'writer',
          input: "grep -o 'workdir=[^,]*' /proc/self/mounts",
          capture: /workdir=([^,\s]+)/,
        },
      ],
    },
    {
      id: 'proc-sys',
      title: 'Why /proc/sys is read-only',
      goal: 'Report the mount ID of the mount that makes /proc/sys read-only in the reader container.',
      answer: { label: 'Mount ID', placeholder: 'first column of /proc/self/mountinfo' },
      hints: [
        '/proc/self/mountinfo lists every mount of your mount namespace, one per line; the first column is its mount ID and the fifth is where it is mounted.',
        '/proc itself is mounted read-write. Docker puts separate read-only mounts on top of some of its directories: find the line whose mount point is /proc/sys.',
        "In the reader terminal: grep ' /proc/sys ' /proc/self/mountinfo (the first number)",
      ],
      check: async (ctx, answer) => {
        const table = parseMountInfo(await ctx.container('reader').mountinfo());
        const sys = table.filter((m) => m.mountPoint === '/proc/sys' && m.options.includes('ro'));
        const proc = table.find((m) => m.mountPoint === '/proc');
        const truth = sys.at(-1);
        if (truth === undefined) {
          return {
            passed: false,
            reason: 'The reader has no read-only mount at /proc/sys.',
            hint: 0,
          };
        }
        const submitted = Number((answer ?? '').trim());
        if (sys.some((m) => m.id === submitted)) {
          const others = table
            .filter((m) => m.parent === proc?.id && m.options.includes('ro'))
            .map((m) => m.mountPoint);
          return {
            passed: true,
            reason: `Right: mount ${truth.id} is /proc/sys again, mounted read-only on top of /proc (mount ${proc?.id ?? '?'}, read-write). Docker puts read-only mounts over ${others.join(', ')}. Root in the container cannot remount them without CAP_SYS_ADMIN.`,
          };
        }
        if (proc !== undefined && submitted === proc.id) {
          return {
            passed: false,
            reason: `Mount ${proc.id} is /proc itself, which is read-write. /proc/sys is a separate mount on top of it.`,
            hint: 1,
          };
        }
        return {
          passed: false,
          reason: 'No read-only /proc/sys mount has that ID in the reader container.',
          hint: 0,
        };
      },
      solution: [
        {
          terminal: 'reader',
          input: "grep ' /proc/sys ' /proc/self/mountinfo",
          capture: /^(\d+)\s+\d+\s+\S+\s+\S+\s+\/proc\/sys\s/m,
        },
      ],
      // The mount underneath: /proc itself.
      cheat: [
        {
          terminal: 'reader',
          input: 'awk \'$5 == "/proc" {print $1}\' /proc/self/mountinfo',
          capture: /^(\d+)$/m,
        },
      ],
    },
  ],
};
