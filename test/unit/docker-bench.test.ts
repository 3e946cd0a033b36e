// docker-bench-security's section 5 as nslab computes it from `docker inspect`: the ids are
// docker-bench's current ones, each rule reads the field the script reads, and the checks the
// playground cannot influence are listed as not applicable, never scored.
import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { dockerBenchScore } from '../../server/playground/docker-bench.ts';
import { probeResult } from '../../server/playground/probes.ts';
import { START as ROOT } from '../../labs/playground/playground-lab.ts';

type HostConfig = Dockerode.ContainerInspectInfo['HostConfig'];

/** An inspect as the engine gives it for a container nslab created with Docker's defaults. */
function inspect(
  host: Partial<HostConfig> = {},
  mounts: { Source: string; Destination: string }[] = [],
): Dockerode.ContainerInspectInfo {
  return {
    Name: '/nslab-x-y-playground-2',
    Config: { User: '' },
    State: { Running: true },
    Mounts: mounts,
    HostConfig: {
      NetworkMode: 'none',
      IpcMode: 'private',
      PidMode: '',
      UTSMode: '',
      UsernsMode: '',
      CapAdd: null,
      CapDrop: null,
      SecurityOpt: null,
      ReadonlyRootfs: false,
      Privileged: false,
      Memory: 128 * 1048576,
      NanoCpus: 5e8,
      CpuShares: 0,
      PidsLimit: 128,
      CgroupParent: '',
      Devices: [],
      ...host,
    },
  } as unknown as Dockerode.ContainerInspectInfo;
}

function results(score: ReturnType<typeof dockerBenchScore>): Record<string, string> {
  return Object.fromEntries(score.findings.map((f) => [f.id, f.result]));
}

describe('dockerBenchScore', () => {
  it('lists docker-bench 5.1 to 5.32 in order, with its titles', () => {
    const score = dockerBenchScore(inspect());
    expect(score.findings.map((f) => f.id)).toEqual(
      Array.from({ length: 32 }, (_v, i) => `5.${i + 1}`),
    );
    const byId = new Map(score.findings.map((f) => [f.id, f.title]));
    expect(byId.get('5.13')).toMatch(/root filesystem is mounted as read only/);
    expect(byId.get('5.26')).toMatch(/acquiring additional privileges/);
    expect(byId.get('5.29')).toMatch(/PIDs cgroup limit/);
    expect(byId.get('5.32')).toMatch(/Docker socket/);
    for (const f of score.findings) expect(f.explanation.length).toBeGreaterThan(10);
  });

  it("warns on Docker's defaults for 5.13 and 5.26 only", () => {
    const score = dockerBenchScore(inspect());
    const warned = score.findings.filter((f) => f.result === 'warn').map((f) => f.id);
    expect(warned).toEqual(['5.13', '5.26']);
    expect(score.applicable).toBe(17);
    expect(score.passed).toBe(15);
    for (const id of ['5.1', '5.2', '5.7', '5.8', '5.15', '5.27', '5.30'])
      expect(results(score)[id]).toBe('na');
  });

  it('passes every applicable check for a hardened container', () => {
    const score = dockerBenchScore(
      inspect({
        ReadonlyRootfs: true,
        SecurityOpt: ['no-new-privileges'],
        CapDrop: ['ALL'],
        CapAdd: ['NET_BIND_SERVICE'],
      }),
    );
    expect(score.passed).toBe(score.applicable);
  });

  it('warns on each escape-prone setting where docker-bench reads it', () => {
    const open = results(
      dockerBenchScore(
        inspect({
          NetworkMode: 'host',
          PidMode: 'host',
          IpcMode: 'host',
          UTSMode: 'host',
          UsernsMode: 'host',
          CapAdd: ['SYS_ADMIN', 'NET_RAW'],
          SecurityOpt: ['seccomp=unconfined'],
          Privileged: true,
          Memory: 0,
          NanoCpus: 0,
          PidsLimit: -1,
          CgroupParent: '/elsewhere',
        }),
      ),
    );
    for (const id of [
      '5.4',
      '5.5',
      '5.10',
      '5.11',
      '5.12',
      '5.16',
      '5.17',
      '5.21',
      '5.22',
      '5.25',
      '5.29',
      '5.31',
    ])
      expect(open[id], id).toBe('warn');
  });

  it('passes 5.4 for default capabilities added back, warns beyond them', () => {
    expect(results(dockerBenchScore(inspect({ CapAdd: ['CHOWN', 'NET_RAW'] })))['5.4']).toBe(
      'pass',
    );
    expect(results(dockerBenchScore(inspect({ CapAdd: ['CAP_SYS_PTRACE'] })))['5.4']).toBe('warn');
  });

  it('passes a custom seccomp profile and says it replaces the default', () => {
    const score = dockerBenchScore(
      inspect({ SecurityOpt: ['seccomp={"defaultAction":"SCMP_ACT_ALLOW"}'] }),
    );
    const finding = score.findings.find((f) => f.id === '5.22');
    expect(finding?.result).toBe('pass');
    expect(finding?.explanation).toMatch(/replaces Docker/);
  });

  it('warns on a sensitive host directory and on the Docker socket', () => {
    const score = results(
      dockerBenchScore(
        inspect({}, [
          { Source: '/etc', Destination: '/host-etc' },
          { Source: '/var/run/docker.sock', Destination: '/var/run/docker.sock' },
        ]),
      ),
    );
    expect(score['5.6']).toBe('warn');
    expect(score['5.32']).toBe('warn');
  });
});

const EPERM = {
  exitCode: 1,
  stdout: '',
  stderr: 'chown: changing ownership of /tmp/x: Operation not permitted',
};

describe('probeResult', () => {
  it('names the setting that stopped a probe, from the profile and the error', () => {
    expect(probeResult('chown', { ...ROOT, capDrop: ['ALL'] }, EPERM).stoppedBy).toMatch(
      /CAP_CHOWN dropped/,
    );
    expect(probeResult('chown', { ...ROOT, user: 'nobody' }, EPERM).stoppedBy).toMatch(
      /user nobody/,
    );
    expect(
      probeResult(
        'write-root',
        { ...ROOT, readOnly: true },
        {
          exitCode: 1,
          stdout: '',
          stderr: 'touch: cannot touch /probe-write: Read-only file system',
        },
      ).stoppedBy,
    ).toMatch(/read-only/);
    expect(
      probeResult(
        'raw-socket',
        { ...ROOT, capDrop: ['NET_RAW'] },
        { exitCode: 1, stdout: '', stderr: 'PermissionError: [Errno 1] Operation not permitted' },
      ).stoppedBy,
    ).toMatch(/NET_RAW dropped/);
  });

  it('says so when the profile does not explain the error', () => {
    expect(probeResult('chown', ROOT, EPERM).stoppedBy).toMatch(/cannot tell/);
    expect(
      probeResult('chown', ROOT, { exitCode: 1, stdout: '', stderr: 'No space left on device' })
        .stoppedBy,
    ).toMatch(/cannot tell/);
  });

  it('reports a probe that worked as not stopped', () => {
    const ok = probeResult(
      'host-processes',
      { ...ROOT, share: ['pid'] },
      { exitCode: 0, stdout: '212 processes visible\ndockerd\n', stderr: '' },
    );
    expect(ok.outcome).toBe('succeeded');
    const own = probeResult('host-processes', ROOT, {
      exitCode: 0,
      stdout: '3 processes visible\nno dockerd or containerd among them\n',
      stderr: '',
    });
    expect(own.outcome).toBe('blocked');
    expect(own.stoppedBy).toMatch(/private PID namespace/);
  });
});
