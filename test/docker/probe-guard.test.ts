// A check's probe runs a program inside the learner's container, where the learner is root.
// Replacing that program must not pass the check: the engine's `docker diff`, read on the
// host, shows the replacement, and the check refuses to judge until it is gone.
import { describe, expect, it } from 'vitest';
import { tamperedReason } from '../../server/checks/probe-guard.ts';
import { startTestServer } from '../support/test-server.ts';

/** What ipcs -m prints for one segment: the shape the IPC lab's check parses. */
const FAKE_IPCS = [
  '#!/bin/sh',
  'echo "------ Shared Memory Segments --------"',
  'echo "key        shmid      owner      perms      bytes      nattch     status"',
  'echo "0x0000beef 7          root       600        4096       0"',
];

describe('probe guard', () => {
  it('refuses a check whose probe program was replaced, and judges again once it is gone', async () => {
    await using t = await startTestServer('test-probe-guard');
    const session = await t.api.startSession('ipc');
    const peer = await t.openTerminal(session.id, 'peer');
    const owner = await t.openTerminal(session.id, 'owner');

    // A fake ipcs early in PATH: the peer now "sees" a segment nobody made.
    const script = FAKE_IPCS.map((line) => `'${line.replaceAll("'", "'\\''")}'`).join(' ');
    await peer.run(`printf '%s\\n' ${script} > /usr/local/bin/ipcs; chmod +x /usr/local/bin/ipcs`);
    expect(await peer.run('ipcs -m')).toContain('0x0000beef 7');
    const refused = await t.api.check(session.id, 'shared-segment');
    expect(refused).toMatchObject({
      passed: false,
      reason: tamperedReason('/usr/local/bin/ipcs'),
    });

    // The real exercise with the fake still in place: still refused, the fake is what the
    // check would have run.
    await owner.run('ipcmk -M 4096');
    expect((await t.api.check(session.id, 'shared-segment')).passed).toBe(false);

    // Removed again, the layer no longer lists it, and the real segment passes.
    await peer.run('rm /usr/local/bin/ipcs');
    const judged = await t.api.check(session.id, 'shared-segment');
    expect(judged.reason).toMatch(/The peer sees segment 0x/);
    expect(judged.passed).toBe(true);
    await peer.close();
    await owner.close();
  });
});
