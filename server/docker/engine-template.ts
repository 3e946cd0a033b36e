// The lab image, loaded once per server instance into a template data directory by a
// short-lived engine of the same kind as a session's; each session engine starts from a copy
// of that directory, which is much faster than loading the image again.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { sessionPath } from '../host/session-path.ts';
import { log } from '../log.ts';
import { engineCgroupName } from './engine-cgroups.ts';
import type { EngineSpec } from './engine-spec.ts';
import { copyImage } from './image-client.ts';
import { launchDockerd, type DockerdHost } from './throwaway-dockerd.ts';

/** The short-lived engine that loads the lab image once per instance. */
const TEMPLATE_ENGINE: EngineSpec = { name: 'template' };

export interface TemplateOptions extends DockerdHost {
  instance: string;
  /** The main engine, to copy the lab image from. */
  main: Dockerode;
  image: string;
}

export class EngineTemplate {
  private ready: Promise<string> | undefined;

  constructor(private readonly options: TemplateOptions) {}

  /** The template data directory for this instance, built on first use. */
  dataDir(): Promise<string> {
    this.ready ??= this.build().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  /** Deletes the template: it is this instance's cache of the image, and goes with the instance. */
  async remove(): Promise<void> {
    this.ready = undefined;
    await rm(this.root(), { recursive: true, force: true });
  }

  private root(): string {
    return path.join(this.options.stateDir, this.options.instance, 'session-engine-template');
  }

  private async build(): Promise<string> {
    const root = this.root();
    const ready = path.join(root, 'data');
    if (existsSync(path.join(root, 'ready'))) return ready;
    const started = performance.now();
    const nonce = randomBytes(6).toString('hex');
    const build = path.join(root, `build-${nonce}`);
    await mkdir(build, { recursive: true, mode: 0o700 });
    try {
      const engine = await launchDockerd({
        ...this.options,
        cgroup: engineCgroupName(this.options.instance, `template-${nonce}`, TEMPLATE_ENGINE.name),
        dir: build,
        spec: TEMPLATE_ENGINE,
      });
      try {
        await copyImage(this.options.main, engine.docker, this.options.image);
      } finally {
        await engine.stop();
      }
      await rm(ready, { recursive: true, force: true });
      await rename(sessionPath(build, `${TEMPLATE_ENGINE.name}/data`), ready);
      await writeFile(path.join(root, 'ready'), `${this.options.image}\n`);
      log.info('session engine template ready', {
        ms: Math.round(performance.now() - started),
      });
      return ready;
    } finally {
      await rm(build, { recursive: true, force: true });
    }
  }
}
