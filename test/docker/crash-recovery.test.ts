// A server killed with SIGKILL cannot clean up; the next one must. Runs the real CLI as a
// child process, as an operator would, and checks the engine between the steps.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../server/verify/api-client.ts';
import { labelled } from '../support/test-server.ts';

const REPO = path.join(import.meta.dirname, '..', '..');
const INSTANCE = 'test-crash';
const TOKEN = 'crash-test-token';

async function startCli(): Promise<{ child: ChildProcess; api: ApiClient }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/nslab.ts', 'serve'], {
    cwd: REPO,
    env: {
      ...process.env,
      NSLAB_PORT: '0',
      NSLAB_INSTANCE: INSTANCE,
      NSLAB_TOKEN: TOKEN,
      NSLAB_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const origin = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=/.exec(out);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}: ${out}`)));
  });
  return { child, api: new ApiClient(origin, TOKEN) };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('crash recovery', () => {
  it('sweeps what a SIGKILLed server left, and a SIGTERMed one leaves nothing', async () => {
    const docker = new Dockerode();
    const crashed = await startCli();
    const session = await crashed.api.startSession('uts');
    crashed.child.kill('SIGKILL');
    await exited(crashed.child);
    expect(await labelled(docker, INSTANCE, session.id)).toHaveLength(2);

    const restarted = await startCli();
    expect(await labelled(docker, INSTANCE)).toEqual([]);
    await restarted.api.startSession('uts');
    expect(await labelled(docker, INSTANCE)).toHaveLength(2);
    restarted.child.kill('SIGTERM');
    expect(await exited(restarted.child)).toBe(0);
    expect(await labelled(docker, INSTANCE)).toEqual([]);
  });
});
