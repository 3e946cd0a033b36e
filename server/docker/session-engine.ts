// A throwaway Docker engine per session, for escape labs that hand the learner an engine's
// socket (LabDefinition.sessionEngine). The server's own engine never enters a learner
// container: each session gets a daemon of its own (server/setup/session-engine.sh) with
// its own data under the session directory, its own mount, network and PID namespaces, and
// a cgroup of its own that bounds the engine and every container it starts. Ending the
// session kills everything in that cgroup and removes it; the start-up sweep does the same
// for whatever a crashed server left.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync } from 'node:fs';
import {
  mkdir,
  readdir,
  readFile,
  realpath,
  rename,
  rm,
  rmdir,
  stat,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { REPO_ROOT } from '../config.ts';
import { engineSocketPath } from '../plans/resource-names.ts';
import { sessionPath } from '../host/session-path.ts';
import type { SessionEngineSpec } from '../catalogue/lab-definition.ts';
import { makeEngineTls } from './engine-tls.ts';
import { log } from '../log.ts';
import { copyImage } from './userns-engine.ts';

const run = promisify(execFile);
const CGROUP_ROOT = '/sys/fs/cgroup';
const SCRIPT = path.join(REPO_ROOT, 'server', 'setup', 'session-engine.sh');
/** The short-lived engine that loads the lab image once per instance. */
const TEMPLATE_ENGINE: SessionEngineSpec = { name: 'template' };
/** v1 hierarchies that get the session's limits and hold the engine's processes. */
const V1_CONTROLLERS = ['pids', 'memory', 'cpu'] as const;

/** Bounds for one session engine with everything it runs (the learner sets no limits there). */
export const SESSION_ENGINE_LIMITS = {
  memoryBytes: 1024 * 1024 * 1024,
  pids: 512,
  /** CPU time per period: one CPU. */
  cpuQuotaUs: 100_000,
  cpuPeriodUs: 100_000,
} as const;

export interface SessionEngineOptions {
  instance: string;
  /** The main engine, to copy the lab image from. */
  main: Dockerode;
  image: string;
  cgroupVersion: 1 | 2;
  /** nslab's state directory and the main engine's data: hidden from session engines. */
  stateDir: string;
  dockerRootDir: string;
  startTimeoutMs?: number;
}

/**
 * The cgroup (one name in every hierarchy) that holds a session engine: per instance, session
 * and engine. `engineCgroupName(instance, session, '')` is the prefix of all of a session's.
 */
export function engineCgroupName(instance: string, sessionId: string, engine = ''): string {
  return `${instanceCgroupPrefix(instance)}${sessionId}.${engine}`;
}

function instanceCgroupPrefix(instance: string): string {
  return `nslab-esc.${instance}.`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Directories of cgroup hierarchies on this host: the unified one on v2, each mounted one on v1. */
async function hierarchies(version: 1 | 2): Promise<string[]> {
  if (version === 2) return [CGROUP_ROOT];
  const entries = await readdir(CGROUP_ROOT).catch(() => []);
  const dirs = await Promise.all(
    entries.map(async (entry) => {
      const dir = path.join(CGROUP_ROOT, entry);
      try {
        await stat(path.join(dir, 'cgroup.procs'));
        return await realpath(dir);
      } catch {
        return undefined;
      }
    }),
  );
  return [...new Set(dirs.filter((d): d is string => d !== undefined))];
}

/** Every cgroup directory under `dir`, deepest first. */
async function subtree(dir: string): Promise<string[]> {
  const children = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const below = await Promise.all(
    children.filter((c) => c.isDirectory()).map((c) => subtree(path.join(dir, c.name))),
  );
  return [...below.flat(), dir];
}

async function pidsIn(dirs: readonly string[]): Promise<number[]> {
  const lists = await Promise.all(
    dirs.map((d) => readFile(path.join(d, 'cgroup.procs'), 'utf8').catch(() => '')),
  );
  return lists
    .join('\n')
    .split('\n')
    .filter((line) => /^\d+$/.test(line))
    .map(Number);
}

/**
 * Kills every process in the named cgroup (in every hierarchy) and removes the cgroup. The
 * engine's namespace goes with its first process, and its mounts with the namespace.
 */
async function destroy(name: string, version: 1 | 2): Promise<void> {
  const tops = (await hierarchies(version)).map((h) => path.join(h, name));
  if (version === 2)
    await writeFile(path.join(CGROUP_ROOT, name, 'cgroup.kill'), '1').catch(() => undefined);
  for (let round = 0; round < 100; round++) {
    const dirs = (await Promise.all(tops.map(subtree))).flat();
    const pids = await pidsIn(dirs);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await sleep(50);
  }
  for (let round = 0; round < 40; round++) {
    const dirs = (await Promise.all(tops.map(subtree))).flat();
    const left: string[] = [];
    for (const dir of dirs) {
      try {
        await rmdir(dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') left.push(dir);
      }
    }
    if (left.length === 0) return;
    await sleep(100);
  }
  throw new Error(`the session engine's cgroup ${name} could not be removed`);
}

/** A Docker engine one session uses: its own throwaway one, or (workshop) its seat's. */
export interface EngineHandle {
  readonly name: string;
  readonly docker: Dockerode;
  /** Its socket on the host (what `sessionEngineSocket` mounts). */
  readonly socketPath: string;
  /** dockerd's own log on the host. */
  readonly logPath: string;
  /** Ends what the session ran on it (for a throwaway engine: the engine itself). */
  stop(): Promise<void>;
}

export class SessionEngine implements EngineHandle {
  private stopped = false;

  constructor(
    readonly name: string,
    readonly docker: Dockerode,
    readonly socketPath: string,
    /** dockerd's own log (host side): where a refused TLS handshake shows up. */
    readonly logPath: string,
    private readonly cgroup: string,
    private readonly version: 1 | 2,
  ) {}

  /** Kills the engine with every container it ran; its data goes with the session directory. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await destroy(this.cgroup, this.version);
    log.info('session engine stopped', { cgroup: this.cgroup });
  }
}

/** The session engines of a server (or of `nslab sweep`, which removes a crashed one's). */
export function sessionEnginesFor(
  config: { instance: string; stateDir: string },
  main: Dockerode,
  image: string,
  facts: { cgroupVersion: 1 | 2; dockerRootDir: string },
): SessionEngines {
  return new SessionEngines({
    instance: config.instance,
    main,
    image,
    cgroupVersion: facts.cgroupVersion,
    stateDir: config.stateDir,
    dockerRootDir: facts.dockerRootDir,
  });
}

export class SessionEngines {
  private template: Promise<string> | undefined;

  constructor(private readonly options: SessionEngineOptions) {}

  /**
   * Starts one of a session's engines with its own copy of the lab image. The image is loaded
   * once per server instance into a template data directory (by a short-lived engine of the
   * same kind); each session copies that directory, which is much faster than loading. An
   * engine that listens on TCP joins the network namespace of the process `netnsPid`.
   */
  async start(
    sessionId: string,
    dir: string,
    spec: SessionEngineSpec,
    netnsPid?: number,
  ): Promise<SessionEngine> {
    const started = performance.now();
    if (spec.listen !== undefined && netnsPid === undefined)
      throw new Error(`session engine ${spec.name} listens on TCP but has no network namespace`);
    if (spec.image !== false) {
      const template = await this.ensureTemplate();
      const data = sessionPath(dir, `${spec.name}/data`);
      await mkdir(path.dirname(data), { recursive: true, mode: 0o700 });
      await run('cp', ['-a', '--reflink=auto', template, data]);
    }
    const cgroup = engineCgroupName(this.options.instance, sessionId, spec.name);
    const engine = await this.launch(cgroup, dir, spec, netnsPid);
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

  /** The template data directory for this instance, built on first use. */
  private ensureTemplate(): Promise<string> {
    this.template ??= this.buildTemplate().catch((error: unknown) => {
      this.template = undefined;
      throw error;
    });
    return this.template;
  }

  private async buildTemplate(): Promise<string> {
    const root = this.templateRoot();
    const ready = path.join(root, 'data');
    if (existsSync(path.join(root, 'ready'))) return ready;
    const started = performance.now();
    const nonce = randomBytes(6).toString('hex');
    const build = path.join(root, `build-${nonce}`);
    await mkdir(build, { recursive: true, mode: 0o700 });
    try {
      const engine = await this.launch(
        engineCgroupName(this.options.instance, `template-${nonce}`, TEMPLATE_ENGINE.name),
        build,
        TEMPLATE_ENGINE,
      );
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

  private templateRoot(): string {
    return path.join(this.options.stateDir, this.options.instance, 'session-engine-template');
  }

  /** Starts an engine for the session directory `dir` in cgroup `cgroup`, and waits until it answers. */
  private async launch(
    cgroup: string,
    dir: string,
    spec: SessionEngineSpec,
    netnsPid?: number,
  ): Promise<SessionEngine> {
    const version = this.options.cgroupVersion;
    const socketPath = sessionPath(dir, engineSocketPath(spec.name));
    const home = path.dirname(socketPath);
    await mkdir(home, { recursive: true, mode: 0o700 });
    const docker = new Dockerode({ socketPath, timeout: 60_000 });
    const logPath = path.join(home, 'dockerd.log');
    const engine = new SessionEngine(spec.name, docker, socketPath, logPath, cgroup, version);
    const logFd = openSync(logPath, 'a', 0o600);
    try {
      const procs = await this.makeCgroup(cgroup);
      // The script reads its engine's name, network namespace, listener and TLS from here.
      const env: NodeJS.ProcessEnv = { ...process.env, NSLAB_ENGINE_NAME: spec.name };
      if (spec.listen !== undefined && netnsPid !== undefined) {
        env.NSLAB_ENGINE_NETNS = `/proc/${netnsPid}/ns/net`;
        env.NSLAB_ENGINE_TCP = `tcp://0.0.0.0:${spec.listen.port}`;
        if (spec.listen.tls)
          env.NSLAB_ENGINE_TLS = await makeEngineTls(path.join(home, 'tls'), spec.listen.container);
      }
      const child = spawn(
        'bash',
        [SCRIPT, dir, cgroup, this.options.stateDir, this.options.dockerRootDir, ...procs],
        { detached: true, stdio: ['ignore', logFd, logFd], env },
      );
      child.unref();
      let exited: number | null | undefined;
      child.on('exit', (code) => {
        exited = code;
      });
      const deadline = Date.now() + (this.options.startTimeoutMs ?? 30_000);
      for (;;) {
        if (exited !== undefined) throw new Error(`the session engine exited (code ${exited})`);
        try {
          await docker.ping();
          return engine;
        } catch {
          if (Date.now() > deadline) throw new Error('the session engine did not answer in time');
          await sleep(100);
        }
      }
    } catch (error) {
      await engine
        .stop()
        .catch((cleanup: unknown) =>
          log.error('stopping a failed session engine failed', { error: cleanup }),
        );
      throw error;
    } finally {
      closeSync(logFd);
    }
  }

  /** Kills and removes every session engine of this instance (a crashed server's leftovers). */
  async sweep(): Promise<number> {
    const names = await this.engineCgroups();
    for (const name of names) await destroy(name, this.options.cgroupVersion);
    // The template is this instance's cache of the image: it goes with the instance.
    this.template = undefined;
    await rm(this.templateRoot(), { recursive: true, force: true });
    return names.length;
  }

  /** What is left of a session's engines (their cgroups, in any hierarchy): empty once gone. */
  async leftovers(sessionId: string): Promise<string[]> {
    const prefix = engineCgroupName(this.options.instance, sessionId);
    const found = await Promise.all(
      (await hierarchies(this.options.cgroupVersion)).map(async (h) =>
        (await readdir(h).catch(() => []))
          .filter((entry) => entry.startsWith(prefix))
          .map((entry) => path.join(h, entry)),
      ),
    );
    return found.flat();
  }

  private async engineCgroups(): Promise<string[]> {
    const prefix = instanceCgroupPrefix(this.options.instance);
    const names = new Set<string>();
    for (const h of await hierarchies(this.options.cgroupVersion)) {
      for (const entry of await readdir(h).catch(() => [])) {
        if (entry.startsWith(prefix)) names.add(entry);
      }
    }
    return [...names];
  }

  /**
   * Creates the session's cgroup and its limits; returns the cgroup.procs files for the
   * engine. A limit this host's controllers cannot take is a warning, not a failure: the
   * limits are a guard rail around a daemon that is root anyway.
   */
  private async makeCgroup(name: string): Promise<string[]> {
    const limits = SESSION_ENGINE_LIMITS;
    const setting = async (file: string, value: string): Promise<void> => {
      await writeFile(file, value).catch((error: unknown) =>
        log.warn('a session engine limit could not be set', { file, error: String(error) }),
      );
    };
    if (this.options.cgroupVersion === 2) {
      const top = path.join(CGROUP_ROOT, name);
      // Containers go in siblings of "daemon": on v2 processes live only in leaves.
      await mkdir(path.join(top, 'daemon'), { recursive: true });
      for (const dir of [CGROUP_ROOT, top]) {
        for (const controller of ['memory', 'pids', 'cpu']) {
          await setting(path.join(dir, 'cgroup.subtree_control'), `+${controller}`);
        }
      }
      await setting(path.join(top, 'memory.max'), String(limits.memoryBytes));
      await setting(path.join(top, 'pids.max'), String(limits.pids));
      await setting(path.join(top, 'cpu.max'), `${limits.cpuQuotaUs} ${limits.cpuPeriodUs}`);
      return [path.join(top, 'daemon', 'cgroup.procs')];
    }
    const procs: string[] = [];
    for (const controller of V1_CONTROLLERS) {
      const top = path.join(CGROUP_ROOT, controller, name);
      if (!existsSync(path.join(CGROUP_ROOT, controller))) continue;
      await mkdir(path.join(top, 'daemon'), { recursive: true });
      procs.push(path.join(top, 'daemon', 'cgroup.procs'));
    }
    const at = (controller: string, file: string): string =>
      path.join(CGROUP_ROOT, controller, name, file);
    await setting(at('pids', 'pids.max'), String(limits.pids));
    await setting(at('memory', 'memory.limit_in_bytes'), String(limits.memoryBytes));
    await setting(at('cpu', 'cpu.cfs_period_us'), String(limits.cpuPeriodUs));
    await setting(at('cpu', 'cpu.cfs_quota_us'), String(limits.cpuQuotaUs));
    return procs;
  }
}
