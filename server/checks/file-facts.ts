// What the host's lstat says about a file, in the terms checks use (ContainerFile): its type,
// permission bits, owner, stored blocks and, for a device node, the device it names.
import { constants, type Dirent } from 'node:fs';
import type { ContainerFile, ContainerFileType } from './check-context.ts';

export function fileType(mode: number): ContainerFileType {
  const kinds: [number, ContainerFileType][] = [
    [constants.S_IFREG, 'file'],
    [constants.S_IFDIR, 'dir'],
    [constants.S_IFLNK, 'symlink'],
    [constants.S_IFCHR, 'char'],
    [constants.S_IFBLK, 'block'],
    [constants.S_IFIFO, 'fifo'],
  ];
  return kinds.find(([bits]) => (mode & constants.S_IFMT) === bits)?.[1] ?? 'socket';
}

interface StatLike {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  blocks: number;
  dev: number;
  rdev: number;
}

/** glibc's major()/minor() of a dev_t. */
function deviceNumbers(rdev: number): { major: number; minor: number } {
  const dev = BigInt(rdev);
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return { major: Number(major), minor: Number(minor) };
}

export function describeFile(path: string, st: StatLike): ContainerFile {
  const type = fileType(st.mode);
  return {
    path,
    type,
    mode: st.mode & 0o7777,
    uid: st.uid,
    gid: st.gid,
    size: st.size,
    blocks: st.blocks,
    dev: st.dev,
    ...(type === 'char' || type === 'block' ? { device: deviceNumbers(st.rdev) } : {}),
  };
}

/** Whether a directory entry may be of one of `types` (an unknown d_type may be anything). */
export function direntMayBe(entry: Dirent, types: readonly ContainerFileType[]): boolean {
  const known: [boolean, ContainerFileType][] = [
    [entry.isFile(), 'file'],
    [entry.isDirectory(), 'dir'],
    [entry.isSymbolicLink(), 'symlink'],
    [entry.isCharacterDevice(), 'char'],
    [entry.isBlockDevice(), 'block'],
    [entry.isFIFO(), 'fifo'],
    [entry.isSocket(), 'socket'],
  ];
  const type = known.find(([is]) => is)?.[1];
  return type === undefined || types.includes(type);
}
