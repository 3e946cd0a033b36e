// The IPC lab's checks used to run ipcs in the learner's container, where the learner is
// root, behind a guard that asked `docker diff` whether ipcs was replaced. They now read the
// IPC namespace with the host's own cat (nsenter --ipc, /proc/sysvipc/*): a fake ipcs, or a
// whole /usr/bin of fakes, is neither believed nor in the way. The honest work passes with
// the fakes still in place.
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../support/test-server.ts';
import { USR_BIN_SWAP, attack } from './learner-attacks.ts';

/** What ipcs -m prints for one segment: the shape the old check parsed. */
const FAKE_IPCS = [
  '#!/bin/sh',
  'echo "------ Shared Memory Segments --------"',
  'echo "key        shmid      owner      perms      bytes      nattch     status"',
  'echo "0x0000beef 7          root       600        4096       0"',
];

describe('checks that no longer run programs in the container', () => {
  it('ignore a fake ipcs, and judge the real segment with the fake still there', async () => {
    await using t = await startTestServer('test-probe-guard');
    const session = await t.api.startSession('ipc');
    await using peer = await t.openTerminal(session.id, 'peer');
    await using owner = await t.openTerminal(session.id, 'owner');

    // A fake ipcs early in PATH: the peer's shell now "sees" a segment nobody made.
    const script = FAKE_IPCS.map((line) => `'${line.replaceAll("'", "'\\''")}'`).join(' ');
    await peer.run(`printf '%s\\n' ${script} > /usr/local/bin/ipcs; chmod +x /usr/local/bin/ipcs`);
    expect(await peer.run('ipcs -m')).toContain('0x0000beef 7');
    const fooled = await t.api.check(session.id, 'shared-segment');
    expect(fooled).toMatchObject({
      passed: false,
      reason: 'The peer sees no shared memory segment.',
    });

    // Every program of the owner's /usr/bin replaced too, and then the real work, done with the
    // copies of the real ipcmk and ipcrm that the swap keeps.
    await attack(owner, USR_BIN_SWAP);
    await owner.run('ipcmk -M 4096');
    const judged = await t.api.check(session.id, 'shared-segment');
    expect(judged.reason).toMatch(/The peer sees segment 0x[0-9a-f]{8} \(shmid \d+\)/);
    expect(judged.passed).toBe(true);
    await peer.run('ipcrm --all=msg');
    expect((await t.api.check(session.id, 'destroy-queue')).passed).toBe(true);
  });
});
