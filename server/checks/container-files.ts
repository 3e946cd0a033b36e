// A container's files, read by the server on the host through /proc/<pid>/root, never by a
// program in the container. The learner is root in there and may plant symlinks anywhere,
// also while a check runs, so a path is resolved one component at a time from file
// descriptors: each component is opened with O_PATH | O_NOFOLLOW below the directory already
// reached (/proc/self/fd/<fd>/<name>), so the kernel never follows a symlink of the learner's.
// A symlink is read and resolved here, inside the container's root: an absolute target starts
// again at that root, and ".." never climbs above it. Regular files are read only after fstat
// says they are regular files, through the descriptor that was checked.
import { constants } from 'node:fs';
import { lstat, open, readdir, readlink, type FileHandle } from 'node:fs/promises';
import { AppError } from '../errors/app-error.ts';
import { message, type ServerMessage } from '../errors/server-message.ts';
import type { ContainerFile, WalkOptions } from './check-context.ts';
import { describeFile, direntMayBe } from './file-facts.ts';

/** Linux's O_PATH (not in node's constants): a handle on a name that opens nothing. */
const O_PATH = 0o10000000;
const NO_FOLLOW = O_PATH | constants.O_NOFOLLOW;
/** As many symlinks as Linux follows in one lookup before it answers ELOOP. */
const MAX_LINKS = 40;
/** Files larger than this are read from their end (logs grow; what is new is at the end). */
const MAX_READ = 4 * 1024 * 1024;
const DEFAULT_WALK_LIMIT = 20_000;
/** Deeper directories are not walked: each level holds a descriptor open. */
const MAX_DEPTH = 64;

/**
 * A path the learner made too deep to judge (a symlink loop, a directory of more entries than
 * a check walks): the learner sees why, as a conflict to fix, never as a pass.
 */
export class ContainerPathError extends AppError {
  constructor(said: ServerMessage) {
    super('conflict', said);
    this.name = 'ContainerPathError';
  }
}

const TOO_MANY_LINKS = message(
  'container_path_links',
  'too many symlinks in {{path}} in the container: the check will not follow it. Tidy up, or reset the lab.',
  '容器里的 {{path}} 中符号链接太多：检查不会跟随它。请整理一下，或者重置实验。',
);
const TOO_MANY_ENTRIES = message(
  'container_path_entries',
  'more than {{limit}} entries under {{path}} in the container: the check will not follow it. Tidy up, or reset the lab.',
  '容器里的 {{path}} 下有超过 {{limit}} 个条目：检查不会跟随它。请整理一下，或者重置实验。',
);

const fdPath = (handle: FileHandle, name?: string): string =>
  name === undefined ? `/proc/self/fd/${handle.fd}` : `/proc/self/fd/${handle.fd}/${name}`;

/** What a resolved path is: the handle (O_PATH) on its last component, and that path. */
interface Resolved {
  handle: FileHandle;
  path: string;
}

/** What a name below a directory handle is, read without following it. */
type Entry =
  | { kind: 'gone' }
  | { kind: 'link'; target: string }
  | { kind: 'other'; handle: FileHandle; isDir: boolean };

/** The directories a resolution went through, as handles, from the root down. */
class Walked {
  private readonly stack: Resolved[];

  constructor(root: FileHandle) {
    this.stack = [{ handle: root, path: '/' }];
  }

  get top(): Resolved {
    return this.stack.at(-1) as Resolved;
  }

  /** "..": one level up, never above the root. */
  async up(): Promise<void> {
    if (this.stack.length > 1) await this.stack.pop()?.handle.close();
  }

  /** An absolute symlink target starts again at the root. */
  async toRoot(): Promise<void> {
    while (this.stack.length > 1) await this.up();
  }

  push(handle: FileHandle, name: string): void {
    this.stack.push({ handle, path: `${this.top.path === '/' ? '' : this.top.path}/${name}` });
  }

  /** `name` below the top directory, opened with O_PATH | O_NOFOLLOW: a symlink is itself. */
  async entryNoFollow(name: string): Promise<Entry & { kind: 'gone' | 'other' }> {
    try {
      const handle = await open(fdPath(this.top.handle, name), NO_FOLLOW);
      return { kind: 'other', handle, isDir: (await handle.stat()).isDirectory() };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
      throw error;
    }
  }

