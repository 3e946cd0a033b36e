// The escape labs and the framework pieces they added: vetting of dangerous settings, the
// session engine's socket and --cgroupns in both the engine's options and the command the
// lesson shows, the parsers behind the named-cgroup clean-up, and the labs' own checks.
import path from 'node:path';
import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { labs } from '../../labs/index.ts';
import { escapeDockerSockLab } from '../../labs/escape-docker-sock/escape-docker-sock-lab.ts';
import {
  escapeDockerTcpLab,
  HARDENED_STEP,
  READ_FLAG_STEP,
  refusedHandshakes,
} from '../../labs/escape-docker-tcp/escape-docker-tcp-lab.ts';
import {
  escapeHostMountLab,
  extraRootAccounts,
  isSetuidRoot,
  PLANTED_PASSWD,
  rootHash,
} from '../../labs/escape-host-mount/escape-host-mount-lab.ts';
import { escapeHostPidLab, vaultName } from '../../labs/escape-host-pid/escape-host-pid-lab.ts';
import { escapeReleaseAgentLab } from '../../labs/escape-release-agent/escape-release-agent-lab.ts';
import {
  diskNumbers,
  escapePrivilegedDeviceLab,
  mountsOf,
} from '../../labs/escape-privileged-device/escape-privileged-device-lab.ts';
import { unavailableCapabilities } from '../../server/host/host-facts.ts';
import { engineCgroupName } from '../../server/docker/engine-cgroups.ts';
import { parseHierarchyNames, parseNamedCgroupMounts } from '../../server/host/named-cgroups.ts';
import { containerCreateOptions } from '../../server/plans/create-options.ts';
import { dockerRunCommand } from '../../server/plans/docker-run-command.ts';
import { planContainer, type ContainerPlan } from '../../server/plans/container-plan.ts';
import { SESSION_ENGINE_SOCKET } from '../../server/plans/resource-names.ts';
import type {
  ContainerProfile,
  Exercise,
  LabDefinition,
} from '../../server/catalogue/lab-definition.ts';
import { validateLab } from '../../server/catalogue/validate-lab.ts';
import { formatVerdict } from '../../server/verify/verify-lab.ts';
import type { HostFileInfo } from '../../server/host/session-files.ts';
import type { CheckContext } from '../../server/checks/check-context.ts';
import { fakeCheckContext, TEST_FACTS } from './support/fake-check-context.ts';

const CONTENT_DIR = path.resolve(import.meta.dirname, '../../content');
const SESSION_DIR = '/var/lib/nslab/ci/sessions/SSSSSSSSSSSSSSSSSSSSSS';
const ESCAPE_LABS = [
  escapePrivilegedDeviceLab,
  escapeDockerSockLab,
  escapeHostMountLab,
  escapeReleaseAgentLab,
  escapeHostPidLab,
];

function plan(
  profile: ContainerProfile,
  labId = 'demo',
  unavailable: string[] = [],
): ContainerPlan {
  return planContainer({
    profile,
    image: 'nslab/lab:test',
    instance: 'ci',
    sessionId: 'S'.repeat(22),
    sessionToken: 'feedface',
    hostFacts: { dataDisk: undefined, unavailableCapabilities: unavailable },
    sessionDir: SESSION_DIR,
    labId,
    hostDisk: '/dev/loop7',
  });
}

function flagLines(command: string): string[] {
  return command.split(' \\\n    ');
}

function exercise(lab: LabDefinition, id: string): Exercise {
  const found = lab.exercises.find((e) => e.id === id);
  if (found === undefined) throw new Error(`no exercise ${id}`);
  return found;
}

function lab(overrides: Partial<LabDefinition>): LabDefinition {
  return {
    id: 'test-lab',
    title: 'Test',
    topic: 'escapes',
    summary: 'A lab for vetting.',
    minutes: 5,
    lesson: 'uts.md',
    containers: [{ name: 'box', title: 'box' }],
    exercises: [
      {
        id: 'ex',
        title: 'Exercise',
        goal: 'Do it.',
        hints: ['think'],
        check: () => Promise.resolve({ passed: true, reason: 'ok' }),
        solution: [{ terminal: 'box', input: 'true' }],
      },
    ],
    ...overrides,
  };
}

