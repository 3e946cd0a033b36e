// A server killed with SIGKILL cannot clean up; the next one must. Runs the real CLI as a
// child process, as an operator would, and checks the engine between the steps.
import type { ChildProcess } from 'node:child_process';
import Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../server/protocol/api-client.ts';
import { ServerProcess } from '../support/server-process.ts';
import { labelled } from '../support/test-server.ts';

const INSTANCE = 'test-crash';
const TOKEN = 'crash-test-token';

/** The real CLI as a child process (test/support/server-process.ts). */
async function startCli(): Promise<{ child: ChildProcess; api: ApiClient }> {
  const server = await ServerProcess.start({ instance: INSTANCE, token: TOKEN });
  return { child: server.child, api: server.api() };
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
