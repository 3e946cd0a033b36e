// Raw Docker's side of every comparison: bash with a TTY in a running container, either
// through the engine API (exec create + start, one hijacked stream, as nslab does it) or
// through the CLI a person types (`docker exec -it`, given a pseudo-terminal by script(1)).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import { ShellStream } from './shell-stream.ts';

/** The shell a person asks for: a login bash, as nslab's shell is one. */
const SHELL = ['bash', '-l'];
const ENV = ['TERM=xterm-256color', 'LANG=C.UTF-8'];

export class RawShell extends ShellStream {
  private constructor(private readonly stream: Duplex) {
    super();
    stream.on('data', (chunk: Buffer) => this.feed(chunk));
    stream.on('close', () => this.ended('exec stream closed'));
    stream.on('error', (error: Error) => this.ended(error.message));
  }

  /** `docker exec -it <id> bash -l` through the engine API: create, start, one raw stream. */
  static async open(docker: Dockerode, containerId: string): Promise<RawShell> {
    const exec = await docker.getContainer(containerId).exec({
      Cmd: SHELL,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      Env: ENV,
      WorkingDir: '/root',
    });
    const stream = await exec.start({ hijack: true, stdin: true, Tty: true });
    return new RawShell(stream);
  }

  send(text: string): void {
    this.stream.write(text);
  }

  close(): Promise<void> {
    this.stream.end('exit\r');
    this.stream.destroy();
    return Promise.resolve();
  }
}

/** The docker CLI in a pseudo-terminal: what `docker exec -it` costs a person at a shell. */
export class CliShell extends ShellStream {
  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    super();
    child.stdout.on('data', (chunk: Buffer) => this.feed(chunk));
    child.once('exit', (code) => this.ended(`docker exec exited ${code}`));
  }

  static open(containerId: string): CliShell {
    // script(1) gives the CLI the terminal -it insists on; -e passes its exit code on.
    const command = ['docker', 'exec', '-it', ...ENV.flatMap((e) => ['-e', e]), '-w', '/root'];
    const child = spawn(
      'script',
      ['-qfec', [...command, containerId, ...SHELL].join(' '), '/dev/null'],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    child.stderr.resume();
    return new CliShell(child);
  }

  send(text: string): void {
    this.child.stdin.write(text);
  }

  close(): Promise<void> {
    if (this.child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 2_000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.stdin.end('exit\r');
    });
  }
}