describe('escape labs in the catalogue', () => {
  it('are listed, vetted and marked as escape labs', () => {
    for (const escapeLab of ESCAPE_LABS) {
      expect(labs).toContain(escapeLab);
      expect(escapeLab.escape).toBe(true);
      expect(validateLab(escapeLab, CONTENT_DIR)).toEqual([]);
    }
  });

  it('give no escape container a network', () => {
    for (const escapeLab of ESCAPE_LABS) {
      for (const c of escapeLab.containers) expect(c.networkMode ?? 'none').toBe('none');
    }
  });

  it('try every exercise against a hardened container (a cheat)', () => {
    for (const escapeLab of ESCAPE_LABS) {
      for (const ex of escapeLab.exercises) expect(ex.cheat?.length ?? 0).toBeGreaterThan(0);
    }
  });
});

describe('container plan for escape settings', () => {
  it('mounts the session engine socket read-only, and shows it', () => {
    const p = plan({
      name: 'with-socket',
      title: 't',
      sessionEngineSocket: '/var/run/docker.sock',
    });
    const source = `${SESSION_DIR}/${SESSION_ENGINE_SOCKET}`;
    expect(p.engineSocket).toEqual({ source, target: '/var/run/docker.sock' });
    expect(containerCreateOptions(p).HostConfig?.Mounts).toContainEqual({
      Type: 'bind',
      Source: source,
      Target: '/var/run/docker.sock',
      ReadOnly: true,
    });
    expect(flagLines(dockerRunCommand(p))).toContain(`-v ${source}:/var/run/docker.sock:ro`);
  });

  it('never mounts an engine socket unless the profile asks', () => {
    const options = containerCreateOptions(plan({ name: 'box', title: 'box' }));
    expect(JSON.stringify(options)).not.toMatch(/docker\.sock/);
  });

  it('sets --cgroupns in both the options and the command, and omits it by default', () => {
    const p = plan({ name: 'box', title: 'box', cgroupnsMode: 'host' });
    expect((containerCreateOptions(p).HostConfig as Record<string, unknown>).CgroupnsMode).toBe(
      'host',
    );
    expect(flagLines(dockerRunCommand(p))).toContain('--cgroupns=host');
    const plain = plan({ name: 'box', title: 'box' });
    expect(Object.keys(containerCreateOptions(plain).HostConfig ?? {})).not.toContain(
      'CgroupnsMode',
    );
    expect(dockerRunCommand(plain)).not.toContain('--cgroupns');
  });

  it('shows every mount, capability, security option and namespace of every escape container', () => {
    for (const escapeLab of ESCAPE_LABS) {
      for (const profile of escapeLab.containers) {
        const p = plan(profile, escapeLab.id);
        const host = containerCreateOptions(p).HostConfig ?? {};
        const lines = flagLines(dockerRunCommand(p));
        for (const d of (host.Devices ?? []) as { PathOnHost: string; PathInContainer: string }[])
          expect(lines).toContain(`--device ${d.PathOnHost}:${d.PathInContainer}`);
        for (const m of host.Mounts ?? []) {
          expect(lines).toContain(`-v ${m.Source}:${m.Target}${m.ReadOnly === true ? ':ro' : ''}`);
          expect(m.Source.startsWith(SESSION_DIR)).toBe(true);
        }
        for (const cap of (host.CapDrop ?? []) as string[])
          expect(lines).toContain(`--cap-drop ${cap}`);
        for (const cap of (host.CapAdd ?? []) as string[])
          expect(lines).toContain(`--cap-add ${cap}`);
        for (const opt of (host.SecurityOpt ?? []) as string[])
          expect(lines).toContain(`--security-opt ${opt}`);
        if (host.PidMode !== undefined) expect(lines).toContain(`--pid=${host.PidMode}`);
        const cgroupns = (host as Record<string, unknown>).CgroupnsMode;
        if (typeof cgroupns === 'string') expect(lines).toContain(`--cgroupns=${cgroupns}`);
        expect(host.NetworkMode).toBe('none');
        expect(JSON.stringify(host)).not.toMatch(/Privileged|"Binds"/);
      }
    }
  });
});

