// Lab images are built on this machine, never pulled: debootstrap makes a Debian root
// filesystem that `docker import` turns into the base image (base-image.ts), and `docker
// build` adds the lab layer on top (lab-image.ts). Tags carry a hash of the inputs
// (image-specs.ts), so an image whose tag exists is up to date.
import type { ImageClient } from '../docker/image-client.ts';
import { buildBase } from './base-image.ts';
import { DEFAULT_DEBIAN_MIRROR, labImageSpecs, specNamed, type ImageSpec } from './image-specs.ts';
import { buildLab } from './lab-image.ts';
import { errorMessage } from './run-process.ts';

export interface EnsureLabImagesOptions {
  repoRoot: string;
  /** Debian mirror for debootstrap; default: env NSLAB_DEBIAN_MIRROR, else deb.debian.org. */
  mirror?: string;
  /** Receives build progress, one line at a time, prefixed `[base] ` or `[lab] `. */
  onProgress?: (line: string) => void;
  /** Receives the log of Docker calls (start, success, failure); default: stderr. */
  log?: (line: string) => void;
}

const defaultLog = (line: string): void => {
  console.error(`nslab images: ${line}`);
};

async function imageExists(
  images: ImageClient,
  tag: string,
  log: (line: string) => void,
): Promise<boolean> {
  log(`inspect image ${tag}: start`);
  try {
    const info = await images.inspect(tag);
    log(
      info === undefined
        ? `inspect image ${tag}: not found`
        : `inspect image ${tag}: found ${info.Id}`,
    );
    return info !== undefined;
  } catch (err) {
    log(`inspect image ${tag}: failed: ${errorMessage(err)}`);
    throw err;
  }
}

/**
 * Builds whichever of the base and lab images is missing; an image whose tag exists is
 * kept, since its tag names the exact inputs it was built from. Needs root (debootstrap)
 * and the Debian mirror only when the base image must be built.
 */
export async function ensureLabImages(
  images: ImageClient,
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
    if (await imageExists(images, spec.tag, log)) {
      progress(`${spec.tag} is up to date`);
      continue;
    }
    const started = Date.now();
    progress(`building ${spec.tag}`);
    if (spec.name === 'base') {
      await buildBase(images, spec, opts.repoRoot, mirror, log, progress);
    } else {
      await buildLab(images, spec, base.tag, opts.repoRoot, log, progress);
    }
    progress(`built ${spec.tag} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return specs;
}

/** The lab image's tag, checked to exist; the server calls this at start-up. */
export async function resolveLabImage(
  images: ImageClient,
  repoRoot: string,
  log: (line: string) => void = defaultLog,
): Promise<string> {
  const lab = specNamed(labImageSpecs(repoRoot), 'lab');
  if (await imageExists(images, lab.tag, log)) return lab.tag;
  throw new Error(
    `The lab image ${lab.tag} is not built yet (or labs/images changed since it was). ` +
      'Run `npm run images` as root to build it (about a minute; needs debootstrap and a Debian mirror).',
  );
}
