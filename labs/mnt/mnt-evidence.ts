// What the mount lab's checks read: mount tables (/proc/<pid>/mountinfo), disk usage and the
// memory cgroup's shmem count (pure parsers, so they can be tested), and the volume and overlay
// directories `docker inspect` names, read on the host or through a server probe.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { CheckContext, ContainerInspectInfo } from '../../server/lab-kit.ts';

export interface MountInfo {
  id: number;
  parent: number;
  mountPoint: string;
  /** Per-mount options (ro/rw, nosuid, ...), not the file system's own. */
  options: string[];
  fsType: string;
}

/** Lines of /proc/<pid>/mountinfo (see proc(5)); octal escapes in paths are decoded. */
export function parseMountInfo(text: string): MountInfo[] {
  const decode = (s: string): string =>
    s.replace(/\\([0-7]{3})/g, (_m, octal: string) =>
      String.fromCharCode(Number.parseInt(octal, 8)),
    );
  const mounts: MountInfo[] = [];
  for (const line of text.split('\n')) {
    const [left = '', right = ''] = line.split(' - ');
    const fields = left.trim().split(' ');
    const [id, parent, , , mountPoint, options] = fields;
    if (
      id === undefined ||
      parent === undefined ||
      mountPoint === undefined ||
      options === undefined
    )
      continue;
    mounts.push({
      id: Number(id),
      parent: Number(parent),
      mountPoint: decode(mountPoint),
      options: options.split(','),
      fsType: right.trim().split(' ')[0] ?? '',
    });
  }
  return mounts;
}

/** Sums the first column of `du -sk` lines (KiB). */
export function duKiB(output: string): number {
  return output
    .split('\n')
    .map((line) => Number.parseInt(line, 10))
    .filter((n) => Number.isFinite(n))
    .reduce((a, b) => a + b, 0);
}

/** The shmem line of a memory.stat file (bytes), on cgroup v1 and v2 alike. */
export function shmemBytes(memoryStat: string): number | undefined {
  const match = /^shmem (\d+)$/m.exec(memoryStat);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export function mountAt(info: ContainerInspectInfo, target: string) {
  return info.Mounts.find((m) => m.Destination === target);
}

export async function filesUnder(
  ctx: CheckContext,
  container: string,
  dir: string,
): Promise<string[]> {
  const result = await ctx
    .container(container)
    .probe(['find', dir, '-xdev', '-mindepth', '1', '-type', 'f', '-printf', '%P\\n']);
  return result.stdout.split('\n').filter((line) => line !== '');
}

/** The overlay directories of a container, from inspect (dockerode types only device-mapper's). */
export function overlayDirs(info: ContainerInspectInfo): {
  UpperDir?: string;
  WorkDir?: string;
  MergedDir?: string;
} {
  return info.GraphDriver.Data as unknown as Record<string, string | undefined>;
}

/**
 * Regular files in a volume, read on the host in its Mountpoint (inspect's Mounts[].Source).
 * When the server may not read it (not root, or the engine runs elsewhere), the server's
 * own probe lists the same directory through the container's read-only mount instead.
 */
export async function volumeFiles(
  ctx: CheckContext,
  hostDir: string,
  container: string,
  target: string,
): Promise<{ files: string[]; where: 'host' | 'probe' }> {
  try {
    const entries = await readdir(hostDir, { withFileTypes: true, recursive: true });
    const files = entries
      .filter((e) => e.isFile())
      .map((e) => path.relative(hostDir, path.join(e.parentPath, e.name)));
    return { files, where: 'host' };
  } catch {
    return { files: await filesUnder(ctx, container, target), where: 'probe' };
  }
}

export function upperDir(info: ContainerInspectInfo): string | undefined {
  return overlayDirs(info).UpperDir;
}
