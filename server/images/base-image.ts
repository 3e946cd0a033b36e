// The base image: debootstrap makes a Debian root filesystem, which is slimmed and then
// turned into an image with `tar | docker import`. Needs root and a Debian mirror.
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import type { ImageClient } from '../docker/image-client.ts';
import { DEBIAN_SUITE, DEBIAN_VARIANT, readBasePackages, type ImageSpec } from './image-specs.ts';
import { removeBuildDir, stripRootfs } from './rootfs.ts';
import { errorMessage, runProcess, type RunResult } from './run-process.ts';

/** Disk-backed and large, unlike a tmpfs /tmp; the root filesystem is ~300 MB before stripping. */
const BUILD_TMP_PARENT = '/var/tmp';
const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** `tar -c rootfs`: the stream `docker import` reads. */
function tarRootfs(rootfs: string, progress: (line: string) => void): RunResult {
  // --xattrs keeps file capabilities (security.capability), which lessons inspect with getcap.
  return runProcess(
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
}

/** `tar -c rootfs | docker import`, with the image's config applied through `changes`. */
async function importRootfs(
  images: ImageClient,
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
  const tar = tarRootfs(rootfs, progress);
  // Awaited below; this handler only keeps an early import failure from leaving it unhandled.
  tar.done.catch(() => undefined);
  const tarStdout = tar.stdout;
  if (tarStdout === null) throw new Error('tar has no stdout');

  log(`import image ${spec.tag}: start`);
  try {
    const message = `nslab base: debootstrap ${DEBIAN_VARIANT} ${DEBIAN_SUITE}`;
    await Promise.all([
      images.importTarball(tarStdout, { repo, tag, changes, message }, (msg) => {
        if (msg.status !== undefined) progress(`import: ${msg.status}`);
      }),
      tar.done,
    ]);
    log(`import image ${spec.tag}: ok`);
  } catch (err) {
    tar.kill();
    log(`import image ${spec.tag}: failed: ${errorMessage(err)}`);
    // A tar that died half-way can still leave a truncated image under the tag.
    await images.remove(spec.tag).then(
      (removed) => {
        if (removed) log(`remove partial image ${spec.tag}: ok`);
      },
      (removeErr: unknown) => {
        log(`remove partial image ${spec.tag}: failed: ${errorMessage(removeErr)}`);
      },
    );
    throw err;
  }
}

export async function buildBase(
  images: ImageClient,
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
    await importRootfs(images, spec, rootfs, log, progress);
  } finally {
    await removeBuildDir(workDir, log).catch((err: unknown) => {
      log(`could not remove ${workDir}: ${errorMessage(err)}`);
    });
  }
}
