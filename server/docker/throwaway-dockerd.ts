// One throwaway dockerd (server/setup/session-engine.sh does the work): its own data under a
// session directory, its own mount, network and PID namespaces, and a cgroup of its own that
// bounds the engine and every container it starts. Stopping it kills everything in that
// cgroup and removes it.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Dockerode from 'dockerode';
import { sessionPath } from '../host/session-path.ts';
import { log } from '../log.ts';
import { REPO_ROOT } from '../repo-root.ts';
import { destroyCgroup, makeEngineCgroup } from './engine-cgroups.ts';
import { engineSocketPath, lateEngineSocketPath, type EngineSpec } from './engine-spec.ts';
import { makeEngineTls } from './engine-tls.ts';
import type { SessionDockerd } from './session-dockerd.ts';

const SCRIPT = path.join(REPO_ROOT, 'server', 'setup', 'session-engine.sh');

export class ThrowawayDockerd implements SessionDockerd {
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
    await destroyCgroup(this.cgroup, this.version);
    log.info('session engine stopped', { cgroup: this.cgroup });
  }
}

/** Where throwaway dockerds run: the host's cgroup version, and what they must not see. */
export interface DockerdHost {
  cgroupVersion: 1 | 2;
  /** nslab's state directory and the main engine's data: hidden from the engine. */
  stateDir: string;
  dockerRootDir: string;
  startTimeoutMs?: number;
}

export interface LaunchOptions extends DockerdHost {
  /** The cgroup that will hold the engine (engine-cgroups.ts). */
  cgroup: string;
  /** The session directory the engine keeps its socket, data and log in. */
  dir: string;
  spec: EngineSpec;
  /** For an engine that listens on TCP: the process whose network namespace it joins. */
  netnsPid?: number;
}

/** The script reads its engine's name, network namespace, listener and TLS from here. */
async function scriptEnv(
  options: LaunchOptions,
  home: string,
  socketPath: string,
): Promise<NodeJS.ProcessEnv> {
  const { spec, netnsPid } = options;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NSLAB_ENGINE_NAME: spec.name,
    NSLAB_ENGINE_SOCKET: socketPath,
  };
  if (spec.insecureRegistries !== undefined && spec.insecureRegistries.length > 0)
    env.NSLAB_ENGINE_INSECURE = spec.insecureRegistries.join(',');
  if (netnsPid !== undefined) env.NSLAB_ENGINE_NETNS = `/proc/${netnsPid}/ns/net`;
  if (spec.listen !== undefined && netnsPid !== undefined) {
    env.NSLAB_ENGINE_TCP = `tcp://0.0.0.0:${spec.listen.port}`;
    if (spec.listen.tls)
      env.NSLAB_ENGINE_TLS = await makeEngineTls(path.join(home, 'tls'), spec.listen.container);
  }
  return env;
}

/** Pings the engine until it answers; fails as soon as the script exits or time runs out. */
async function waitForAnswer(
  docker: Dockerode,
  exitCode: () => number | null | undefined,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const exited = exitCode();
    if (exited !== undefined) throw new Error(`the session engine exited (code ${exited})`);
    try {
      await docker.ping();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error('the session engine did not answer in time');
      await sleep(100);
    }
  }
}

/** Starts an engine in `options.cgroup` for the session directory `options.dir`, and waits until it answers. */
export async function launchDockerd(options: LaunchOptions): Promise<ThrowawayDockerd> {
  const { cgroup, dir, spec, cgroupVersion } = options;
  // An engine that joins a container's network namespace starts after the containers: its
  // usual socket path is already taken by the relay they mount (dockerd-steps.ts).
  const socketPath = sessionPath(
    dir,
    spec.joins !== undefined ? lateEngineSocketPath(spec.name) : engineSocketPath(spec.name),
  );
  const home = path.dirname(socketPath);
  await mkdir(home, { recursive: true, mode: 0o700 });
  const docker = new Dockerode({ socketPath, timeout: 60_000 });
  const logPath = path.join(home, 'dockerd.log');
  const engine = new ThrowawayDockerd(
    spec.name,
    docker,
    socketPath,
    logPath,
    cgroup,
    cgroupVersion,
  );
  const logFd = openSync(logPath, 'a', 0o600);
  try {
    const procs = await makeEngineCgroup(cgroup, cgroupVersion);
    const child = spawn(
      'bash',
      [SCRIPT, dir, cgroup, options.stateDir, options.dockerRootDir, ...procs],
      {
        detached: true,
        stdio: ['ignore', logFd, logFd],
        env: await scriptEnv(options, home, socketPath),
      },
    );
    child.unref();
    let exited: number | null | undefined;
    child.on('exit', (code) => {
      exited = code;
    });
    await waitForAnswer(docker, () => exited, options.startTimeoutMs ?? 30_000);
    return engine;
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
