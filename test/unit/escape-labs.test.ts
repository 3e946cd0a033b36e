// The escape labs' own checks, and the parsers behind the named-cgroup clean-up.
import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { escapeDockerSockLab } from '../../labs/escape-docker-sock/escape-docker-sock-lab.ts';
import {
  escapeDockerTcpLab,
  HARDENED_STEP,
  READ_FLAG_STEP,
  refusedHandshakes,
} from '../../labs/escape-docker-tcp/escape-docker-tcp-lab.ts';
import {
  extraRootAccounts,
  isSetuidRoot,
  PLANTED_PASSWD,
  rootHash,
} from '../../labs/escape-host-mount/escape-host-mount-lab.ts';
import { vaultName } from '../../labs/escape-host-pid/escape-host-pid-lab.ts';
import { escapeReleaseAgentLab } from '../../labs/escape-release-agent/escape-release-agent-lab.ts';
import { engineCgroupName } from '../../server/docker/engine-cgroups.ts';
import { parseHierarchyNames, parseNamedCgroupMounts } from '../../server/host/named-cgroups.ts';
import { formatVerdict } from '../../server/verify/verify-lab.ts';
import type { HostFileInfo } from '../../server/host/session-files.ts';
import type { CheckContext } from '../../server/checks/check-context.ts';
import { fakeCheckContext, TEST_FACTS } from './support/fake-check-context.ts';
import { exercise } from './support/escape-fixtures.ts';

describe('named cgroup hierarchies', () => {
  const mountinfo = [
    '22 27 0:21 / /proc rw,relatime - proc proc rw',
    '40 31 0:35 / /sys/fs/cgroup/systemd ro,nosuid - cgroup cgroup rw,xattr,name=systemd',
    '41 31 0:36 / /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory',
    '900 800 0:99 / /tmp/cg rw,relatime - cgroup nslab rw,name=nslab-1a2b',
  ].join('\n');

  it('finds named cgroup v1 mounts and where they are', () => {
    expect(parseNamedCgroupMounts(mountinfo)).toEqual([
      { name: 'systemd', mountPoint: '/sys/fs/cgroup/systemd' },
      { name: 'nslab-1a2b', mountPoint: '/tmp/cg' },
    ]);
    expect(parseNamedCgroupMounts('garbage\n\n')).toEqual([]);
  });

  it('lists the named hierarchies the kernel has, from /proc/<pid>/cgroup', () => {
    const text = '10:name=nslab-1a2b:/\n9:name=systemd:/\n8:pids:/\n0::/\n';
    expect(parseHierarchyNames(text)).toEqual(['nslab-1a2b', 'systemd']);
  });
});

describe('escape-host-mount lab', () => {
  const file = (over: Partial<HostFileInfo>): HostFileInfo => ({
    name: 'rootbash',
    uid: 0,
    gid: 0,
    mode: 0o4755,
    isDirectory: false,
    mtimeMs: 0,
    ...over,
  });

  it('finds second root accounts, not root itself or other users', () => {
    expect(extraRootAccounts(PLANTED_PASSWD)).toEqual([]);
    expect(extraRootAccounts(`${PLANTED_PASSWD}toor:x:0:0::/root:/bin/bash\n`)).toEqual(['toor']);
    expect(extraRootAccounts(`${PLANTED_PASSWD}bob:x:1001:0::/home/bob:/bin/sh\n`)).toEqual([]);
  });

  it("reads root's hash from a shadow file", () => {
    expect(rootHash('root:abc:1:0:::::\nalice:!:1::::::\n')).toBe('abc');
    expect(rootHash('alice:!:1::::::\n')).toBeUndefined();
  });

  it('counts only setuid files owned by root', () => {
    expect(isSetuidRoot(file({}))).toBe(true);
    expect(isSetuidRoot(file({ uid: 1000 }))).toBe(false);
    expect(isSetuidRoot(file({ mode: 0o755 }))).toBe(false);
    expect(isSetuidRoot(file({ isDirectory: true }))).toBe(false);
  });
});

describe('escape-host-pid lab', () => {
  it('names the vault per session without revealing the token', () => {
    const a = vaultName('0123456789abcdef');
    expect(a).toMatch(/^nslab-vault-[0-9a-f]{8}$/);
    expect(vaultName('0123456789abcdef')).toBe(a);
    expect(vaultName('fedcba9876543210')).not.toBe(a);
    expect(a).not.toContain('01234567');
  });
});

describe('escape-release-agent lab', () => {
  it('is reported as skipped, not failed, by verify where it cannot run', () => {
    const line = formatVerdict({
      labId: 'escape-release-agent',
      ok: true,
      ms: 0,
      exercises: 2,
      problems: [],
      skipped: 'no cgroup v1 here',
    });
    expect(line).toMatch(/^SKIP escape-release-agent +no cgroup v1 here$/);
  });

  it('is unavailable unless the preflight mounted a cgroup v1 hierarchy', () => {
    expect(
      escapeReleaseAgentLab.unavailable?.({ ...TEST_FACTS, cgroupV1Mount: true }),
    ).toBeUndefined();
    expect(
      escapeReleaseAgentLab.unavailable?.({ ...TEST_FACTS, cgroupV1Mount: false })?.en,
    ).toMatch(/cgroup v1/);
    expect(escapeReleaseAgentLab.unavailable?.(TEST_FACTS)?.zh).toMatch(/cgroup v1/);
  });
});

