// The base image's root filesystem on disk: slimmed before import, and its build directory
// removed afterwards without ever crossing into a filesystem mounted inside it.
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage, runProcess } from './run-process.ts';

/** Unescapes a path from /proc/self/mountinfo (spaces and the like are octal-escaped). */
function unescapeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/**
 * Removes a build directory. debootstrap mounts /proc and /sys (and may bind /dev) inside
 * the target and can leave them mounted when it fails: unmount first, and never let rm
 * cross into another filesystem, or a failed build could delete the host's /dev.
 */
export async function removeBuildDir(dir: string, log: (line: string) => void): Promise<void> {
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  const mounts = mountinfo
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((mp): mp is string => mp !== undefined)
    .map(unescapeMountPath)
    .filter((mp) => mp.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const mp of mounts) {
    log(`unmount leftover ${mp}`);
    await runProcess('umount', ['--lazy', mp], {}).done.catch((err: unknown) => {
      log(`unmount ${mp} failed: ${errorMessage(err)}`);
    });
  }
  await runProcess('rm', ['-rf', '--one-file-system', '--', dir], {}).done;
}

/** Deletes every entry of `dir` (which may be missing) except the names `keep` returns true for. */
async function emptyDir(dir: string, keep: (name: string) => boolean = () => false): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!keep(name)) await rm(path.join(dir, name), { recursive: true, force: true });
  }
}

/** Drops what a container never needs (apt caches and lists, docs, man pages, logs). */
async function removeClutter(at: (p: string) => string): Promise<void> {
  await emptyDir(at('var/lib/apt/lists'), (n) => n === 'partial');
  await emptyDir(at('var/lib/apt/lists/partial'));
  await emptyDir(at('var/cache/apt'), (n) => n === 'archives');
  await emptyDir(at('var/cache/apt/archives'), (n) => n === 'partial');
  await emptyDir(at('var/cache/apt/archives/partial'));
  await emptyDir(at('usr/share/man'));
  await emptyDir(at('usr/share/info'));
  await emptyDir(at('usr/share/locale'), (n) => n === 'locale.alias');
  await emptyDir(at('tmp'));
  await emptyDir(at('var/tmp'));
  // Keep each package's copyright file: the licences ask for it and it is tiny.
  for (const entry of await readdir(at('usr/share/doc'), { withFileTypes: true }).catch(() => [])) {
    const p = at(`usr/share/doc/${entry.name}`);
    if (entry.isDirectory()) await emptyDir(p, (n) => n === 'copyright');
    else await rm(p, { force: true });
  }
  for (const entry of await readdir(at('var/log'), { withFileTypes: true }).catch(() => [])) {
    if (entry.isFile()) await rm(at(`var/log/${entry.name}`), { force: true });
  }
  for (const p of ['var/cache/debconf/config.dat-old', 'var/cache/debconf/templates.dat-old']) {
    await rm(at(p), { force: true });
  }
  for (const p of ['var/lib/dpkg/status-old', 'var/lib/dpkg/available-old']) {
    await rm(at(p), { force: true });
  }
}

/** Host files debootstrap copied in, and settings that keep later `apt-get install`s small. */
async function writeImageConfig(at: (p: string) => string): Promise<void> {
  // debootstrap copies these from the build host; Docker mounts its own at run time.
  await writeFile(at('etc/resolv.conf'), '');
  await writeFile(at('etc/hostname'), 'localhost\n');

  // Later `apt-get install`s (in a lab Dockerfile) stay small too.
  await writeFile(
    at('etc/dpkg/dpkg.cfg.d/nslab-nodoc'),
    [
      'path-exclude=/usr/share/doc/*',
      'path-include=/usr/share/doc/*/copyright',
      'path-exclude=/usr/share/man/*',
      'path-exclude=/usr/share/info/*',
      'path-exclude=/usr/share/locale/*',
      '',
    ].join('\n'),
  );
  const clean =
    '"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"';
  await writeFile(
    at('etc/apt/apt.conf.d/nslab-clean'),
    [
      `DPkg::Post-Invoke { ${clean}; };`,
      `APT::Update::Post-Invoke { ${clean}; };`,
      'Dir::Cache::pkgcache "";',
      'Dir::Cache::srcpkgcache "";',
      'Acquire::Languages "none";',
      '',
    ].join('\n'),
  );
}

/**
 * The Docker engine that comes with docker.io (wanted for its client): no lab container runs
 * an engine (a session's own engine is a throwaway dockerd on the host), and these are most
 * of the package's size (~200 MB with containerd).
 */
const ENGINE_FILES = [
  'usr/sbin/dockerd',
  'usr/sbin/docker-proxy',
  'usr/sbin/ovrouter',
  'usr/sbin/runc',
  'usr/bin/dnet',
  'usr/bin/docker-init',
  'usr/bin/containerd',
  'usr/bin/containerd-shim',
  'usr/bin/containerd-shim-runc-v1',
  'usr/bin/containerd-shim-runc-v2',
  'usr/bin/ctr',
];

/** Slims the root filesystem for a container image. */
export async function stripRootfs(rootfs: string): Promise<void> {
  const at = (p: string): string => path.join(rootfs, p);
  await removeClutter(at);
  for (const p of ENGINE_FILES) await rm(at(p), { recursive: true, force: true });
  await writeImageConfig(at);
}
