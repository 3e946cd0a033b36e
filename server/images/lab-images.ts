// Lab images are built on this machine, never pulled: debootstrap makes a Debian root
// filesystem that `docker import` turns into the base image, and `docker build` adds the lab
// layer on top. Tags carry a hash of the inputs, so the server knows which tag to use
// without building anything, and a changed recipe gets a new tag instead of a stale image.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';

export interface ImageSpec {
  name: 'base' | 'lab';
  tag: string;
  contentHash: string;
}

export interface EnsureLabImagesOptions {
  repoRoot: string;
  /** Debian mirror for debootstrap; default: env NSLAB_DEBIAN_MIRROR, else deb.debian.org. */
  mirror?: string;
  /** Receives build progress, one line at a time, prefixed `[base] ` or `[lab] `. */
  onProgress?: (line: string) => void;
  /** Receives the log of Docker calls (start, success, failure); default: stderr. */
  log?: (line: string) => void;
}

export const DEBIAN_SUITE = 'bookworm';
export const DEBIAN_VARIANT = 'minbase';
/**
 * Names everything about the base recipe that is not in packages.txt (debootstrap flags,
 * what is stripped, the import changes). Bump it when any of those change, so every machine
 * rebuilds its base image instead of keeping one made by the old recipe.
 */
export const BASE_RECIPE_VERSION = 'nslab-base-2025-1';
export const DEFAULT_DEBIAN_MIRROR = 'http://deb.debian.org/debian';

const BASE_PACKAGES_FILE = 'labs/images/base/packages.txt';
const LAB_CONTEXT_DIR = 'labs/images/lab';
const TAG_HASH_CHARS = 12;
/** Disk-backed and large, unlike a tmpfs /tmp; the root filesystem is ~300 MB before stripping. */
const BUILD_TMP_PARENT = '/var/tmp';
const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;
const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const defaultLog = (line: string): void => {
  console.error(`nslab images: ${line}`);
};

// ---------------------------------------------------------------- content hashes

/** The base image's package list: comments and blank lines dropped, sorted, deduplicated. */
export function readBasePackages(repoRoot: string): string[] {
  const text = readFileSync(path.join(repoRoot, BASE_PACKAGES_FILE), 'utf8');
  const names = new Set<string>();
  for (const raw of text.split('\n')) {
    const name = raw.replace(/#.*/, '').trim();
    if (name === '') continue;
    if (!PACKAGE_NAME.test(name)) {
      throw new Error(`${BASE_PACKAGES_FILE}: "${name}" is not a Debian package name`);
    }
    names.add(name);
  }
  return [...names].sort();
}

/** Files of the lab build context, relative with `/` separators, sorted by code unit. */
function listLabContext(repoRoot: string): string[] {
  const root = path.join(repoRoot, LAB_CONTEXT_DIR);
  const files: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) files.push(child);
    }
  };
  walk('');
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function imageTag(name: ImageSpec['name'], contentHash: string): string {
  return `nslab/${name}:${contentHash.slice(0, TAG_HASH_CHARS)}`;
}

/** The specs of the base and lab images, in build order. Reads a few small files; builds nothing. */
export function labImageSpecs(repoRoot: string): ImageSpec[] {
  const baseHash = createHash('sha256')
    .update(
      JSON.stringify({
        suite: DEBIAN_SUITE,
        variant: DEBIAN_VARIANT,
        packages: readBasePackages(repoRoot),
        recipe: BASE_RECIPE_VERSION,
      }),
    )
    .digest('hex');

  const lab = createHash('sha256');
  lab.update(`base ${baseHash}\n`);
  for (const file of listLabContext(repoRoot)) {
    const content = readFileSync(path.join(repoRoot, LAB_CONTEXT_DIR, file));
    // Length-prefixed, so no two different file sets can produce the same byte stream.
    lab.update(`file ${Buffer.byteLength(file)} ${file} ${content.length}\n`);
    lab.update(content);
  }
  const labHash = lab.digest('hex');

  return [
    { name: 'base', tag: imageTag('base', baseHash), contentHash: baseHash },
    { name: 'lab', tag: imageTag('lab', labHash), contentHash: labHash },
  ];
}

function specNamed(specs: ImageSpec[], name: ImageSpec['name']): ImageSpec {
  const spec = specs.find((s) => s.name === name);
  if (spec === undefined) throw new Error(`no ${name} image spec`);
  return spec;
}

// ---------------------------------------------------------------- Docker calls

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'statusCode' in err && err.statusCode === 404;
}

async function imageExists(
  docker: Dockerode,
  tag: string,
  log: (line: string) => void,
): Promise<boolean> {
  log(`inspect image ${tag}: start`);
  try {
    const info = await docker.getImage(tag).inspect();
    log(`inspect image ${tag}: found ${info.Id}`);
    return true;
  } catch (err) {
    if (isNotFound(err)) {
      log(`inspect image ${tag}: not found`);
      return false;
    }
    log(`inspect image ${tag}: failed: ${errorMessage(err)}`);
    throw err;
  }
}

