// The pid, ipc and mnt labs: the parsers their checks rely on, and the checks that read
// only namespaces and probes, against plain evidence.
import { describe, expect, it } from 'vitest';
import {
  formatKey,
  ipcLab,
  parseIpcs,
  plantedQueueKey,
  submittedKey,
} from '../../labs/ipc/ipc-lab.ts';
import { duKiB, parseMountInfo, shmemBytes } from '../../labs/mnt/mnt-evidence.ts';
import { pidLab, plantedName, submittedToken } from '../../labs/pid/pid-lab.ts';
import type { Exercise } from '../../server/catalogue/lab-definition.ts';
import { fakeCheckContext, type FakeContainer } from './support/fake-check-context.ts';

function exercise(lab: { exercises: Exercise[] }, id: string): Exercise {
  const found = lab.exercises.find((e) => e.id === id);
  if (found === undefined) throw new Error(`no exercise ${id}`);
  return found;
}

describe('pid lab', () => {
  const token = '0123456789abcdef';

  it('accepts the token alone or the whole planted name', () => {
    const name = plantedName('3f2a9c1b7d4e', token);
    expect(submittedToken(token)).toBe(token);
    expect(submittedToken(name)).toBe(token);
    expect(submittedToken(`${name} infinity`)).toBe(token);
    expect(submittedToken(token.toUpperCase())).toBe(token);
  });

  it.each(['', '3f2a9c1b7d4e', 'nslab-planted-\\S*', '0123456789abcde', 'nslab-planted-x-'])(
    'reads %j as no token',
    (text) => {
      expect(submittedToken(text)).toBeUndefined();
    },
  );

  it("passes the isolated container's PID namespace and refuses the host's", async () => {
    const { ctx } = fakeCheckContext({
      hostNamespaces: { pid: 'pid:[4026531836]' },
      containers: { isolated: { namespaces: { pid: 'pid:[4026532396]' } } },
    });
    const check = exercise(pidLab, 'own-namespace').check;
    expect((await check(ctx, 'pid:[4026532396]')).passed).toBe(true);
    expect(await check(ctx, '4026531836')).toMatchObject({ passed: false, hint: 1 });
    expect(await check(ctx, 'pid')).toMatchObject({ passed: false, hint: 0 });
  });
});

const IPCS_Q = `
------ Message Queues --------
key        msqid      owner      perms      used-bytes   messages
0x71de8fe4 0          root       600        30           1

`;

describe('ipc lab', () => {
  it('parses ipcs listings', () => {
    expect(parseIpcs(IPCS_Q)).toEqual([{ key: '0x71de8fe4', id: 0 }]);
    expect(parseIpcs('\n------ Shared Memory Segments --------\nkey shmid\n\n')).toEqual([]);
  });

  it('derives a positive, non-private key from the token', () => {
    for (const token of ['00000000aaaa', 'ffffffffbbbb', 'feedface']) {
      const key = plantedQueueKey(token);
      expect(key).toBeGreaterThan(0);
      expect(key).toBeLessThan(2 ** 31);
      expect(formatKey(key)).toMatch(/^0x[0-9a-f]{8}$/);
    }
  });

  it('reads keys in hex and plain numbers as ids', () => {
    expect(submittedKey('0x71DE8FE4')).toEqual({ key: '0x71de8fe4' });
    expect(submittedKey('71de8fe4')).toEqual({ key: '0x71de8fe4' });
    expect(submittedKey('0')).toEqual({ id: 0 });
    expect(submittedKey('queue')).toBeUndefined();
  });

  const wired = (peer: FakeContainer['probes'], isolated: FakeContainer['probes']) =>
    fakeCheckContext({
      containers: {
        owner: { namespaces: { ipc: 'ipc:[1]' } },
        peer: { namespaces: { ipc: 'ipc:[1]' }, probes: peer },
        isolated: { namespaces: { ipc: 'ipc:[2]' }, probes: isolated },
      },
    }).ctx;
  const listing = (line: string) => ({
    exitCode: 0,
    stdout: `\n------ Shared Memory Segments --------\nkey shmid\n${line}\n`,
  });

  it('passes a segment the peer sees and the isolated container does not', async () => {
    const check = exercise(ipcLab, 'shared-segment').check;
    const seg = '0x05cb65e5 0          root       644        4096       0';
    const own = '0x13ab5129 0          root       644        4096       0';
    const shared = await check(
      wired({ 'ipcs -m': listing(seg) }, { 'ipcs -m': listing('') }),
      undefined,
    );
    expect(shared.passed).toBe(true);
    const wrongPlace = await check(
      wired({ 'ipcs -m': listing('') }, { 'ipcs -m': listing(own) }),
      undefined,
    );
    expect(wrongPlace).toMatchObject({ passed: false, hint: 1 });
  });

  it('refuses when the peer is not in the owner namespace', async () => {
    const { ctx } = fakeCheckContext({
      containers: {
        owner: { namespaces: { ipc: 'ipc:[1]' } },
        peer: { namespaces: { ipc: 'ipc:[3]' } },
        isolated: { namespaces: { ipc: 'ipc:[2]' } },
      },
    });
    expect(await exercise(ipcLab, 'destroy-queue').check(ctx, undefined)).toMatchObject({
      passed: false,
      hint: 0,
    });
  });

  it('passes the destroy exercise only once the planted queue is gone', async () => {
    const check = exercise(ipcLab, 'destroy-queue').check;
    const key = formatKey(plantedQueueKey('feedface'));
    const queue = { exitCode: 0, stdout: `${key} 0 root 600 30 1\n` };
    expect((await check(wired({ 'ipcs -q': queue }, {}), undefined)).passed).toBe(false);
    expect(
      (await check(wired({ 'ipcs -q': { exitCode: 0, stdout: '' } }, {}), undefined)).passed,
    ).toBe(true);
  });
});

const MOUNTINFO = `160 150 0:52 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw
86 160 0:52 /sys /proc/sys ro,nosuid,nodev,noexec,relatime - proc proc rw
90 150 0:60 / /my\\040dir rw,relatime - tmpfs tmpfs rw,size=16384k
`;

describe('mnt lab', () => {
  it('parses mountinfo, with escaped paths', () => {
    const table = parseMountInfo(MOUNTINFO);
    expect(table).toHaveLength(3);
    expect(table[1]).toMatchObject({
      id: 86,
      parent: 160,
      mountPoint: '/proc/sys',
      fsType: 'proc',
    });
    expect(table[1]?.options).toContain('ro');
    expect(table[2]?.mountPoint).toBe('/my dir');
  });

  it('reads du totals and shmem', () => {
    expect(duKiB('8196\t/tmp\n0\t/dev/shm\n')).toBe(8196);
    expect(duKiB('')).toBe(0);
    expect(shmemBytes('cache 16908288\nshmem 8388608\nmapped_file 0\n')).toBe(8388608);
    expect(shmemBytes('cache 0\n')).toBeUndefined();
  });
});
