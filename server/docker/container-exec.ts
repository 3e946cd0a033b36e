// `docker exec` in a container: a probe run to completion outside any terminal (checks and
// set-up steps), or the learner's interactive shell with a TTY.
import type Dockerode from 'dockerode';
import type { Duplex } from 'node:stream';
import { PassThrough } from 'node:stream';
import { log } from '../log.ts';

/**
 * A probe is a short command, but on a busy engine (many sessions starting, or the VM test's
 * emulated CPU) `docker exec` alone has taken over 10 s, so the limit is generous.
 */
export const PROBE_TIMEOUT_MS = 30_000;
/**
 * A probe's PATH leaves out /usr/local. Probes serve set-up steps and "Show me", never a
 * check's verdict: the learner may be root in the container and replace any program there.
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

/** How a probe exited and what it printed on stdout. */
export interface ProbeResult {
  exitCode: number;
  stdout: string;
}

/** A probe's whole output, stderr included. */
export interface ProbeOutput extends ProbeResult {
  stderr: string;
}

export interface ProbeOptions {
  timeoutMs?: number;
  user?: string;
}

export interface ExecShell {
  stream: Duplex;
  resize(cols: number, rows: number): Promise<void>;
  exitCode(): Promise<number | null>;
}

/**
 * Resolves when the exec's stream ends. Docker 26 under heavy load has been seen to keep a
 * finished exec's stream open (the VM test, under qemu's emulation), so the exec's own state
 * is asked too; output still in flight gets a moment to arrive.
 */
function execFinished(
  exec: Dockerode.Exec,
  stream: Duplex,
  timeoutMs: number,
  what: string,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
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
      settle(new Error(`probe ${what} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
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
}

/** Runs `cmd` in the container to completion, with a plain PATH, and returns its output. */
export async function runProbe(
  docker: Dockerode,
  id: string,
  cmd: string[],
  { timeoutMs = PROBE_TIMEOUT_MS, user = 'root' }: ProbeOptions = {},
): Promise<ProbeOutput> {
  const exec = await docker.getContainer(id).exec({
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
  docker.modem.demuxStream(stream, stdout, stderr);
  await execFinished(exec, stream, timeoutMs, cmd.join(' '));
  const info = await exec.inspect();
  return {
    exitCode: info.ExitCode ?? -1,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  };
}

/** Starts an interactive login shell with a TTY: one raw stream, no demultiplexing. */
export async function startShell(
  docker: Dockerode,
  id: string,
  size: { cols: number; rows: number },
): Promise<ExecShell> {
  const exec = await docker.getContainer(id).exec({
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
}
