// The mount lab's checks, all read on the host: `docker inspect` of both containers, the
// shared volume's directory, what the reader's tmpfs mounts store and its memory cgroup counts,
// the writer's overlay directories, and the reader's own mount table.
import type { CheckContext, CheckOutcome } from '../../server/lab-kit.ts';
import { t } from '../shared/localized.ts';
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

export const DATA = '/data';
const MIB = 1024 * 1024;
/** How much the tmpfs exercise asks for; the tmpfs itself holds 16 MiB. */
export const WANTED_MIB = 4;

/** read-only-volume: a file in the shared volume, which only the writer can have put there. */
export async function readOnlyVolume(ctx: CheckContext): Promise<CheckOutcome> {
  const [reader, writer] = await Promise.all([
    ctx.container('reader').inspect(),
    ctx.container('writer').inspect(),
  ]);
  const ro = mountAt(reader, DATA);
  const rw = mountAt(writer, DATA);
  if (ro === undefined || rw === undefined || ro.RW || !rw.RW || ro.Name !== rw.Name) {
    return {
      passed: false,
      reason: t(
        'The lab is not wired as described: /data should be one volume, read-only in reader and writable in writer.',
        '实验的接线与描述不符：/data 应当是同一个卷，在 reader 中只读，在 writer 中可写。',
      ),
      hint: 0,
    };
  }
  const seen = await volumeFiles(ro.Source);
  if (seen.length > 0) {
    return {
      passed: true,
      reason: t(
        `${seen.slice(0, 3).join(', ')} is in the volume (read on the host in ${ro.Source}). The reader mounts it read-only (Mounts RW=false) and sees it at ${DATA}; the writer's mount of the same volume is writable: "read-only" belongs to a mount, not to the data.`,
        `${seen.slice(0, 3).join(', ')} 在这个卷里（在宿主机上的 ${ro.Source} 中读取）。reader 以只读方式挂载这个卷（Mounts RW=false），并在 ${DATA} 看到了它；writer 对同一个卷的挂载是可写的：“只读”属于某个挂载，而不属于数据。`,
      ),
    };
  }
  const tmp = await filesUnder(ctx, 'reader', '/tmp');
  return {
    passed: false,
    reason:
      tmp.length > 0
        ? t(
            `The volume is still empty. ${tmp.slice(0, 3).join(', ')} in the reader's /tmp is in a tmpfs, a different mount.`,
            `这个卷仍然是空的。reader 的 /tmp 中的 ${tmp.slice(0, 3).join(', ')} 位于一个 tmpfs 里，那是另一个挂载。`,
          )
        : t(
            `The volume is still empty (the server listed its directory).`,
            `这个卷仍然是空的（服务器列出了它的目录）。`,
          ),
    hint: tmp.length > 0 ? 1 : 0,
  };
}

/** tmpfs-memory: at least WANTED_MIB MiB stored in the read-only reader's tmpfs mounts, counted as shmem. */
export async function tmpfsMemory(ctx: CheckContext): Promise<CheckOutcome> {
  const reader = ctx.container('reader');
  const info = await reader.inspect();
  const tmpfs = info.HostConfig.Tmpfs ?? {};
  if (info.HostConfig.ReadonlyRootfs !== true || !('/tmp' in tmpfs)) {
    return {
      passed: false,
      reason: t(
        'The reader should run with --read-only and a tmpfs at /tmp.',
        'reader 应当以 --read-only 运行，并在 /tmp 上有一个 tmpfs。',
      ),
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
      reason: t(
        `The reader's tmpfs mounts hold ${(stored / 1024).toFixed(1)} MiB, and its memory cgroup counts ${shmemMiB} MiB of shmem (memory.stat, read on the host): the data is in RAM, charged to the container's memory limit, and never reaches the host's disk.`,
        `reader 的 tmpfs 挂载中存有 ${(stored / 1024).toFixed(1)} MiB，它的内存控制组记有 ${shmemMiB} MiB 的 shmem（memory.stat，在宿主机上读取）：数据在内存里，计入容器的内存限制，从不到达宿主机的磁盘。`,
      ),
    };
  }
  if (claimed >= WANTED_MIB * 1024) {
    return {
      passed: false,
      reason: t(
        `Files in /tmp and /dev/shm claim ${(claimed / 1024).toFixed(1)} MiB, but only ${(stored / 1024).toFixed(1)} MiB is stored, and the memory cgroup counts ${shmemMiB} MiB of shmem: a sparse file has a size but no data.`,
        `/tmp 和 /dev/shm 中的文件声称有 ${(claimed / 1024).toFixed(1)} MiB，但实际只存储了 ${(stored / 1024).toFixed(1)} MiB，内存控制组记有 ${shmemMiB} MiB 的 shmem：稀疏文件有大小，却没有数据。`,
      ),
      hint: 1,
    };
  }
  return {
    passed: false,
    reason: t(
      `The reader's tmpfs mounts hold ${(stored / 1024).toFixed(1)} MiB (memory cgroup shmem: ${shmemMiB} MiB).`,
      `reader 的 tmpfs 挂载中存有 ${(stored / 1024).toFixed(1)} MiB（内存控制组的 shmem：${shmemMiB} MiB）。`,
    ),
    hint: 0,
  };
}

