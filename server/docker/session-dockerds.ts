// A throwaway Docker engine per session, for escape labs that hand the learner an engine's
// socket (LabDefinition.sessionEngines). The server's own engine never enters a learner
// container: each session gets a dockerd of its own (throwaway-dockerd.ts) with its own copy
// of the lab image (engine-template.ts), in a cgroup of its own (engine-cgroups.ts). Ending
// the session kills everything in that cgroup and removes it; the start-up sweep does the
// same for whatever a crashed server left.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type Dockerode from 'dockerode';
import { sessionPath } from '../host/session-path.ts';
import { log } from '../log.ts';
import {
  cgroupDirsWithPrefix,
  destroyCgroup,
  engineCgroupName,
  instanceCgroupPrefix,
} from './engine-cgroups.ts';
import { startsLate, type EngineSpec } from './engine-spec.ts';
import { EngineTemplate, type TemplateOptions } from './engine-template.ts';
import { copyImage } from './image-client.ts';
import { launchDockerd, type ThrowawayDockerd } from './throwaway-dockerd.ts';

const run = promisify(execFile);

export type SessionEngineOptions = TemplateOptions;

/** The session engines of a server (or of `nslab sweep`, which removes a crashed one's). */
export function sessionDockerdsFor(
  config: { instance: string; stateDir: string },
  main: Dockerode,
  image: string,
  facts: { cgroupVersion: 1 | 2; dockerRootDir: string },
): SessionDockerds {
  return new SessionDockerds({
    instance: config.instance,
    main,
    image,
    cgroupVersion: facts.cgroupVersion,
    stateDir: config.stateDir,
    dockerRootDir: facts.dockerRootDir,
  });
}

export class SessionDockerds {
  private readonly template: EngineTemplate;

  constructor(private readonly options: SessionEngineOptions) {
    this.template = new EngineTemplate(options);
  }

  /**
   * Starts one of a session's engines with its own copy of the lab image (from the template
   * data directory). An engine that listens on TCP joins the network namespace of the
   * process `netnsPid`.
   */
  async start(
    sessionId: string,
    dir: string,
    spec: EngineSpec,
    netnsPid?: number,
  ): Promise<ThrowawayDockerd> {
    const started = performance.now();
    if (startsLate(spec) && netnsPid === undefined)
      throw new Error(`session engine ${spec.name} needs a container's network namespace`);
    if (spec.image !== false) {
      const template = await this.template.dataDir();
      const data = sessionPath(dir, `${spec.name}/data`);
      await mkdir(path.dirname(data), { recursive: true, mode: 0o700 });
      await run('cp', ['-a', '--reflink=auto', template, data]);
    }
    const cgroup = engineCgroupName(this.options.instance, sessionId, spec.name);
    const engine = await launchDockerd({ ...this.options, cgroup, dir, spec, netnsPid });
    try {
      if (spec.image !== false)
        await copyImage(this.options.main, engine.docker, this.options.image);
    } catch (error) {
      await engine.stop().catch(() => undefined);
      throw error;
    }
    log.info('session engine ready', {
      session: sessionId,
      engine: spec.name,
      ms: Math.round(performance.now() - started),
    });
    return engine;
  }

  /** Kills and removes every session engine of this instance (a crashed server's leftovers). */
  async sweep(): Promise<number> {
    const { instance, cgroupVersion } = this.options;
    const dirs = await cgroupDirsWithPrefix(instanceCgroupPrefix(instance), cgroupVersion);
    const names = [...new Set(dirs.map((dir) => path.basename(dir)))];
    for (const name of names) await destroyCgroup(name, cgroupVersion);
    await this.template.remove();
    return names.length;
  }

  /** What is left of a session's engines (their cgroups, in any hierarchy): empty once gone. */
  leftovers(sessionId: string): Promise<string[]> {
    const prefix = engineCgroupName(this.options.instance, sessionId);
    return cgroupDirsWithPrefix(prefix, this.options.cgroupVersion);
  }
}
