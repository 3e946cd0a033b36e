// Benchmark: how long from "Start" to a shell prompt in nslab, next to raw Docker on the
// same engine in the same run. Not a test: it prints figures and ratios.
//   npm run bench -- [iterations]
import { spawn } from 'node:child_process';
import Dockerode from 'dockerode';
import { ImageClient } from '../../server/docker/image-client.ts';
import { resolveLabImage } from '../../server/images/lab-images.ts';
import { REPO_ROOT } from '../../server/repo-root.ts';
import { NslabServer } from '../../server/nslab-server.ts';
import { ApiClient } from '../../server/protocol/api-client.ts';
import { TerminalDriver } from '../../server/verify/terminal-driver.ts';

process.env.NSLAB_LOG_LEVEL ??= 'warn';
const ITERATIONS = Number(process.argv[2] ?? 20);
const INSTANCE = 'bench';
const LABEL = { 'nslab.instance': INSTANCE };

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) =>
      code === 0
        ? resolve(out.trim())
        : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`)),
    );
  });
}

function stats(samples: number[]): { median: number; p90: number; min: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { median: at(0.5), p90: at(0.9), min: sorted[0] ?? NaN };
}

async function time(fn: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** nslab: POST /api/sessions (the click), open the terminal WebSocket, wait for the prompt. */
async function nslabClickToPrompt(api: ApiClient): Promise<number> {
  let sessionId = '';
  const ms = await time(async () => {
    const session = await api.startSession('uts');
    sessionId = session.id;
    const driver = await TerminalDriver.open(api.terminalUrl(session.id, 'isolated'), {
      token: api.token,
      origin: api.origin,
    });
    await driver.waitForPrompt();
    await driver.close();
  });
  await api.endSession(sessionId);
  return ms;
}

/** Raw engine API (dockerode): create + start one container, exec bash with a TTY, wait for the prompt. */
async function rawApiToPrompt(docker: Dockerode, image: string): Promise<number> {
  let id = '';
  const ms = await time(async () => {
    const container = await docker.createContainer({
      Image: image,
      Cmd: ['sleep', 'infinity'],
      Labels: LABEL,
      HostConfig: { Init: true, NetworkMode: 'none' },
    });
    id = container.id;
    await container.start();
    const exec = await container.exec({
      Cmd: ['bash', '-l'],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
    });
    const stream = await exec.start({ hijack: true, stdin: true, Tty: true });
    await new Promise<void>((resolve) => {
      let out = '';
      stream.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/[#$] $/.test(out)) resolve();
      });
    });
    stream.destroy();
  });
  await docker.getContainer(id).remove({ force: true });
  return ms;
}

/** Raw CLI, what a person types: `docker run -d` then `docker exec` (a command, no TTY prompt). */
async function rawCliRunExec(image: string): Promise<number> {
  let id = '';
  const ms = await time(async () => {
    id = await run('docker', [
      'run',
      '-d',
      '--init',
      '--network',
      'none',
      '--label',
      `nslab.instance=${INSTANCE}`,
      image,
      'sleep',
      'infinity',
    ]);
    await run('docker', ['exec', id, 'bash', '-lc', 'true']);
  });
  await run('docker', ['rm', '-f', id]);
  return ms;
}

const docker = new Dockerode();
const image = await resolveLabImage(new ImageClient(docker), REPO_ROOT, () => undefined);
await using server = await NslabServer.start({
  config: { host: '127.0.0.1', port: 0, instance: INSTANCE, graceMs: 60_000 },
});
const api = new ApiClient(server.origin, server.config.token);

// One warm-up of each, so the first-ever exec does not count against anyone.
await nslabClickToPrompt(api);
await rawApiToPrompt(docker, image);
await rawCliRunExec(image);

const nslab: number[] = [];
const rawApi: number[] = [];
const rawCli: number[] = [];
// Interleaved, so drift in the machine's load affects all three alike.
for (let i = 0; i < ITERATIONS; i++) {
  nslab.push(await nslabClickToPrompt(api));
  rawApi.push(await rawApiToPrompt(docker, image));
  rawCli.push(await rawCliRunExec(image));
}

const rows = [
  ['nslab click-to-prompt (uts lab: 2 containers, HTTP + WebSocket)', stats(nslab)],
  ['raw engine API: create + start + exec bash -l to prompt (1 container)', stats(rawApi)],
  ['raw CLI: docker run -d + docker exec true (1 container)', stats(rawCli)],
] as const;
process.stdout.write(`\n${ITERATIONS} iterations each, interleaved, same engine\n`);
for (const [name, s] of rows) {
  process.stdout.write(
    `${name.padEnd(72)} median ${s.median.toFixed(0).padStart(5)} ms   p90 ${s.p90.toFixed(0).padStart(5)} ms   min ${s.min.toFixed(0).padStart(5)} ms\n`,
  );
}
const n = stats(nslab).median;
process.stdout.write(
  `ratio nslab / raw API: ${(n / stats(rawApi).median).toFixed(2)}   nslab / raw CLI: ${(n / stats(rawCli).median).toFixed(2)}\n`,
);