/** What upperdirCheck tells the learner. */
const UPPER = {
  notOverlay: (driver: string) =>
    t(
      `The engine stores containers with "${driver}", not overlay: there is no upper directory to report.`,
      `引擎用“${driver}”而不是 overlay 存储容器：没有上层目录可报告。`,
    ),
  right: (truth: string) =>
    t(
      `Right: ${truth} is GraphDriver.Data.UpperDir in docker inspect. Every file the writer creates or changes outside its mounts lands there, on the host's disk, and any process in the container can read that path in /proc/mounts.`,
      `正确：${truth} 就是 docker inspect 中的 GraphDriver.Data.UpperDir。writer 在其挂载之外创建或修改的每个文件都落在那里，即宿主机的磁盘上，而容器中的任何进程都能在 /proc/mounts 中读到这个路径。`,
    ),
  reader: t(
    "That is the reader's upper directory. Each container has its own; the question is about the writer.",
    '这是 reader 的上层目录。每个容器都有自己的上层目录；问题问的是 writer。',
  ),
  workDir: t(
    "That is overlay's work directory, its scratch space. Changes are kept in the upper directory.",
    '这是 overlay 的工作目录，即它的临时空间。改动保存在上层目录中。',
  ),
  merged: t(
    "That is the merged view, the container's / as seen from the host. Changes are kept in the upper directory.",
    '这是合并视图，即从宿主机看到的容器的 /。改动保存在上层目录中。',
  ),
  wrong: t("That is not the writer's upper directory.", '这不是 writer 的上层目录。'),
};

/** upperdir: the host directory that holds the writer's changes to its root filesystem. */
export async function upperdirCheck(
  ctx: CheckContext,
  answer: string | undefined,
): Promise<CheckOutcome> {
  const [writer, reader] = await Promise.all([
    ctx.container('writer').inspect(),
    ctx.container('reader').inspect(),
  ]);
  const truth = upperDir(writer);
  if (truth === undefined) {
    return {
      passed: false,
      reason: UPPER.notOverlay(writer.GraphDriver.Name),
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
      reason: UPPER.right(truth),
    };
  }
  if (submitted === upperDir(reader)) {
    return {
      passed: false,
      reason: UPPER.reader,
      hint: 1,
    };
  }
  const data = overlayDirs(writer);
  if (submitted === data.WorkDir || submitted === data.MergedDir) {
    return {
      passed: false,
      reason: submitted === data.WorkDir ? UPPER.workDir : UPPER.merged,
      hint: 1,
    };
  }
  return {
    passed: false,
    reason: UPPER.wrong,
    hint: 0,
  };
}

/** proc-sys: the mount ID of the read-only mount over /proc/sys in the reader. */
export async function procSys(
  ctx: CheckContext,
  answer: string | undefined,
): Promise<CheckOutcome> {
  const table = parseMountInfo(await ctx.container('reader').mountinfo());
  const sys = table.filter((m) => m.mountPoint === '/proc/sys' && m.options.includes('ro'));
  const proc = table.find((m) => m.mountPoint === '/proc');
  const truth = sys.at(-1);
  if (truth === undefined) {
    return {
      passed: false,
      reason: t(
        'The reader has no read-only mount at /proc/sys.',
        'reader 在 /proc/sys 上没有只读挂载。',
      ),
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
      reason: t(
        `Right: mount ${truth.id} is /proc/sys again, mounted read-only on top of /proc (mount ${proc?.id ?? '?'}, read-write). Docker puts read-only mounts over ${others.join(', ')}. Root in the container cannot remount them without CAP_SYS_ADMIN.`,
        `正确：挂载 ${truth.id} 又是一次 /proc/sys，以只读方式挂载在 /proc（挂载 ${proc?.id ?? '?'}，可读写）之上。Docker 在 ${others.join(', ')} 之上放置了只读挂载。没有 CAP_SYS_ADMIN，容器里的 root 无法重新挂载它们。`,
      ),
    };
  }
  if (proc !== undefined && submitted === proc.id) {
    return {
      passed: false,
      reason: t(
        `Mount ${proc.id} is /proc itself, which is read-write. /proc/sys is a separate mount on top of it.`,
        `挂载 ${proc.id} 是 /proc 本身，它是可读写的。/proc/sys 是叠加在它之上的一个独立挂载。`,
      ),
      hint: 1,
    };
  }
  return {
    passed: false,
    reason: t(
      'No read-only /proc/sys mount has that ID in the reader container.',
      'reader 容器中没有哪个只读的 /proc/sys 挂载具有这个 ID。',
    ),
    hint: 0,
  };
}
