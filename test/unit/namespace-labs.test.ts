// The pid, ipc and mnt labs: the parsers their checks rely on, and the checks that read
// only namespaces and the host's view of them, against plain evidence.
import { describe, expect, it } from 'vitest';
import {
  formatKey,
  ipcLab,
  parseSysvIpc,
  plantedQueueKey,
  submittedKey,
} from '../../labs/ipc/ipc-lab.ts';
import { parseMountInfo, shmemBytes, usageKiB } from '../../labs/mnt/mnt-evidence.ts';
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

/** /proc/sysvipc/msg as the kernel prints it: keys are signed decimal ints. */
const SYSVIPC_MSG = `       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime
1910411236          0   600          30          1     0     0     0     0     0     0          0          0 1796445175
-1348507974          1   644           0          0     0     0     0     0     0     0          0          0 1796445175
`;
const SHM_HEADER =
  '       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap';
const shmLine = (key: number) =>
  `${String(key).padStart(10)}          0   644                  4096 26693     0      0     0     0     0     0          0          0 1796445175                     0                     0`;

describe('ipc lab', () => {
  it('parses /proc/sysvipc tables, negative keys included', () => {
    expect(parseSysvIpc(SYSVIPC_MSG)).toEqual([
      { key: '0x71de8fe4', id: 0 },
      { key: '0xaf9f66ba', id: 1 },
    ]);
    expect(parseSysvIpc(`${SHM_HEADER}\n`)).toEqual([]);
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

  const wired = (peer: FakeContainer['sysvIpc'], isolated: FakeContainer['sysvIpc']) =>
    fakeCheckContext({
      containers: {
        owner: { namespaces: { ipc: 'ipc:[1]' } },
        peer: { namespaces: { ipc: 'ipc:[1]' }, sysvIpc: peer },
        isolated: { namespaces: { ipc: 'ipc:[2]' }, sysvIpc: isolated },
      },
    });
  const table = (...keys: number[]) => [SHM_HEADER, ...keys.map(shmLine)].join('\n');

  it('passes a segment the peer sees and the isolated container does not', async () => {
    const check = exercise(ipcLab, 'shared-segment').check;
    const shared = await check(wired({ shm: table(0x05cb65e5) }, { shm: table() }).ctx, undefined);
    expect(shared.passed).toBe(true);
    const wrongPlace = await check(
      wired({ shm: table() }, { shm: table(0x13ab5129) }).ctx,
      undefined,
    );
    expect(wrongPlace).toMatchObject({ passed: false, hint: 1 });
  });

  it('reads IPC objects only through the host, never with a probe', async () => {
    const { ctx, reads } = wired({ shm: table(7) }, { shm: table() });
    await exercise(ipcLab, 'shared-segment').check(ctx, undefined);
    expect(reads).toContain('peer:sysvIpc:shm');
    expect(reads.filter((r) => r.includes(':probe:'))).toEqual([]);
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
    const key = plantedQueueKey('feedface');
    const withQueue = `${SHM_HEADER}\n${String(key)} 0 600 30 1 0 0 0 0 0 0 0 0 0\n`;
    expect((await check(wired({ msg: withQueue }, {}).ctx, undefined)).passed).toBe(false);
    expect((await check(wired({ msg: SHM_HEADER }, {}).ctx, undefined)).passed).toBe(true);
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

  it('adds up what files store and what they claim, and reads shmem', () => {
    const file = { type: 'file', mode: 0o644, uid: 0, gid: 0, dev: 1 } as const;
    const usage = usageKiB([
      { ...file, path: '/tmp/blob', size: 8 * 1024 * 1024, blocks: 16384 },
      { ...file, path: '/tmp/sparse', size: 8 * 1024 * 1024, blocks: 0 },
      { ...file, path: '/tmp/dir', type: 'dir', size: 4096, blocks: 8 },
    ]);
    expect(usage).toEqual({ stored: 8192, claimed: 16384 });
    expect(usageKiB([])).toEqual({ stored: 0, claimed: 0 });
    expect(shmemBytes('cache 16908288\nshmem 8388608\nmapped_file 0\n')).toBe(8388608);
    expect(shmemBytes('cache 0\n')).toBeUndefined();
  });
});
