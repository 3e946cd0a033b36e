// Each session's own directory on the host, for labs that plant files a container may
// reach only through a bind mount the lab declares (a host-only secret, a drop box). The
// directory is removed with the session and swept with the instance after a crash.
import {
  chmod,
  chown,
  lstat,
  mkdir,
  readdir,
  readFile,
  rm,
  rmdir,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { sessionPath } from './session-path.ts';

/** A file or directory a lab plants in the session directory (LabDefinition.hostFiles). */
export interface HostFile {
  /** Relative to the session's host directory, e.g. "shared/host-secret". */
  path: string;
  /** Absent for a directory. */
  content?: string;
  /** e.g. 0o600 for a root-only file, 0o1777 for a directory anyone may write. */
  mode: number;
}

export interface HostFileInfo {
  name: string;
  uid: number;
  gid: number;
  mode: number;
  isDirectory: boolean;
  /** Last modification, in ms since the epoch: when a planted file was changed. */
  mtimeMs: number;
}

export class SessionFiles {
  constructor(private readonly stateDir: string) {}

  /** The directory of all sessions of one server instance. */
  instanceDir(instance: string): string {
    return path.join(this.stateDir, instance, 'sessions');
  }

  dirOf(instance: string, sessionId: string): string {
    return path.join(this.instanceDir(instance), sessionId);
  }

  /**
   * Creates the session's directory with the lab's files. With `owner` (a workshop seat's
   * user) everything belongs to that user and the directory is closed to everyone else: the
   * seat's rootless engine, which runs as that user, can bind it, other seats cannot enter.
   */
  async plant(
    dir: string,
    files: readonly HostFile[],
    token: string,
    owner?: { uid: number; gid: number },
  ): Promise<void> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // The session root is traversable so that bind-mounted children work for remapped root.
    await chmod(dir, 0o711);
    if (owner !== undefined) {
      // Traversable, not listable, parents: an engine running as a seat's user reaches its own
      // session directory by name and cannot list the others.
      for (let up = path.dirname(dir); up.startsWith(this.stateDir); up = path.dirname(up)) {
        await chmod(up, 0o711);
        if (up === this.stateDir) break;
      }
    }
    for (const file of files) {
      const target = sessionPath(dir, file.path);
      if (file.content === undefined) {
        await mkdir(target, { recursive: true });
      } else {
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, file.content.replaceAll('{{token}}', token));
      }
      // chmod after creation: the umask must not weaken a 0600 secret or narrow a 1777 drop box.
      await chmod(target, file.mode);
      if (owner !== undefined) await chown(target, owner.uid, owner.gid);
    }
    if (owner !== undefined) {
      await chown(dir, owner.uid, owner.gid);
      await chmod(dir, 0o700);
    }
  }

  async list(dir: string, relative: string): Promise<HostFileInfo[]> {
    const where = sessionPath(dir, relative);
    const names = await readdir(where);
    return Promise.all(
      names.map(async (name) => {
        const info = await lstat(path.join(where, name));
        return {
          name,
          uid: info.uid,
          gid: info.gid,
          mode: info.mode & 0o7777,
          isDirectory: info.isDirectory(),
          mtimeMs: info.mtimeMs,
        };
      }),
    );
  }

  read(dir: string, relative: string): Promise<string> {
    return readFile(sessionPath(dir, relative), 'utf8');
  }

  async remove(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
  }

  /** Removes every session directory of an instance (start-up and shutdown sweeps). */
  async sweep(instance: string): Promise<number> {
    const dir = this.instanceDir(instance);
    const entries = await readdir(dir).catch(() => []);
    await rm(dir, { recursive: true, force: true });
    // The instance's own directory goes too once nothing else lives there (verify and tests
    // use a fresh instance per run); rmdir refuses a non-empty directory, which is the point.
    await rmdir(path.dirname(dir)).catch(() => undefined);
    return entries.length;
  }
}
