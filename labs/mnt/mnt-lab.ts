// Mount namespace lab: each container has its own mount table. The same volume is
// read-only in one container and writable in another; a read-only root filesystem still
// has writable tmpfs mounts, which live in memory; /proc/mounts leaks the host path of the
// container's overlay layer; and Docker mounts /proc/sys and friends read-only on top of /proc.
import type { LabDefinition } from '../../server/lab-kit.ts';
import { t } from '../shared/localized.ts';
import {
  DATA,
  WANTED_MIB,
  procSys,
  readOnlyVolume,
  tmpfsMemory,
  upperdirCheck,
} from './mnt-checks.ts';

const SMALL = { memoryMb: 128, pidsLimit: 128, cpus: 0.5 };

export const mntLab: LabDefinition = {
  id: 'mnt',
  title: t(
    'Mount namespace: what can you write, and what does it reveal?',
    '挂载命名空间：你能写什么，它又泄露了什么？',
  ),
  topic: 'namespaces',
  summary: t(
    'Each container has its own mount table. Share a volume read-only and read-write, find the writable corners of a read-only container, read the host path your root filesystem leaks, and see why /proc/sys is read-only.',
    '每个容器都有自己的挂载表。把一个卷分别以只读和读写方式共享，找到只读容器中的可写角落，读出你的根文件系统泄露的宿主机路径，并弄清 /proc/sys 为什么是只读的。',
  ),
  minutes: 15,
  learned: [
    t(
      'Each container has its own mount table; a volume can be read-write in one container and read-only in another.',
      '每个容器都有自己的挂载表；同一个卷可以在一个容器中可读写，在另一个容器中只读。',
    ),
    t(
      '--read-only leaves tmpfs and volumes writable, and /proc/mounts tells where the root file system lives on the host.',
      '--read-only 之下 tmpfs 和卷仍然可写，而 /proc/mounts 会透露根文件系统在宿主机上的位置。',
    ),
    t(
      "Docker mounts /proc/sys read-only so that root in a container cannot change the host's kernel settings.",
      'Docker 把 /proc/sys 挂载为只读，使容器中的 root 无法修改宿主机的内核设置。',
    ),
  ],
  lesson: 'mnt.md',
  volumes: ['shared'],
  containers: [
    {
      name: 'reader',
      title: t('reader (--read-only)', 'reader（--read-only）'),
      hostname: 'reader',
      readonlyRootfs: true,
      tmpfs: { '/tmp': 'rw,size=16m' },
      volumes: [{ volume: 'shared', target: DATA, readOnly: true }],
      ...SMALL,
    },
    {
      name: 'writer',
      title: t('writer', 'writer'),
      hostname: 'writer',
      volumes: [{ volume: 'shared', target: DATA }],
      ...SMALL,
    },
  ],
  exercises: [
    {
      id: 'read-only-volume',
      title: t('One volume, two mounts', '一个卷，两次挂载'),
      goal: t(
        'Make a file appear in /data of the reader container, where the reader itself may not write.',
        '让一个文件出现在 reader 容器的 /data 中，而 reader 自己不能在那里写入。',
      ),
      hints: [
        t(
          'The reader mounts the volume read-only. Does the writer container mount the same volume? Compare `grep /data /proc/self/mounts` in both.',
          'reader 以只读方式挂载这个卷。writer 容器挂载的是同一个卷吗？在两个容器里比较 `grep /data /proc/self/mounts`。',
        ),
        t(
          "The reader's /tmp is a tmpfs of its own, not the volume. The file has to be in the volume, and only one container may write it.",
          'reader 的 /tmp 是它自己的 tmpfs，而不是这个卷。文件必须在卷里，而只有一个容器可以写它。',
        ),
        t(
          'In the writer terminal: echo hello > /data/note; then in the reader terminal: cat /data/note',
          '在 writer 终端中：echo hello > /data/note；然后在 reader 终端中：cat /data/note',
        ),
      ],
      check: readOnlyVolume,
      solution: [
        { terminal: 'writer', input: 'echo "written by the writer" > /data/note' },
        { terminal: 'reader', input: 'cat /data/note; touch /data/mine' },
      ],
      // The write that works in the reader lands in its tmpfs, not in the volume.
      cheat: [{ terminal: 'reader', input: 'touch /data/note; echo hello > /tmp/note' }],
    },
    {
      id: 'tmpfs-memory',
      title: t('Writable corners of a read-only container', '只读容器中的可写角落'),
      goal: t(
        `Store at least ${WANTED_MIB} MiB of data inside the reader container, whose root filesystem is read-only.`,
        `在 reader 容器中存储至少 ${WANTED_MIB} MiB 的数据；这个容器的根文件系统是只读的。`,
      ),
      hints: [
        t(
          "--read-only makes / read-only, but not every mount in the reader's mount table. Which ones are rw? (grep -v ' ro,' /proc/mounts)",
          "--read-only 让 / 变为只读，但 reader 挂载表中的挂载并非都是如此。哪些是 rw？（grep -v ' ro,' /proc/mounts）",
        ),
        t(
          'The data has to be real: an empty or sparse file claims a size but stores nothing. Copy real bytes into a tmpfs.',
          '数据必须是真实的：空文件或稀疏文件声称有大小，却什么也没存储。把真实的字节复制进一个 tmpfs。',
        ),
        t(
          'In the reader terminal: head -c 8M /dev/urandom > /tmp/blob; df -h /tmp',
          '在 reader 终端中：head -c 8M /dev/urandom > /tmp/blob; df -h /tmp',
        ),
      ],
      check: tmpfsMemory,
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
      title: t('What /proc/mounts leaks', '/proc/mounts 泄露了什么'),
      goal: t(
        "Report the host directory that holds the writer container's changes to its own root filesystem.",
        '报告宿主机上保存 writer 容器对其自身根文件系统所做改动的目录。',
      ),
      answer: {
        label: t('Host path', '宿主机路径'),
        placeholder: t('/var/lib/docker/overlay2/…/diff', '/var/lib/docker/overlay2/…/diff'),
      },
      hints: [
        t(
          "The container's / is an overlay mount. Its options in /proc/mounts name directories on the host.",
          '容器的 / 是一个 overlay 挂载。它在 /proc/mounts 中的选项写明了宿主机上的目录。',
        ),
        t(
          'Overlay has read-only lower layers, a writable upper layer and a scratch work directory. The changes go to the upper one, and each container has its own.',
          'overlay 有只读的下层、一个可写的上层和一个临时的工作目录。改动写入上层，而每个容器都有自己的上层。',
        ),
        t(
          "In the writer terminal: grep -o 'upperdir=[^,]*' /proc/self/mounts",
          "在 writer 终端中：grep -o 'upperdir=[^,]*' /proc/self/mounts",
        ),
      ],
      check: upperdirCheck,
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
      title: t('Why /proc/sys is read-only', '为什么 /proc/sys 是只读的'),
      goal: t(
        'Report the mount ID of the mount that makes /proc/sys read-only in the reader container.',
        '报告在 reader 容器中使 /proc/sys 成为只读的那个挂载的挂载 ID。',
      ),
      answer: {
        label: t('Mount ID', '挂载 ID'),
        placeholder: t('first column of /proc/self/mountinfo', '/proc/self/mountinfo 的第一列'),
      },
      hints: [
        t(
          '/proc/self/mountinfo lists every mount of your mount namespace, one per line; the first column is its mount ID and the fifth is where it is mounted.',
          '/proc/self/mountinfo 列出你的挂载命名空间中的每个挂载，每行一个；第一列是挂载 ID，第五列是挂载位置。',
        ),
        t(
          '/proc itself is mounted read-write. Docker puts separate read-only mounts on top of some of its directories: find the line whose mount point is /proc/sys.',
          '/proc 本身是以读写方式挂载的。Docker 在它的某些目录之上另外放置了只读挂载：找到挂载点为 /proc/sys 的那一行。',
        ),
        t(
          "In the reader terminal: grep ' /proc/sys ' /proc/self/mountinfo (the first number)",
          "在 reader 终端中：grep ' /proc/sys ' /proc/self/mountinfo（第一个数字）",
        ),
      ],
      check: procSys,
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