interface DockerStreamMessage {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

/**
 * Reads Docker's JSON-lines progress stream (import, build) to its end. Docker reports a
 * failed build inside a 200 response, so an `error` message must be turned into a throw.
 */
async function readDockerStream(
  stream: NodeJS.ReadableStream,
  onMessage: (msg: DockerStreamMessage) => void,
): Promise<void> {
  let failure: string | undefined;
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let msg: DockerStreamMessage;
    try {
      msg = JSON.parse(line) as DockerStreamMessage;
    } catch {
      msg = { stream: line };
    }
    if (msg.error !== undefined) failure ??= msg.errorDetail?.message ?? msg.error;
    onMessage(msg);
  }
  if (failure !== undefined) throw new Error(failure);
}

// ---------------------------------------------------------------- processes

interface RunResult {
  done: Promise<void>;
  stdout: Readable | null;
  kill: () => void;
}

/**
 * Spawns a program without a shell. Output lines go to `onLine`, unless `stdoutIsData`, in
 * which case stdout is left for the caller. `done` rejects with the exit status and the last
 * lines of output, so a failure explains itself.
 */
function runProcess(
  command: string,
  args: string[],
  opts: { onLine?: (line: string) => void; stdoutIsData?: boolean; env?: NodeJS.ProcessEnv },
): RunResult {
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: opts.env ?? process.env,
  });
  const tail: string[] = [];
  const onLine = (line: string): void => {
    tail.push(line);
    if (tail.length > 20) tail.shift();
    try {
      opts.onLine?.(line);
    } catch {
      // A failing progress listener must not break the build.
    }
  };
  createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', onLine);
  if (opts.stdoutIsData !== true) {
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', onLine);
  }
  const done = new Promise<void>((resolve, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'ENOENT'
          ? new Error(`${command} is not installed (see server/setup/lib.sh: ensure_build_tools)`)
          : err,
      );
    });
    child.once('close', (code, signal) => {
      if (code === 0) {
        resolve();
        return;
      }
      const status = signal === null ? `exit code ${String(code)}` : `signal ${signal}`;
      const last = tail.length > 0 ? `:\n${tail.join('\n')}` : '';
      reject(new Error(`${command} failed with ${status}${last}`));
    });
  });
  return {
    done,
    stdout: opts.stdoutIsData === true ? child.stdout : null,
    kill: () => child.kill('SIGTERM'),
  };
}

// ---------------------------------------------------------------- the base image

/** Unescapes a path from /proc/self/mountinfo (spaces and the like are octal-escaped). */
function unescapeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/**
 * Removes a build directory. debootstrap mounts /proc and /sys (and may bind /dev) inside
 * the target and can leave them mounted when it fails: unmount first, and never let rm
 * cross into another filesystem, or a failed build could delete the host's /dev.
 */