describe('devices and all capabilities', () => {
  it('passes only the session disk, and shows it', () => {
    const p = plan({ name: 'box', title: 'box', hostDisk: '/dev/hostdisk' });
    expect(containerCreateOptions(p).HostConfig?.Devices).toEqual([
      { PathOnHost: '/dev/loop7', PathInContainer: '/dev/hostdisk', CgroupPermissions: 'rwm' },
    ]);
    expect(flagLines(dockerRunCommand(p))).toContain('--device /dev/loop7:/dev/hostdisk');
    const none = containerCreateOptions(plan({ name: 'b', title: 'b' })).HostConfig ?? {};
    expect(Object.keys(none)).not.toContain('Devices');
  });

  it('passes no device when the session has no disk', () => {
    const p = planContainer({
      profile: { name: 'box', title: 'box', hostDisk: '/dev/hostdisk' },
      image: 'img',
      instance: 'ci',
      sessionId: 'S'.repeat(22),
      sessionToken: 'feedface',
      hostFacts: { dataDisk: undefined },
      sessionDir: SESSION_DIR,
      labId: 'demo',
    });
    expect(p.devices).toEqual([]);
    expect(dockerRunCommand(p)).not.toContain('--device');
  });

  it('drops what the engine cannot grant from --cap-add ALL, in options and command', () => {
    const p = plan({ name: 'box', title: 'box', capAdd: ['ALL'] }, 'demo', ['SYS_RESOURCE']);
    expect(containerCreateOptions(p).HostConfig?.CapDrop).toEqual(['SYS_RESOURCE']);
    expect(flagLines(dockerRunCommand(p))).toContain('--cap-drop SYS_RESOURCE');
    // Only ALL implies the drop.
    const some = plan({ name: 'b', title: 'b', capAdd: ['NET_ADMIN'] }, 'demo', ['SYS_RESOURCE']);
    expect(some.capDrop).toEqual([]);
  });

  it('finds capabilities missing from the bounding set', () => {
    expect(unavailableCapabilities('CapBnd:\t000001fffeffffff\n', 40)).toEqual(['SYS_RESOURCE']);
    expect(unavailableCapabilities('CapBnd:\t000001ffffffffff\n', 40)).toEqual([]);
    expect(unavailableCapabilities('CapBnd:\t000000ffffffffff\n', 39)).toEqual([]);
    expect(unavailableCapabilities('no such field', 40)).toEqual([]);
  });

  it('finds mounts of the passed disk by its device number', () => {
    const info = {
      HostConfig: { Devices: [{ PathOnHost: '/dev/loop3', PathInContainer: '/dev/hostdisk' }] },
    } as unknown as Dockerode.ContainerInspectInfo;
    expect(diskNumbers(info)).toBe('7:3');
    const mountinfo = [
      '600 500 0:61 / / rw - overlay overlay rw',
      '610 600 254:0 /var/lib/docker/x/hostname /etc/hostname rw - ext4 /dev/vda rw',
      '700 600 7:3 / /mnt/host rw - ext4 /dev/hostdisk rw',
      '701 600 0:99 / /mnt/fake rw - tmpfs hostdisk rw',
    ].join('\n');
    expect(mountsOf(mountinfo, '7:3')).toEqual(['/mnt/host']);
    expect(mountsOf(mountinfo, '7:4')).toEqual([]);
  });
});