describe('escape-docker-sock lab', () => {
  const started = (StartedAt: string): Dockerode.ContainerInspectInfo =>
    ({
      Name: '/mine',
      Config: { Image: 'nslab/lab:x', Cmd: ['echo', 'hi'] },
      State: { StartedAt },
    }) as unknown as Dockerode.ContainerInspectInfo;

  it('passes only when the session engine really started a container', async () => {
    const check = exercise(escapeDockerSockLab, 'ask-the-engine').check;
    const { ctx } = fakeCheckContext({});
    const withEngine = (list: Dockerode.ContainerInspectInfo[]): CheckContext => ({
      ...ctx,
      sessionEngine: (name) => {
        expect(name).toBe('engine');
        return {
          containers: () => Promise.resolve(list),
          info: () => Promise.reject(new Error('not asked')),
          log: () => Promise.reject(new Error('not asked')),
        };
      },
    });
    expect((await check(withEngine([]), undefined)).passed).toBe(false);
    expect(await check(withEngine([started('0001-01-01T00:00:00Z')]), undefined)).toMatchObject({
      passed: false,
      hint: 1,
    });
    expect((await check(withEngine([started('2026-01-01T00:00:00Z')]), undefined)).passed).toBe(
      true,
    );
  });

  it('compares the flag with the session token', async () => {
    const check = exercise(escapeDockerSockLab, 'read-the-flag').check;
    const { ctx } = fakeCheckContext({});
    expect((await check(ctx, 'feedface')).passed).toBe(true);
    expect((await check(ctx, '0')).passed).toBe(false);
  });

  it("names one cgroup per instance, session and engine; a session's names share a prefix", () => {
    const session = 'S'.repeat(22);
    expect(engineCgroupName('ci', session, 'engine')).toBe(`nslab-esc.ci.${session}.engine`);
    expect(engineCgroupName('ci', session, 'engine-tls')).toMatch(
      new RegExp(`^${engineCgroupName('ci', session).replaceAll('.', '[.]')}`),
    );
    expect(engineCgroupName('ci', '')).not.toBe(engineCgroupName('ci-2', ''));
  });
});

describe('escape-docker-tcp lab', () => {
  const LOG = [
    'time="2026-11-22T16:51:13Z" level=info msg="API listen on [::]:2376"',
    "2026-11-22 16:51:19.076771 I | http: TLS handshake error from 172.30.0.2:50308: tls: client didn't provide a certificate",
    '2026-11-22 16:51:19.1 I | http: TLS handshake error from 172.30.0.22:50310: EOF',
    "2026-11-22 16:51:19.2 I | http: TLS handshake error from 10.0.0.9:1: tls: client didn't provide a certificate",
  ].join('\n');

  it('counts only refused handshakes from the attacker, for want of a certificate', () => {
    expect(refusedHandshakes(LOG, ['172.30.0.2'])).toHaveLength(1);
    // 172.30.0.2 must not match 172.30.0.22, and a handshake that failed otherwise does not count.
    expect(refusedHandshakes(LOG, ['172.30.0.22'])).toEqual([]);
    expect(refusedHandshakes(LOG, [])).toEqual([]);
  });

  const engineCtx = (opts: { log?: string; containers?: number; id?: string }): CheckContext => {
    const { ctx } = fakeCheckContext({});
    return {
      ...ctx,
      container: (name) => ({
        ...ctx.container(name),
        inspect: () =>
          Promise.resolve({
            NetworkSettings: { Networks: { 'lab-net': { IPAddress: '172.30.0.2' } } },
          } as unknown as Dockerode.ContainerInspectInfo),
      }),
      sessionEngine: () => ({
        containers: () =>
          Promise.resolve(
            Array.from(
              { length: opts.containers ?? 0 },
              () => ({}) as Dockerode.ContainerInspectInfo,
            ),
          ),
        info: () =>
          Promise.resolve({ ID: opts.id ?? 'engine-id', DockerRootDir: '/x/engine-tcp/data' }),
        log: () => Promise.resolve(opts.log ?? ''),
      }),
    };
  };

  it('asks the open engine for its ID', async () => {
    const check = exercise(escapeDockerTcpLab, 'find-the-api').check;
    expect((await check(engineCtx({ id: 'ABCD:EF' }), ' ABCD:EF ')).passed).toBe(true);
    expect((await check(engineCtx({ id: 'ABCD:EF' }), 'ABCD')).passed).toBe(false);
    expect((await check(engineCtx({ id: '' }), '')).passed).toBe(false);
  });

  it("needs a refused handshake in the hardened engine's log and no container on it", async () => {
    const check = exercise(escapeDockerTcpLab, 'tls-refuses').check;
    expect((await check(engineCtx({ log: LOG }), undefined)).passed).toBe(true);
    expect((await check(engineCtx({ log: '' }), undefined)).passed).toBe(false);
    expect((await check(engineCtx({ log: LOG, containers: 1 }), undefined)).passed).toBe(false);
  });

  it('aims the same attack at both engines, and puts the TLS exercise before the escape', () => {
    expect(
      HARDENED_STEP.replaceAll('curl -s -k', 'curl -s').replaceAll(
        'https://daemon-tls:2376',
        'http://daemon:2375',
      ),
    ).toBe(READ_FLAG_STEP);
    expect(escapeDockerTcpLab.exercises.map((e) => e.id)).toEqual([
      'find-the-api',
      'tls-refuses',
      'read-the-flag',
    ]);
  });
});
