// Read-only root file system and the device cgroup. A write in an ordinary container lands
// in its overlay upperdir on the host; --read-only refuses it everywhere except the tmpfs
// the lab mounted; and root with CAP_MKNOD may create any device node, but the device
// cgroup decides, by major:minor, which ones it may open. The checks run nothing in the
// containers: the engine's list of changes, and the host's lstat through the container's root.
import type {
  CheckContext,
  ContainerEvidence,
  ContainerProfile,
  LabDefinition,
} from '../../server/lab-kit.ts';
import {
  DOCKER_DEFAULT_RULES,
  ENGINE_NODES,
  deviceListAllowsRead,
  deviceNode,
  nodeName,
  type DeviceNode,
} from './device-nodes.ts';

const common: Omit<ContainerProfile, 'name' | 'title'> = {
  memoryMb: 128,
  pidsLimit: 128,
  cpus: 0.5,
};

/** What the engine itself writes into every container's layer (the --init binary's mount point). */
const ENGINE_CHANGES = new Set(['/usr', '/usr/sbin', '/usr/sbin/docker-init']);

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** Regular files under `dir` on its own file system, as the host's lstat sees them. */
async function filesIn(box: ContainerEvidence, dir: string): Promise<string[]> {
  return (await box.walk(dir, { types: ['file'] })).map((f) => f.path);
}

/** Device nodes of the learner's on the root file system and in /dev (each on its own). */
async function learnerNodes(box: ContainerEvidence): Promise<DeviceNode[]> {
  const found = await Promise.all(
    ['/', '/dev'].map((dir) => box.walk(dir, { types: ['char', 'block'], limit: 50_000 })),
  );
  return found
    .flat()
    .map(deviceNode)
    .filter((n): n is DeviceNode => n !== undefined && !ENGINE_NODES.has(n.path));
}

/** The rules the device cgroup applies: devices.list on cgroup v1, Docker's defaults on v2. */
async function deviceRules(
  ctx: CheckContext,
  box: ContainerEvidence,
): Promise<{ list: string; where: string }> {
  if (ctx.host.facts.cgroupVersion === 1) {
    return {
      list: await box.cgroupFile('devices', 'devices.list'),
      where: "the container's devices.list on the host",
    };
  }
  const extra = (await box.inspect()).HostConfig.DeviceCgroupRules ?? [];
  return {
    list: [DOCKER_DEFAULT_RULES, ...extra].join('\n'),
    where:
      "Docker's device rules for the container (on cgroup v2 the kernel holds them as an eBPF program, with no file to read)",
  };
}

