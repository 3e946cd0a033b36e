// The only module that talks to the Docker engine about containers. Every call logs its
// start, success and failure with the container id and rethrows the original error; the
// engine's harmless answers (404 already gone, 409 removal already under way) count as success.
import type Dockerode from 'dockerode';
import { log } from '../log.ts';
import {
  runProbe,
  startShell,
  type ExecShell,
  type ProbeOptions,
  type ProbeOutput,
} from './container-exec.ts';
import { isConflict, isGone } from './engine-errors.ts';
import { demuxLog, LOG_TAIL_LINES } from './container-log.ts';
import { labelFilter } from './labels.ts';
import { singleFileTar, type TarFile } from './single-file-tar.ts';

export type { ExecShell, ProbeOutput, ProbeResult } from './container-exec.ts';

/** One path of the container's root filesystem that differs from its image (`docker diff`). */
export interface RootfsChange {
  path: string;
  kind: 'changed' | 'added' | 'deleted';
}

async function traced<T>(
  op: string,
  fields: Record<string, unknown>,
  run: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  log.debug(`docker ${op}`, fields);
  try {
    const result = await run();
    log.debug(`docker ${op} ok`, { ...fields, ms: Math.round(performance.now() - started) });
    return result;
  } catch (error) {
    log.warn(`docker ${op} failed`, { ...fields, error: String(error) });
    throw error;
  }
}

export class ContainerClient {
  constructor(readonly docker: Dockerode) {}

  /** The options are the engine's own; planning them (plans/create-options.ts) is not this layer's job. */
  async createAndStart(options: Dockerode.ContainerCreateOptions): Promise<string> {
    const container = await traced('create', { name: options.name, image: options.Image }, () =>
      this.docker.createContainer(options),
    );
    try {
      await traced('start', { id: container.id }, () => container.start());
    } catch (error) {
      // Clean up on the failure path: a container that never started is still a container.
      await this.remove(container.id);
      throw error;
    }
    return container.id;
  }

  inspect(id: string): Promise<Dockerode.ContainerInspectInfo> {
    return traced('inspect', { id }, () => this.docker.getContainer(id).inspect());
  }

  /** Every container on this engine, running or not, whoever made it, as the engine inspects it. */
  async inspectAll(): Promise<Dockerode.ContainerInspectInfo[]> {
    const list = await traced('list', { all: true }, () =>
      this.docker.listContainers({ all: true }),
    );
    return Promise.all(list.map((c) => this.inspect(c.Id)));
  }

  async remove(id: string): Promise<void> {
    await traced('remove', { id }, async () => {
      try {
        await this.docker.getContainer(id).remove({ force: true, v: true });
      } catch (error) {
        // Already gone, or its removal already in progress: either way it will not stay.
        if (!isGone(error) && !isConflict(error)) throw error;
      }
    });
  }

  async listIds(instance: string, sessionId?: string): Promise<string[]> {
    const containers = await traced('list', { instance, sessionId }, () =>
      this.docker.listContainers({ all: true, filters: labelFilter(instance, sessionId) }),
    );
    return containers.map((c) => c.Id);
  }

  /** Host PIDs of the container's processes (`docker top`). */
  async hostPids(id: string): Promise<number[]> {
    const top = await traced(
      'top',
      { id },
      (): Promise<{ Processes?: string[][] | null }> =>
        this.docker.getContainer(id).top({ ps_args: '-o pid' }) as Promise<{
          Processes?: string[][] | null;
        }>,
    );
    const processes = top.Processes ?? [];
    return processes.map((row) => Number(row[0])).filter((pid) => Number.isInteger(pid) && pid > 0);
  }

  /** What differs between the container's root filesystem and its image (`docker diff`). */
  async changes(id: string): Promise<RootfsChange[]> {
    const list = await traced(
      'changes',
      { id },
      () => this.docker.getContainer(id).changes() as Promise<unknown>,
    );
    // An unchanged layer comes back as the JSON text `null` (in a Buffer), not as a list.
    if (!Array.isArray(list)) return [];
    const kinds = ['changed', 'added', 'deleted'] as const;
    return (list as { Path: string; Kind: number }[]).map((c) => ({
      path: c.Path,
      kind: kinds[c.Kind] ?? 'changed',
    }));
  }

  /** The last lines of what the container's PID 1 wrote to stdout and stderr (`docker logs`). */
  async logs(id: string): Promise<string> {
    const raw = await traced(
      'logs',
      { id },
      () =>
        this.docker
          .getContainer(id)
          .logs({ stdout: true, stderr: true, follow: false, tail: LOG_TAIL_LINES }) as Promise<
          Buffer | string
        >,
    );
    // Lab containers have no TTY, so the engine sends its multiplexed frames.
    return demuxLog(Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'binary'));
  }

  /** Runs a command to completion outside any terminal; used by checks and set-up steps. */
  probe(id: string, cmd: string[], options: ProbeOptions = {}): Promise<ProbeOutput> {
    return traced('probe', { id, cmd: cmd[0] }, () => runProbe(this.docker, id, cmd, options));
  }

  /**
   * Writes one file into the container through the engine's archive API: from the host's
   * side, so what it holds is on no command line and in no environment that another
   * process on the machine could read. `dir` must exist in the container's own file system
   * (not a tmpfs: the engine writes beneath it).
   */
  async putFile(id: string, dir: string, file: TarFile): Promise<void> {
    await traced('put archive', { id, dir }, () =>
      this.docker.getContainer(id).putArchive(singleFileTar(file), { path: dir }),
    );
  }

  /** Starts an interactive login shell with a TTY: one raw stream, no demultiplexing. */
  startShell(id: string, size: { cols: number; rows: number }): Promise<ExecShell> {
    return traced('exec shell', { id }, () => startShell(this.docker, id, size));
  }
}
