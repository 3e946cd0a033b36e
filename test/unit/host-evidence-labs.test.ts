// Host-side evidence of the pid and user labs: whether a process holds a file open (the
// same file, not one at the same path), the host's process list, and uid maps.
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { holdsOpen, hostCommandLines, hostStatus } from '../../labs/pid/host-processes.ts';
import { hostUidOf, hostUidOfRoot, realUid, tenantUid } from '../../labs/user/user-evidence.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'nslab-holds-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('pid lab: host processes', () => {
  it('sees a file this process holds open, and not a new file put at its path', async () => {
    const log = path.join(dir, 'container-json.log');
    await writeFile(log, 'x');
    const handle = await open(log, 'r');
    try {
      expect(await holdsOpen(process.pid, log)).toBe(true);
      // What a fake in another container would do: a file with the same name, another inode.
      await rename(log, `${log}.old`);
      await writeFile(log, 'y');
      expect(await holdsOpen(process.pid, log)).toBe(false);
    } finally {
      await handle.close();
    }
    expect(await holdsOpen(process.pid, `${log}.old`)).toBe(false);
    expect(await holdsOpen(2 ** 22 + 7, log)).toBe(false);
  });

  it("reads the host's processes and their status", async () => {
    expect((await hostStatus(process.pid))?.Pid).toBe(String(process.pid));
    expect(await hostStatus(2 ** 22 + 7)).toBeUndefined();
    expect((await hostCommandLines()).some((line) => line.includes('vitest'))).toBe(true);
  });
});

describe('user lab: uid maps', () => {
  it('maps a container uid through the line whose range holds it', () => {
    const map = '         0     100000      65536\n';
    expect(hostUidOfRoot(map)).toBe(100000);
    expect(hostUidOf(map, 1234)).toBe(101234);
    expect(hostUidOf(map, 65536)).toBeUndefined();
    expect(hostUidOf('0 0 4294967295', 1234)).toBe(1234);
    expect(hostUidOf('0 1000 1\n1 200000 65535\n', 5)).toBe(200004);
    expect(hostUidOfRoot('garbage')).toBeUndefined();
  });

  it('gives each session a tenant uid of its own, inside the mapped range', () => {
    const uids = new Set(['a', 'b', 'c', 'd', 'e'].map((t) => tenantUid(`${t}0123456789abcde`)));
    expect(uids.size).toBe(5);
    for (const uid of uids) expect(uid >= 1000 && uid < 60_000).toBe(true);
    expect(tenantUid('feedface')).toBe(tenantUid('feedface'));
  });

  it('reads the real uid from a status Uid line', () => {
    expect(realUid({ Uid: '101234\t101234\t101234\t101234' })).toBe(101234);
    expect(realUid({})).toBeUndefined();
  });
});
