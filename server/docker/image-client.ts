// The only module that talks to an engine about images: inspect, import, build, remove, and
// the `docker save | docker load` copy between two engines. Callers keep their own log; the
// engine's "no such image" answer is an answer here (undefined, false), not an error.
import type Dockerode from 'dockerode';
import { log } from '../log.ts';
import { isGone } from './engine-errors.ts';
import { readProgress, type ProgressMessage } from './progress-stream.ts';
import { untimedClient } from './untimed-client.ts';

export type { ProgressMessage } from './progress-stream.ts';

export interface ImportOptions {
  repo: string;
  tag: string;
  /** Dockerfile instructions applied to the imported image (CMD, ENV, LABEL). */
  changes: string[];
  message: string;
}

export interface BuildOptions {
  /** The build context directory and the files of it to send, relative to it. */
  context: string;
  src: string[];
  tag: string;
  buildargs: Record<string, string>;
  labels: Record<string, string>;
}

export class ImageClient {
  constructor(readonly docker: Dockerode) {}

  /** The image's inspect data, or undefined when the engine has no image by that name. */
  async inspect(tag: string): Promise<Dockerode.ImageInspectInfo | undefined> {
    try {
      return await this.docker.getImage(tag).inspect();
    } catch (error) {
      if (isGone(error)) return undefined;
      throw error;
    }
  }

  /** `docker import`: a tar stream of a root filesystem becomes an image. */
  async importTarball(
    tar: NodeJS.ReadableStream,
    options: ImportOptions,
    onMessage: (msg: ProgressMessage) => void,
  ): Promise<void> {
    const response = await this.docker.importImage(tar, options);
    await readProgress(response, onMessage);
  }

  /** `docker build` of some files of a context directory; a failed step is a throw. */
  async build(options: BuildOptions, onMessage: (msg: ProgressMessage) => void): Promise<void> {
    const response = await this.docker.buildImage(
      { context: options.context, src: options.src },
      {
        t: options.tag,
        buildargs: options.buildargs,
        labels: options.labels,
        rm: true,
        forcerm: true,
      },
    );
    await readProgress(response, onMessage);
  }

  /** Removes the image by force; false when there was none. */
  async remove(tag: string): Promise<boolean> {
    try {
      await this.docker.getImage(tag).remove({ force: true });
      return true;
    } catch (error) {
      if (isGone(error)) return false;
      throw error;
    }
  }

  /** `docker save`: the image as a tar stream. */
  save(tag: string): Promise<NodeJS.ReadableStream> {
    return this.docker.getImage(tag).get();
  }

  /** `docker load` of a `docker save` stream, to its end. */
  async load(saved: NodeJS.ReadableStream): Promise<void> {
    // A 129 MB load took over the clients' 60 s timeout in the VM under emulation.
    const loader = untimedClient(this.docker);
    const loading = await loader.loadImage(saved, { quiet: true });
    await new Promise<void>((resolve, reject) => {
      loader.modem.followProgress(loading, (error: Error | null) =>
        error === null ? resolve() : reject(error),
      );
    });
  }
}

/**
 * Copies `tag` from `source` into `target` unless it is already there (a remapping or rootless
 * engine stores image files shifted, so an image is copied into it rather than shared).
 */
export async function copyImage(
  source: Dockerode,
  target: Dockerode,
  tag: string,
): Promise<boolean> {
  // Any failure to inspect counts as "not there yet": the copy below then says what is wrong.
  const present = await new ImageClient(target).inspect(tag).catch(() => undefined);
  if (present !== undefined) return false;
  const started = performance.now();
  await new ImageClient(target).load(await new ImageClient(source).save(tag));
  log.info('copied the lab image into a second engine', {
    tag,
    ms: Math.round(performance.now() - started),
  });
  return true;
}