  /** `name` below the top directory; a symlink is read (its target), never opened. */
  async entry(name: string): Promise<Entry> {
    const found = await this.entryNoFollow(name);
    if (found.kind === 'gone') return found;
    const { handle } = found;
    if (!(await handle.stat()).isSymbolicLink()) return found;
    await handle.close();
    try {
      return { kind: 'link', target: await readlink(fdPath(this.top.handle, name)) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { kind: 'gone' };
      // No longer a symlink: swapped while being read. Look again.
      if (code === 'EINVAL') return this.entry(name);
      throw error;
    }
  }

  /** Closes every handle but the last, which it returns (the caller closes it). */
  async finish(): Promise<Resolved> {
    const last = this.stack.pop() as Resolved;
    await this.close();
    return last;
  }

  async close(): Promise<void> {
    await Promise.all(this.stack.splice(0).map((s) => s.handle.close()));
  }
}

const components = (path: string): string[] => path.split('/').filter((c) => c !== '' && c !== '.');

/**
 * Resolves `path` inside the root directory `root` (for a container, /proc/<pid>/root),
 * following symlinks the way the kernel would inside that root: in every component, and in
 * the last one too when `followLast`. Returns undefined when a component does not exist.
 * The caller closes the handle.
 */
export async function resolveInRoot(
  root: string,
  path: string,
  followLast = false,
): Promise<Resolved | undefined> {
  if (!path.startsWith('/') || path.includes('\0'))
    throw new Error(`not a container path: ${path}`);
  // The root itself is the server's choice (a magic link to the container's root): followed.
  const walked = new Walked(await open(root, O_PATH | constants.O_DIRECTORY));
  const pending = components(path);
  let links = 0;
  try {
    while (pending.length > 0) {
      const name = pending.shift() ?? '';
      if (name === '..') {
        await walked.up();
        continue;
      }
      const last = pending.length === 0;
      const entry = await (last && !followLast ? walked.entryNoFollow(name) : walked.entry(name));
      if (entry.kind === 'gone') return undefined;
      if (entry.kind === 'link') {
        if (++links > MAX_LINKS) throw new ContainerPathError(TOO_MANY_LINKS({ path }));
        if (entry.target.startsWith('/')) await walked.toRoot();
        pending.unshift(...components(entry.target));
        continue;
      }
      if (!last && !entry.isDir) {
        await entry.handle.close();
        return undefined;
      }
      walked.push(entry.handle, name);
    }
    return await walked.finish();
  } finally {
    await walked.close();
  }
}

/** lstat of `path` in the root: the last component itself, never what it points to. */
export async function statInRoot(root: string, path: string): Promise<ContainerFile | undefined> {
  const resolved = await resolveInRoot(root, path);
  if (resolved === undefined) return undefined;
  try {
    return describeFile(resolved.path, await resolved.handle.stat());
  } finally {
    await resolved.handle.close();
  }
}

/**
 * The text of a regular file in the root (its last MAX_READ bytes when larger), symlinks
 * followed inside the root. Undefined when the path does not exist or is not a regular file.
 */
export async function readInRoot(root: string, path: string): Promise<string | undefined> {
  const resolved = await resolveInRoot(root, path, true);
  if (resolved === undefined) return undefined;
  try {
    const st = await resolved.handle.stat();
    if (!st.isFile()) return undefined;
    // Reopened through the descriptor that was checked: the same inode, whatever the name is now.
    const file = await open(fdPath(resolved.handle), constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const length = Math.min(st.size, MAX_READ);
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, Math.max(0, st.size - length));
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await file.close();
    }
  } finally {
    await resolved.handle.close();
  }
}

/**
 * Every entry below a directory of the root, on the directory's own file system (find -xdev),
 * depth first, never following a symlink. Throws when there are more than `limit` entries.
 */
export async function walkInRoot(
  root: string,
  path: string,
  options: WalkOptions = {},
): Promise<ContainerFile[]> {
  const resolved = await resolveInRoot(root, path, true);
  if (resolved === undefined) return [];
  const limit = options.limit ?? DEFAULT_WALK_LIMIT;
  const found: ContainerFile[] = [];
  let visited = 0;
  const walk = async (dir: Resolved, dev: number, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) return;
    for (const entry of await readdir(fdPath(dir.handle), { withFileTypes: true })) {
      if (++visited > limit) throw new ContainerPathError(TOO_MANY_ENTRIES({ limit, path }));
      const child = `${dir.path === '/' ? '' : dir.path}/${entry.name}`;
      const wanted = options.types === undefined || direntMayBe(entry, options.types);
      if (!entry.isDirectory() && !wanted) continue;
      const st = await lstat(fdPath(dir.handle, entry.name)).catch(() => undefined);
      if (st === undefined || st.dev !== dev) continue;
      const file = describeFile(child, st);
      if (options.types === undefined || options.types.includes(file.type)) found.push(file);
      if (file.type !== 'dir') continue;
      const handle = await open(
        fdPath(dir.handle, entry.name),
        NO_FOLLOW | constants.O_DIRECTORY,
      ).catch(() => undefined);
      if (handle === undefined) continue;
      try {
        if ((await handle.stat()).dev === dev) await walk({ handle, path: child }, dev, depth + 1);
      } finally {
        await handle.close();
      }
    }
  };
  try {
    const st = await resolved.handle.stat();
    if (st.isDirectory()) await walk(resolved, st.dev, 1);
    return found;
  } finally {
    await resolved.handle.close();
  }
}
