// The readonly-devices lab's first two exercises: find the host directory a container's
// writes land in (its overlay upperdir), and save a file in a read-only container's tmpfs.
// The checks use the engine's list of changes and the host's lstat through the container's root.
import type { ContainerEvidence, Exercise } from '../../server/lab-kit.ts';
import { judgeAnswer } from '../shared/answer-check.ts';
import { t } from '../shared/localized.ts';

/** What the engine itself writes into every container's layer (the --init binary's mount point). */
const ENGINE_CHANGES = new Set(['/usr', '/usr/sbin', '/usr/sbin/docker-init']);

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** Regular files under `dir` on its own file system, as the host's lstat sees them. */
async function filesIn(box: ContainerEvidence, dir: string): Promise<string[]> {
  return (await box.walk(dir, { types: ['file'] })).map((f) => f.path);
}

/** Why an answer to the upperdir exercise is not the writable layer holding your writes. */
const WRONG_PLACE = {
  empty: t(
    `That is the writable layer, but nothing of yours is in it yet: write a file first.`,
    `那是可写层，但里面还没有你的任何东西：先写一个文件。`,
  ),
  lower: t(
    'That is a read-only image layer (lowerdir), shared with every container of this image.',
    '那是一个只读的镜像层（lowerdir），由这个镜像的所有容器共享。',
  ),
  work: t(
    "That is overlay's scratch space (workdir); your files are not kept there.",
    '那是 overlay 的临时工作区（workdir）；你的文件并不保存在那里。',
  ),
  merged: t(
    'That is the merged view (what the container sees as /), not where writes are stored.',
    '那是合并后的视图（容器看到的 /），而不是写入内容存放的地方。',
  ),
  other: t("That is not this container's writable layer.", '那不是这个容器的可写层。'),
};

