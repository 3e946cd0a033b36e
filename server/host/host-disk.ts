// A "host disk" a lab owns: an ext4 image file in the session's own directory, attached to a
// free loop device, which a lab container may receive with --device. The privileged escape
// lab mounts it instead of the host's real disk (the test machines cannot open /dev/vda,
// and a VM's own root disk stays out of the lab's reach). The loop device is detached when
// the session ends, and the sweep detaches any whose backing file is in an instance's
// session directories.
import { execFile } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { sessionPath } from './session-path.ts';
import { log } from '../log.ts';

const run = promisify(execFile);

export interface HostDiskSpec {
  /** Size of the file system in MiB. */
  sizeMb: number;
  /** Files written into it, root-owned and mode 0600; `content` may contain {{token}}. */
  files: { path: string; content: string }[];
}

/** The image's name in the session directory. */
export const HOST_DISK_IMAGE = 'disk.img';

/** Loop devices now attached, with their backing files. */
async function attachedLoops(): Promise<{ device: string; backing: string }[]> {
  const names = (await readdir('/sys/block').catch(() => [])).filter((n) => /^loop\d+$/.test(n));
  const found = await Promise.all(
    names.map(async (name) => {
      const backing = await readFile(`/sys/block/${name}/loop/backing_file`, 'utf8').catch(
        () => undefined,
      );
      return backing === undefined
        ? undefined
        : { device: `/dev/${name}`, backing: backing.trim() };
    }),
  );
  return found.filter((l): l is { device: string; backing: string } => l !== undefined);
}

async function detach(device: string): Promise<void> {
  try {
    await run('losetup', ['-d', device], { timeout: 10_000 });
  } catch (error) {
    log.warn('detaching a loop device failed', { device, error: String(error) });
    throw error;
  }
}

export class HostDisk {
  constructor(
    readonly device: string,
    readonly image: string,
  ) {}

  /** Detaches the loop device, if it still holds this session's image. */
  async detach(): Promise<void> {
    const mine = (await attachedLoops()).filter((l) => l.backing === this.image);
    for (const loop of mine) await detach(loop.device);
  }
}

/** Makes the session's disk image, fills it, and attaches it to a free loop device. */
export async function createHostDisk(
  dir: string,
  spec: HostDiskSpec,
  token: string,
): Promise<HostDisk> {
  const source = sessionPath(dir, 'disk-src');
  const image = sessionPath(dir, HOST_DISK_IMAGE);
  await mkdir(source, { recursive: true, mode: 0o700 });
  try {
    for (const file of spec.files) {
      const target = sessionPath(source, file.path);
      await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
      await writeFile(target, file.content.replaceAll('{{token}}', token), { mode: 0o600 });
      await chmod(target, 0o600);
    }
    await writeFile(image, '', { mode: 0o600 });
    await truncate(image, spec.sizeMb * 1024 * 1024);
    await run('mkfs.ext4', ['-q', '-F', '-L', 'nslab-disk', '-d', source, image], {
      timeout: 30_000,
    });
  } finally {
    await rm(source, { recursive: true, force: true });
  }
  const { stdout } = await run('losetup', ['--find', '--show', image], { timeout: 10_000 });
  return new HostDisk(stdout.trim(), image);
}

/** Detaches every loop device backed by a file under `sessionsDir` (a crashed server's). */
export async function sweepHostDisks(sessionsDir: string): Promise<number> {
  const prefix = `${sessionsDir.replace(/\/+$/, '')}/`;
  const left = (await attachedLoops()).filter((l) => l.backing.startsWith(prefix));
  for (const loop of left) await detach(loop.device).catch(() => undefined);
  return left.length;
}

/** Loop devices still backed by a file in this session directory: none once it ended. */
export async function hostDiskLeftovers(dir: string): Promise<string[]> {
  const prefix = `${dir.replace(/\/+$/, '')}/`;
  return (await attachedLoops()).filter((l) => l.backing.startsWith(prefix)).map((l) => l.device);
}
