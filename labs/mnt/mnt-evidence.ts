// What the mount lab's checks read, all on the host: mount tables (/proc/<pid>/mountinfo),
// what the files in a container's tmpfs mounts store (the host's lstat through
// /proc/<pid>/root), the memory cgroup's shmem count (pure parsers, so they can be tested),
// and the volume and overlay directories `docker inspect` names.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { CheckContext, ContainerFile, ContainerInspectInfo } from '../../server/lab-kit.ts';

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

/** What regular files claim (their sizes) and really store (their blocks), in KiB, like du. */
export function usageKiB(files: readonly ContainerFile[]): { stored: number; claimed: number } {
  const regular = files.filter((f) => f.type === 'file');
  return {
    stored: regular.reduce((sum, f) => sum + f.blocks * 512, 0) / 1024,
    claimed: regular.reduce((sum, f) => sum + f.size, 0) / 1024,
  };
}

/** The shmem line of a memory.stat file (bytes), on cgroup v1 and v2 alike. */
export function shmemBytes(memoryStat: string): number | undefined {
  const match = /^shmem (\d+)$/m.exec(memoryStat);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export function mountAt(info: ContainerInspectInfo, target: string) {
  return info.Mounts.find((m) => m.Destination === target);
}

/** Regular files under `dir` of a container, on that directory's own mount, relative to it. */
export async function filesUnder(
  ctx: CheckContext,
  container: string,
  dir: string,
): Promise<string[]> {
  const files = await ctx.container(container).walk(dir, { types: ['file'] });
  return files.map((f) => path.posix.relative(dir, f.path));
}

/** The overlay directories of a container, from inspect (dockerode types only device-mapper's). */
export function overlayDirs(info: ContainerInspectInfo): {
  UpperDir?: string;
  WorkDir?: string;
  MergedDir?: string;
} {
  return info.GraphDriver.Data as unknown as Record<string, string | undefined>;
}

/** Regular files in a volume, read on the host in its Mountpoint (inspect's Mounts[].Source). */
export async function volumeFiles(hostDir: string): Promise<string[]> {
  const entries = await readdir(hostDir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(hostDir, path.join(e.parentPath, e.name)));
}

export function upperDir(info: ContainerInspectInfo): string | undefined {
  return overlayDirs(info).UpperDir;
}