describe('vetting of dangerous settings', () => {
  const problems = (overrides: Partial<LabDefinition>): string[] =>
    validateLab(lab(overrides), CONTENT_DIR);

  it.each(['SYS_ADMIN', 'SYS_PTRACE', 'ALL'] as const)('refuses %s outside escape labs', (cap) => {
    const found = problems({ containers: [{ name: 'box', title: 'box', capAdd: [cap] }] });
    expect(found).toContainEqual(expect.stringContaining('only an escape lab may'));
    expect(
      problems({ escape: true, containers: [{ name: 'box', title: 'box', capAdd: [cap] }] }),
    ).toEqual([]);
  });

  it('refuses --pid=host or apparmor=unconfined with added capabilities outside escape labs', () => {
    expect(
      problems({ containers: [{ name: 'box', title: 'box', pidMode: 'host', capAdd: ['CHOWN'] }] }),
    ).toContainEqual(expect.stringContaining('--pid=host'));
    expect(
      problems({
        containers: [
          { name: 'box', title: 'box', securityOpt: ['apparmor=unconfined'], capAdd: ['CHOWN'] },
        ],
      }),
    ).toContainEqual(expect.stringContaining('apparmor=unconfined'));
    // Either alone is what the pid and lsm labs use.
    expect(problems({ containers: [{ name: 'box', title: 'box', pidMode: 'host' }] })).toEqual([]);
  });

  it('refuses an engine socket or a session engine outside escape labs', () => {
    expect(problems({ sessionEngines: [{ name: 'engine' }] })).toContainEqual(
      expect.stringContaining('session engine'),
    );
    expect(
      problems({
        containers: [{ name: 'box', title: 'box', sessionEngineSocket: '/var/run/docker.sock' }],
      }),
    ).toContainEqual(expect.stringContaining('engine socket'));
  });

  it('requires the session engine for its socket, and an absolute target', () => {
    expect(
      problems({
        escape: true,
        containers: [{ name: 'box', title: 'box', sessionEngineSocket: '/var/run/docker.sock' }],
      }),
    ).toContainEqual(expect.stringContaining('starts no engine named "engine"'));
    expect(
      problems({
        escape: true,
        sessionEngines: [{ name: 'engine' }],
        containers: [{ name: 'box', title: 'box', sessionEngineSocket: 'docker.sock' }],
      }),
    ).toContainEqual(expect.stringContaining('absolute path'));
  });

  it('passes a disk only in escape labs that make one', () => {
    const box = { name: 'box', title: 'box', hostDisk: '/dev/hostdisk' };
    const disk = { sizeMb: 16, files: [] };
    expect(problems({ containers: [box] })).toContainEqual(expect.stringContaining('disk device'));
    expect(problems({ hostDisk: disk })).toContainEqual(expect.stringContaining('make a disk'));
    expect(problems({ escape: true, containers: [box] })).toContainEqual(
      expect.stringContaining('makes none'),
    );
    expect(problems({ escape: true, hostDisk: disk, containers: [box] })).toEqual([]);
    expect(
      problems({ escape: true, hostDisk: disk, containers: [{ ...box, hostDisk: '/dev/../x' }] }),
    ).toContainEqual(expect.stringContaining('under /dev'));
    expect(problems({ escape: true, hostDisk: { sizeMb: 4096, files: [] } })).toContainEqual(
      expect.stringContaining('8..64 MiB'),
    );
  });

  it("keeps escape containers off every network but the lab's internal ones, on the main engine", () => {
    for (const networkMode of ['bridge', 'host', { network: 'not-the-labs' }] as const) {
      expect(
        problems({ escape: true, containers: [{ name: 'box', title: 'box', networkMode }] }),
      ).toContainEqual(expect.stringContaining("only the lab's internal networks"));
    }
    expect(
      problems({
        escape: true,
        networks: [{ name: 'lab-net' }],
        containers: [{ name: 'box', title: 'box', networkMode: { network: 'lab-net' } }],
      }),
    ).toEqual([]);
    expect(
      problems({ escape: true, containers: [{ name: 'box', title: 'box', engine: 'userns' }] }),
    ).toContainEqual(expect.stringContaining('main engine'));
  });

  it('vets session engines: unique names, TCP only from a terminal-less helper on a lab network', () => {
    const helper = {
      name: 'daemon',
      title: 'daemon',
      terminal: false,
      networkMode: { network: 'lab-net' },
    } as const;
    const attacker = { name: 'box', title: 'box', networkMode: { network: 'lab-net' } };
    const base = {
      escape: true,
      networks: [{ name: 'lab-net' }],
      containers: [attacker, helper],
    };
    const listen = { container: 'daemon', port: 2375, tls: false };
    expect(problems({ ...base, sessionEngines: [{ name: 'tcp', listen }] })).toEqual([]);
    expect(
      problems({ ...base, sessionEngines: [{ name: 'tcp' }, { name: 'tcp' }] }),
    ).toContainEqual(expect.stringContaining('repeated'));
    expect(
      problems({
        ...base,
        sessionEngines: [{ name: 'tcp', listen: { ...listen, container: 'x' } }],
      }),
    ).toContainEqual(expect.stringContaining('does not have'));
    expect(
      problems({ ...base, sessionEngines: [{ name: 'tcp', listen: { ...listen, port: 80 } }] }),
    ).toContainEqual(expect.stringContaining('1024..65535'));
    expect(
      problems({
        ...base,
        containers: [attacker, { ...helper, terminal: true }],
        sessionEngines: [{ name: 'tcp', listen }],
      }),
    ).toContainEqual(expect.stringContaining('terminal-less'));
  });
});

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
    expect(escapeReleaseAgentLab.unavailable?.({ ...TEST_FACTS, cgroupV1Mount: false })).toMatch(
      /cgroup v1/,
    );
    expect(escapeReleaseAgentLab.unavailable?.(TEST_FACTS)).toMatch(/cgroup v1/);
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