async function removeBuildDir(dir: string, log: (line: string) => void): Promise<void> {
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
async function stripRootfs(rootfs: string): Promise<void> {
  const at = (p: string): string => path.join(rootfs, p);
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

/** `tar -c rootfs | docker import`, with the image's config applied through `changes`. */
async function importRootfs(
  docker: Dockerode,
  spec: ImageSpec,
  rootfs: string,
  log: (line: string) => void,
  progress: (line: string) => void,
): Promise<void> {
  const [repo, tag] = spec.tag.split(':') as [string, string];
  const changes = [
    'CMD ["/bin/bash"]',
    `ENV PATH=${IMAGE_PATH}`,
    'LABEL nslab.image=base',
    `LABEL nslab.content-hash=${spec.contentHash}`,
  ];
  // --xattrs keeps file capabilities (security.capability), which lessons inspect with getcap.
  const tar = runProcess(
    'tar',
    [
      '--create',
      '--format=posix',
      '--numeric-owner',
      '--xattrs',
      '--xattrs-include=security.capability',
      '--directory',
      rootfs,
      '.',
    ],
    { stdoutIsData: true, onLine: progress },
  );
  // Awaited below; this handler only keeps an early import failure from leaving it unhandled.
  tar.done.catch(() => undefined);
  const tarStdout = tar.stdout;
  if (tarStdout === null) throw new Error('tar has no stdout');

  log(`import image ${spec.tag}: start`);
  try {
    const response = await docker.importImage(tarStdout, {
      repo,
      tag,
      changes,
      message: `nslab base: debootstrap ${DEBIAN_VARIANT} ${DEBIAN_SUITE}`,
    });
    await Promise.all([
      readDockerStream(response, (msg) => {
        if (msg.status !== undefined) progress(`import: ${msg.status}`);
      }),
      tar.done,
    ]);
    log(`import image ${spec.tag}: ok`);
  } catch (err) {
    tar.kill();
    log(`import image ${spec.tag}: failed: ${errorMessage(err)}`);
    // A tar that died half-way can still leave a truncated image under the tag.
    await docker
      .getImage(spec.tag)
      .remove({ force: true })
      .then(() => log(`remove partial image ${spec.tag}: ok`))
      .catch((removeErr: unknown) => {
        if (!isNotFound(removeErr)) {
          log(`remove partial image ${spec.tag}: failed: ${errorMessage(removeErr)}`);
        }
      });
    throw err;
  }
}

async function buildBase(
  docker: Dockerode,
  spec: ImageSpec,
  repoRoot: string,
  mirror: string,
  log: (line: string) => void,
  progress: (line: string) => void,
): Promise<void> {
  if (!/^(https?|file):\/\//.test(mirror)) {
    throw new Error(`Debian mirror must be an http(s):// or file:// URL, not "${mirror}"`);
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error('building the base image runs debootstrap, which needs root');
  }
  const packages = readBasePackages(repoRoot);
  const workDir = await mkdtemp(path.join(BUILD_TMP_PARENT, 'nslab-base-'));
  const rootfs = path.join(workDir, 'rootfs');
  try {
    progress(`debootstrap --variant=${DEBIAN_VARIANT} ${DEBIAN_SUITE} from ${mirror}`);
    await runProcess(
      'debootstrap',
      [
        `--variant=${DEBIAN_VARIANT}`,
        `--include=${packages.join(',')}`,
        DEBIAN_SUITE,
        rootfs,
        mirror,
      ],
      { onLine: progress, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } },
    ).done;
    progress('stripping apt caches, docs and man pages');
    await stripRootfs(rootfs);
    progress(`importing ${spec.tag}`);
    await importRootfs(docker, spec, rootfs, log, progress);
  } finally {
    await removeBuildDir(workDir, log).catch((err: unknown) => {
      log(`could not remove ${workDir}: ${errorMessage(err)}`);
    });
  }
}

// ---------------------------------------------------------------- the lab image

async function buildLab(
  docker: Dockerode,
  spec: ImageSpec,
  baseTag: string,
  repoRoot: string,
  log: (line: string) => void,
  progress: (line: string) => void,
): Promise<void> {
  const context = path.join(repoRoot, LAB_CONTEXT_DIR);
  log(`build image ${spec.tag} FROM ${baseTag}: start`);
  try {
    const response = await docker.buildImage(
      { context, src: listLabContext(repoRoot) },
      {
        t: spec.tag,
        buildargs: { BASE: baseTag },
        labels: { 'nslab.content-hash': spec.contentHash },
        rm: true,
        forcerm: true,
      },
    );
    await readDockerStream(response, (msg) => {
      for (const line of (msg.stream ?? msg.status ?? '').split('\n')) {
        if (line.trim() !== '') progress(line.trimEnd());
      }
    });
    log(`build image ${spec.tag}: ok`);
  } catch (err) {
    log(`build image ${spec.tag}: failed: ${errorMessage(err)}`);
    throw err;
  }
}

// ---------------------------------------------------------------- public entry points

/**
 * Builds whichever of the base and lab images is missing; an image whose tag exists is
 * kept, since its tag names the exact inputs it was built from. Needs root (debootstrap)
 * and the Debian mirror only when the base image must be built.
 */
export async function ensureLabImages(
  docker: Dockerode,
  opts: EnsureLabImagesOptions,
): Promise<ImageSpec[]> {
  const log = opts.log ?? defaultLog;
  const mirror = opts.mirror ?? process.env.NSLAB_DEBIAN_MIRROR ?? DEFAULT_DEBIAN_MIRROR;
  const specs = labImageSpecs(opts.repoRoot);
  const base = specNamed(specs, 'base');

  for (const spec of specs) {
    const progress = (line: string): void => {
      try {
        opts.onProgress?.(`[${spec.name}] ${line}`);
      } catch {
        // A failing progress listener must not break the build.
      }
    };
    if (await imageExists(docker, spec.tag, log)) {
      progress(`${spec.tag} is up to date`);
      continue;
    }
    const started = Date.now();
    progress(`building ${spec.tag}`);
    if (spec.name === 'base') {
      await buildBase(docker, spec, opts.repoRoot, mirror, log, progress);
    } else {
      await buildLab(docker, spec, base.tag, opts.repoRoot, log, progress);
    }
    progress(`built ${spec.tag} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return specs;
}

/** The lab image's tag, checked to exist; the server calls this at start-up. */
export async function resolveLabImage(
  docker: Dockerode,
  repoRoot: string,
  log: (line: string) => void = defaultLog,
): Promise<string> {
  const lab = specNamed(labImageSpecs(repoRoot), 'lab');
  if (await imageExists(docker, lab.tag, log)) return lab.tag;
  throw new Error(
    `The lab image ${lab.tag} is not built yet (or labs/images changed since it was). ` +
      'Run `npm run images` as root to build it (about a minute; needs debootstrap and a Debian mirror).',
  );
}