export const upperdirExercise: Exercise = {
  id: 'upperdir',
  title: t('Where did that write go?', '那次写入去了哪里？'),
  goal: t(
    "Write a file into the writable container's root file system, and name the host directory it really landed in.",
    '往 writable 容器的根文件系统里写一个文件，并说出它实际落在的宿主机目录。',
  ),
  answer: {
    label: t('Host directory', '宿主机目录'),
    placeholder: t('/var/lib/docker/...', '/var/lib/docker/...'),
  },
  hints: [
    t(
      'The root file system is an overlay mount: read-only image layers below, one writable layer on top. /proc/mounts shows its options.',
      '根文件系统是一个 overlay 挂载：下面是只读的镜像层，上面是一个可写层。/proc/mounts 会显示它的选项。',
    ),
    t(
      "That directory is not the writable layer. Overlay's options are lowerdir= (image layers, read-only), upperdir= (the writable one) and workdir= (overlay's scratch space).",
      '那个目录不是可写层。overlay 的选项有 lowerdir=（镜像层，只读）、upperdir=（可写层）和 workdir=（overlay 的临时工作区）。',
    ),
    t(
      "In the writable terminal: echo planted > /etc/planted; grep -o 'upperdir=[^,]*' /proc/mounts",
      "在 writable 终端中：echo planted > /etc/planted; grep -o 'upperdir=[^,]*' /proc/mounts",
    ),
  ],
  check: async (ctx, answer) => {
    const box = ctx.container('writable');
    const info = await box.inspect();
    const data = info.GraphDriver.Data as Record<string, string> | null;
    const upper = data?.UpperDir;
    if (info.GraphDriver.Name !== 'overlay2' || upper === undefined) {
      return {
        passed: false,
        reason: t(
          `This engine stores containers with ${info.GraphDriver.Name}, not overlay2; the lesson assumes overlay2.`,
          `这个引擎用 ${info.GraphDriver.Name} 而不是 overlay2 存储容器；本课以 overlay2 为前提。`,
        ),
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
    const example = written.find((c) => c.kind === 'added') ?? written[0];
    const lower = (data?.LowerDir ?? '').split(':');
    return judgeAnswer({
      right: rightPlace && written.length > 0,
      pass: t(
        `Right: the engine's own list of changes (docker diff) shows ${written.length} path(s) you wrote, such as ${example?.path ?? ''}; on the host each is a file under ${upper}.`,
        `正确：引擎自己的变更列表（docker diff）显示了你写入的 ${written.length} 个路径，例如 ${example?.path ?? ''}；在宿主机上，每一个都是 ${upper} 下的一个文件。`,
      ),
      known: [
        { when: rightPlace, reason: WRONG_PLACE.empty, hint: 0 },
        {
          when: lower.includes(submitted) || submitted.includes('/overlay2/l/'),
          reason: WRONG_PLACE.lower,
          hint: 1,
        },
        { when: submitted === data?.WorkDir, reason: WRONG_PLACE.work, hint: 1 },
        { when: submitted === data?.MergedDir, reason: WRONG_PLACE.merged, hint: 1 },
      ],
      otherwise: { reason: WRONG_PLACE.other, hint: 0 },
    });
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
};

export const tmpfsOnlyExercise: Exercise = {
  id: 'tmpfs-only',
  title: t('Read-only, except where it must not be', '只读，但必须可写的地方除外'),
  goal: t(
    'Save a file in the read-only container, in the one place the lab made writable for it.',
    '在只读容器中保存一个文件，保存在实验特意为它设为可写的那个地方。',
  ),
  hints: [
    t(
      'Look at how things are mounted: /proc/mounts lists every mount with its options (ro or rw).',
      '看看各处是怎样挂载的：/proc/mounts 列出了每个挂载及其选项（ro 或 rw）。',
    ),
    t(
      "Some of the rw mounts are the engine's own (/dev, /dev/shm, /etc/hosts). The lab asked for one with --tmpfs.",
      '有些 rw 挂载属于引擎自己（/dev、/dev/shm、/etc/hosts）。实验用 --tmpfs 要求了其中一个。',
    ),
    t(
      'In the readonly terminal: echo notes > /tmp/notes.txt',
      '在 readonly 终端中：echo notes > /tmp/notes.txt',
    ),
  ],
  check: async (ctx) => {
    const box = ctx.container('readonly');
    const info = await box.inspect();
    const tmpfs = (info.HostConfig.Tmpfs ?? {}) as Record<string, string>;
    if (info.HostConfig.ReadonlyRootfs !== true || tmpfs['/tmp'] === undefined) {
      return {
        passed: false,
        reason: t(
          'The readonly container is not read-only with a tmpfs on /tmp.',
          'readonly 容器不是只读的，或者 /tmp 上没有 tmpfs。',
        ),
        hint: 0,
      };
    }
    const inTmp = await filesIn(box, '/tmp');
    const written = (await box.changes()).filter((c) => !ENGINE_CHANGES.has(c.path));
    if (written.length > 0) {
      return {
        passed: false,
        reason: t(
          `The root file system changed (${written.map((c) => c.path).join(', ')}): it should not be possible.`,
          `根文件系统发生了变化（${written.map((c) => c.path).join(', ')}）：这本不应该可能。`,
        ),
        hint: 0,
      };
    }
    if (inTmp.length === 0) {
      const elsewhere = await filesIn(box, '/dev/shm');
      return {
        passed: false,
        reason:
          elsewhere.length === 0
            ? t(
                '/tmp in the readonly container holds no files.',
                'readonly 容器的 /tmp 中没有文件。',
              )
            : t(
                `You found a writable place (${elsewhere[0] ?? ''}), but not the one the lab mounted for scratch.`,
                `你找到了一个可写的地方（${elsewhere[0] ?? ''}），但不是实验为存放临时文件而挂载的那个。`,
              ),
        hint: elsewhere.length === 0 ? 0 : 1,
      };
    }
    return {
      passed: true,
      reason: t(
        `${inTmp.join(', ')} lives in the tmpfs (${tmpfs['/tmp']}), in memory, and vanishes with the container. The engine's list of changes to the root file system (docker diff) holds nothing of yours: ReadonlyRootfs is true.`,
        `${inTmp.join(', ')} 位于 tmpfs（${tmpfs['/tmp']}）中，即内存中，并随容器一起消失。引擎对根文件系统的变更列表（docker diff）中没有你的任何东西：ReadonlyRootfs 为 true。`,
      ),
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
};
