// The only module that talks to the Docker engine about containers. Every call logs its
// start, success and failure with the container id and rethrows the original error; the
// engine's harmless answers (304 already stopped, 404 already gone) count as success.
import type Dockerode from 'dockerode';
import type { Duplex } from 'node:stream';
import { PassThrough } from 'node:stream';
import { log } from '../log.ts';
import { labelFilter } from './labels.ts';
import type { RootfsChange } from '../checks/check-context.ts';

/**
 * A probe is a short command, but on a busy engine (many sessions starting, or the VM test's
 * emulated CPU) `docker exec` alone has taken over 10 s, so the limit is generous.
 */
const PROBE_TIMEOUT_MS = 30_000;
/**
 * A probe's PATH leaves out /usr/local: a program the learner drops there for a moment (and
 * removes again, which leaves no trace in `docker diff`) is never what a check runs. Replacing
 * a program in /usr/bin instead copies it up for good, and the probe guard sees that
 * (server/checks/probe-guard.ts).
 */
const PROBE_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';
/** How often a probe asks whether its exec has finished, in case the stream never ends. */
const EXEC_POLL_MS = 1_000;
/** Output written just before the exec finished may still be in the stream. */
const EXEC_DRAIN_MS = 250;

/**
 * The learner's shell. `stty -ixon` first: with XON/XOFF on, a Ctrl-S (the browser's "save"
 * reflex) stops the shell's output, and once a paste fills the TTY's input queue behind it the
 * Ctrl-Q that would resume it can never arrive: a terminal frozen until "Reset lab". Measured
 * here: Ctrl-S plus 300 KB of input wedges bash in n_tty_write for good. Without ixon, Ctrl-S
 * is readline's forward history search. `exec` keeps bash the process the labs see.
 */
const SHELL_COMMAND = ['sh', '-c', 'stty -ixon 2>/dev/null; exec bash -l'];

/**
 * Docker's default detach keys, Ctrl-P Ctrl-Q, are read out of the learner's keystrokes: a
 * Ctrl-P (readline's previous-history) is held back until the next key, and Ctrl-P Ctrl-Q kills
 * the shell with "read escape sequence". An exec cannot switch detaching off (an empty value
 * means the default), so the sequence is one nobody types; only a lone Ctrl-^ waits for the
 * key after it.
 */
const UNTYPEABLE_DETACH_KEYS = 'ctrl-^,ctrl-@,ctrl-],ctrl-@,ctrl-^,ctrl-_';

function statusCode(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    return typeof error.statusCode === 'number' ? error.statusCode : undefined;
  }
  return undefined;
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

export interface ExecShell {
  stream: Duplex;
  resize(cols: number, rows: number): Promise<void>;
  exitCode(): Promise<number | null>;
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

  async remove(id: string): Promise<void> {
    await traced('remove', { id }, async () => {
      try {
        await this.docker.getContainer(id).remove({ force: true, v: true });
      } catch (error) {
        const code = statusCode(error);
        // 404: already gone; 409: removal already in progress. Both mean "it will not stay".
        if (code !== 404 && code !== 409) throw error;
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
      () =>
        this.docker.getContainer(id).changes() as Promise<{ Path: string; Kind: number }[] | null>,
    );
    const kinds = ['changed', 'added', 'deleted'] as const;
    return (list ?? []).map((c) => ({ path: c.Path, kind: kinds[c.Kind] ?? 'changed' }));
  }

  /** Runs a command to completion outside any terminal; used by checks and set-up steps. */
  async probe(
    id: string,
    cmd: string[],
    { timeoutMs = PROBE_TIMEOUT_MS, user = 'root' }: { timeoutMs?: number; user?: string } = {},
  ): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    return traced('probe', { id, cmd: cmd[0] }, async () => {
      const container = this.docker.getContainer(id);
      const exec = await container.exec({
        Cmd: cmd,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        User: user,
        Env: [`PATH=${PROBE_PATH}`],
      });
      const stream = await exec.start({ hijack: true, stdin: false });
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      stdout.on('data', (chunk: Buffer) => out.push(chunk));
      stderr.on('data', (chunk: Buffer) => err.push(chunk));
      this.docker.modem.demuxStream(stream, stdout, stderr);
      await new Promise<void>((resolve, reject) => {
        let settled = false;
        const settle = (error?: Error): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          clearInterval(poll);
          if (error === undefined) resolve();
          else reject(error);
        };
        const timer = setTimeout(() => {
          stream.destroy();
          settle(new Error(`probe ${cmd.join(' ')} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        // The stream's end is the normal signal. Docker 26 under heavy load has been seen to
        // keep a finished exec's stream open (the VM test, under qemu's emulation), so the exec's
        // own state is asked too; output still in flight gets a moment to arrive.
        const poll = setInterval(() => {
          exec
            .inspect()
            .then((state) => {
              if (state.Running) return;
              setTimeout(() => {
                stream.destroy();
                settle();
              }, EXEC_DRAIN_MS);
            })
            .catch(() => undefined);
        }, EXEC_POLL_MS);
        stream.on('end', () => {
          settle();
        });
        stream.on('error', (error: Error) => {
          settle(error);
        });
      });
      const info = await exec.inspect();
      return {
        exitCode: info.ExitCode ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
    });
  }

  /** Starts an interactive login shell with a TTY: one raw stream, no demultiplexing. */
  async startShell(id: string, size: { cols: number; rows: number }): Promise<ExecShell> {
    return traced('exec shell', { id }, async () => {
      const container = this.docker.getContainer(id);
      const exec = await container.exec({
        Cmd: SHELL_COMMAND,
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        Tty: true,
        DetachKeys: UNTYPEABLE_DETACH_KEYS,
        Env: ['TERM=xterm-256color', 'COLORTERM=truecolor', 'LANG=C.UTF-8'],
        WorkingDir: '/root',
      });
      const stream = await exec.start({ hijack: true, stdin: true, Tty: true });
      const shell: ExecShell = {
        stream,
        resize: async (cols, rows) => {
          try {
            await exec.resize({ w: cols, h: rows });
          } catch (error) {
            // A resize racing the shell's exit is harmless; anything else is worth a line.
            log.debug('docker exec resize failed', { id, error: String(error) });
          }
        },
        exitCode: async () => {
          try {
            return (await exec.inspect()).ExitCode;
          } catch {
            return null;
          }
        },
      };
      await shell.resize(size.cols, size.rows);
      return shell;
    });
  }
}