export const readonlyDevicesLab: LabDefinition = {
  id: 'readonly-devices',
  title: 'Read-only root and the device cgroup',
  topic: 'least privilege',
  summary:
    "See where a container's writes land on the host, make the root file system read-only with a tmpfs for scratch, and find out who decides which device nodes a container may open.",
  minutes: 15,
  learned: [
    "A container's writes land in its writable layer on the host; --read-only with a tmpfs keeps scratch space only.",
    'The device cgroup, not file permissions, decides which device nodes a container may open.',
  ],
  lesson: 'readonly-devices.md',
  containers: [
    { name: 'writable', title: 'writable (default)', hostname: 'writable', ...common },
    {
      name: 'readonly',
      title: 'readonly (--read-only --tmpfs /tmp)',
      hostname: 'readonly',
      readonlyRootfs: true,
      tmpfs: { '/tmp': 'rw,noexec,nosuid,nodev,size=16m' },
      ...common,
    },
  ],
  exercises: [
    {
      id: 'upperdir',
      title: 'Where did that write go?',
      goal: "Write a file into the writable container's root file system, and name the host directory it really landed in.",
      answer: { label: 'Host directory', placeholder: '/var/lib/docker/...' },
      hints: [
        'The root file system is an overlay mount: read-only image layers below, one writable layer on top. /proc/mounts shows its options.',
        "That directory is not the writable layer. Overlay's options are lowerdir= (image layers, read-only), upperdir= (the writable one) and workdir= (overlay's scratch space).",
        "In the writable terminal: echo planted > /etc/planted; grep -o 'upperdir=[^,]*' /proc/mounts",
      ],
      check: async (ctx, answer) => {
        const box = ctx.container('writable');
        const info = await box.inspect();
        const data = info.GraphDriver.Data as Record<string, string> | null;
        const upper = data?.UpperDir;
        if (info.GraphDriver.Name !== 'overlay2' || upper === undefined) {
          return {
            passed: false,
            reason: `This engine stores containers with ${info.GraphDriver.Name}, not overlay2; the lesson assumes overlay2.`,
            hint: 0,
          };
        }
        const written = (await box.changes()).filter(
          (c) => c.kind !== 'deleted' && !ENGINE_CHANGES.has(c.path),
        );
        const submitted = trimSlash((answer ?? '').trim());
        const rightPlace =
          submitted === upper ||
          written.some((c) => submitted === `${upper}${c.path}` && c.kind === 'added');
        if (rightPlace && written.length > 0) {
          const example = written.find((c) => c.kind === 'added') ?? written[0];
          return {
            passed: true,
            reason: `Right: the engine's own list of changes (docker diff) shows ${written.length} path(s) you wrote, such as ${example?.path ?? ''}; on the host each is a file under ${upper}.`,
          };
        }
        if (rightPlace) {
          return {
            passed: false,
            reason: `That is the writable layer, but nothing of yours is in it yet: write a file first.`,
            hint: 0,
          };
        }
        const lower = (data?.LowerDir ?? '').split(':');
        if (lower.includes(submitted) || submitted.includes('/overlay2/l/')) {
          return {
            passed: false,
            reason:
              'That is a read-only image layer (lowerdir), shared with every container of this image.',
            hint: 1,
          };
        }
        if (submitted === data?.WorkDir || submitted === data?.MergedDir) {
          return {
            passed: false,
            reason:
              submitted === data.WorkDir
                ? "That is overlay's scratch space (workdir); your files are not kept there."
                : 'That is the merged view (what the container sees as /), not where writes are stored.',
            hint: 1,
          };
        }
        return { passed: false, reason: "That is not this container's writable layer.", hint: 0 };
      },
      solution: [
        {
          terminal: 'writable',
          input: "echo planted > /etc/planted; grep -o 'upperdir=[^,]*' /proc/mounts",
          capture: /upperdir=(\/\S+)/,
        },
      ],
      // The first path in lowerdir= is a directory of the same overlay, but a read-only layer.
      cheat: [
        {
          terminal: 'writable',
          input: "grep -o 'lowerdir=[^:]*' /proc/mounts",
          capture: /lowerdir=(\/\S+)/,
        },
      ],
    },
    {
      id: 'tmpfs-only',
      title: 'Read-only, except where it must not be',
      goal: 'Save a file in the read-only container, in the one place the lab made writable for it.',
      hints: [
        'Look at how things are mounted: /proc/mounts lists every mount with its options (ro or rw).',
        "Some of the rw mounts are the engine's own (/dev, /dev/shm, /etc/hosts). The lab asked for one with --tmpfs.",
        'In the readonly terminal: echo notes > /tmp/notes.txt',
      ],
      check: async (ctx) => {
        const box = ctx.container('readonly');
        const info = await box.inspect();
        const tmpfs = (info.HostConfig.Tmpfs ?? {}) as Record<string, string>;
        if (info.HostConfig.ReadonlyRootfs !== true || tmpfs['/tmp'] === undefined) {
          return {
            passed: false,
            reason: 'The readonly container is not read-only with a tmpfs on /tmp.',
            hint: 0,
          };
        }
        const inTmp = await filesIn(box, '/tmp');
        const written = (await box.changes()).filter((c) => !ENGINE_CHANGES.has(c.path));
        if (written.length > 0) {
          return {
            passed: false,
            reason: `The root file system changed (${written.map((c) => c.path).join(', ')}): it should not be possible.`,
            hint: 0,
          };
        }
        if (inTmp.length === 0) {
          const elsewhere = await filesIn(box, '/dev/shm');
          return {
            passed: false,
            reason:
              elsewhere.length === 0
                ? '/tmp in the readonly container holds no files.'
                : `You found a writable place (${elsewhere[0] ?? ''}), but not the one the lab mounted for scratch.`,
            hint: elsewhere.length === 0 ? 0 : 1,
          };
        }
        return {
          passed: true,
          reason: `${inTmp.join(', ')} lives in the tmpfs (${tmpfs['/tmp']}), in memory, and vanishes with the container. The engine's list of changes to the root file system (docker diff) holds nothing of yours: ReadonlyRootfs is true.`,
        };
      },
      // Places that refuse, and an engine mount that accepts but is not the lab's scratch.
      cheat: [
        {
          terminal: 'readonly',
          input: 'echo x > /root/notes.txt; touch /etc/notes.txt; echo x > /dev/shm/notes.txt',
        },
      ],
      solution: [
        { terminal: 'readonly', input: "grep -E ' (/|/tmp) ' /proc/mounts" },
        { terminal: 'readonly', input: 'echo notes > /tmp/notes.txt; cat /tmp/notes.txt' },
      ],
    },
    {
      id: 'device-cgroup',
      title: 'Who decides about devices?',
      goal: 'In the writable container, make two device nodes of your own: one the device cgroup lets you open, and one it refuses.',
      hints: [
        'A device node is a name for a (type, major, minor) triple; `mknod NAME c MAJOR MINOR` makes one, and `ls -l /dev` shows the numbers of the nodes Docker made (1,5 is zero).',
        'Docker allows only a short list of devices to be opened. Pick the numbers of a device that is not in /dev, such as the kernel memory device /dev/mem (c 1 1), and of one that is.',
        'In the writable terminal: mknod /root/mem c 1 1; mknod /root/zero c 1 5; head -c 1 /root/mem; head -c 4 /root/zero | od -c',
      ],
      check: async (ctx) => {
        const box = ctx.container('writable');
        const nodes = await learnerNodes(box);
        const { list, where } = await deviceRules(ctx, box);
        const opens = nodes.find((n) => deviceListAllowsRead(list, n));
        const refused = nodes.find((n) => !deviceListAllowsRead(list, n));
        if (opens === undefined || refused === undefined) {
          return {
            passed: false,
            reason:
              nodes.length === 0
                ? 'There is no device node of yours in the writable container.'
                : `Your device nodes: ${nodes.map((n) => `${nodeName(n)}, ${deviceListAllowsRead(list, n) ? 'allowed' : 'refused'}`).join('; ')}. One must be one the device cgroup lets you open, and one it refuses.`,
            hint: nodes.length === 0 ? 0 : 1,
          };
        }
        return {
          passed: true,
          reason: `${nodeName(opens)} opens; ${nodeName(refused)} exists, but open(2) gets EPERM. The server found both nodes with the host's lstat in your container's file system, and read the rules in ${where}: they allow ${opens.type} ${opens.major}:${opens.minor} to be read and have no rule for ${refused.type} ${refused.major}:${refused.minor} beyond "${refused.type} *:* m" (mknod only).`,
        };
      },
      // Not device nodes: a regular file and a symlink; and a node Docker allows, without its refused twin.
      cheat: [
        {
          terminal: 'writable',
          input: 'touch /root/mem; ln -sf /dev/zero /root/zero-link; cp -a /dev/null /root/null',
        },
      ],
      solution: [
        {
          terminal: 'writable',
          input: 'rm -f /root/mem /root/zero; mknod /root/mem c 1 1; mknod /root/zero c 1 5',
        },
        { terminal: 'writable', input: 'head -c 1 /root/mem; head -c 4 /root/zero | od -c' },
      ],
    },
  ],
};
