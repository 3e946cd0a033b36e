import { describe, expect, it } from 'vitest';
import { containerCreateOptions } from '../../server/plans/create-options.ts';
import { dockerRunCommand } from '../../server/plans/docker-run-command.ts';
import { PLATFORM_LIMITS } from '../../server/catalogue/platform-limits.ts';
import { planContainer, type ContainerPlan } from '../../server/plans/container-plan.ts';
import type { ContainerProfile } from '../../server/catalogue/lab-definition.ts';
import { LABELS } from '../../server/docker/labels.ts';
import { utsLab } from '../../labs/uts/uts-lab.ts';

const MIB = 1024 * 1024;

function plan(profile: Partial<ContainerProfile> = {}): ContainerPlan {
  return planContainer({
    profile: { name: 'box', title: 'box', ...profile },
    image: 'nslab/lab:test',
    instance: 'ci',
    sessionId: 'AAAAAAAAAAAAAAAAAAAAAA',
    sessionToken: 'feedface',
    hostFacts: { dataDisk: undefined },
    sessionDir: '/var/lib/nslab/ci/sessions/test',
    labId: 'demo',
  });
}

/** Splits the displayed command back into its flags, one per continuation line. */
function flagLines(command: string): string[] {
  return command.split(' \\\n    ');
}

describe('planContainer', () => {
  it('applies the platform defaults when a lab asks for nothing', () => {
    const p = plan();
    expect(p.memoryMb).toBe(PLATFORM_LIMITS.memoryMb.default);
    expect(p.pidsLimit).toBe(PLATFORM_LIMITS.pidsLimit.default);
    expect(p.cpus).toBe(PLATFORM_LIMITS.cpus.default);
    expect(p.networkMode).toBe('none');
    expect(p.ipcMode).toBe('private');
    expect(p.readonlyRootfs).toBe(false);
    expect(p.capAdd).toEqual([]);
    expect(p.capDrop).toEqual([]);
    expect(p.securityOpt).toEqual([]);
    expect(p.utsMode).toBeUndefined();
    expect(p.pidMode).toBeUndefined();
  });

  it('keeps what a lab asks for below the ceilings', () => {
    const p = plan({ memoryMb: 128, pidsLimit: 64, cpus: 0.5, networkMode: 'bridge' });
    expect(p).toMatchObject({ memoryMb: 128, pidsLimit: 64, cpus: 0.5, networkMode: 'bridge' });
  });

  it('never exceeds the platform maximums, whatever the profile says', () => {
    const p = plan({ memoryMb: 1e6, pidsLimit: 1e9, cpus: 64 });
    expect(p.memoryMb).toBe(PLATFORM_LIMITS.memoryMb.max);
    expect(p.pidsLimit).toBe(PLATFORM_LIMITS.pidsLimit.max);
    expect(p.cpus).toBe(PLATFORM_LIMITS.cpus.max);
    const p2 = plan({
      memoryMb: Number.POSITIVE_INFINITY,
      pidsLimit: Number.POSITIVE_INFINITY,
      cpus: Number.POSITIVE_INFINITY,
    });
    expect(p2.memoryMb).toBe(PLATFORM_LIMITS.memoryMb.max);
    expect(p2.pidsLimit).toBe(PLATFORM_LIMITS.pidsLimit.max);
    expect(p2.cpus).toBe(PLATFORM_LIMITS.cpus.max);
  });

  it('names the container after instance, session and container, so docker ps shows whose it is', () => {
    expect(plan().containerName).toBe('nslab-ci-AAAAAAAAAAAAAAAAAAAAAA-box');
  });

  // KNOWN BUG (container-plan.ts planContainer): Math.min(NaN, max) is NaN, so a NaN limit is
  // not capped; JSON turns NaN into null, which Docker reads as "no limit". validateLab lets
  // NaN through too (see catalogue.test.ts). Change `it.fails` to `it` once fixed.
  it('never yields a NaN limit, which the engine would read as unlimited', () => {
    const p = plan({ memoryMb: Number.NaN, pidsLimit: Number.NaN, cpus: Number.NaN });
    expect(p.memoryMb).toBeLessThanOrEqual(PLATFORM_LIMITS.memoryMb.max);
    expect(p.pidsLimit).toBeLessThanOrEqual(PLATFORM_LIMITS.pidsLimit.max);
    expect(p.cpus).toBeLessThanOrEqual(PLATFORM_LIMITS.cpus.max);
  });

  it('keeps the hostname of a private UTS namespace', () => {
    expect(plan({ hostname: 'nslab-uts' }).hostname).toBe('nslab-uts');
  });

  it('drops the hostname when the container shares the host UTS namespace', () => {
    const p = plan({ hostname: 'nslab-uts', utsMode: 'host' });
    expect(p.hostname).toBeUndefined();
    expect(p.utsMode).toBe('host');
  });

  it('labels the container with instance, session, lab and container name', () => {
    expect(plan().labels).toEqual({
      [LABELS.instance]: 'ci',
      [LABELS.session]: 'AAAAAAAAAAAAAAAAAAAAAA',
      [LABELS.lab]: 'demo',
      [LABELS.container]: 'box',
    });
  });

  it('copies capability lists so later changes to the profile do not leak into the plan', () => {
    const capAdd: ContainerProfile['capAdd'] = ['NET_ADMIN'];
    const p = plan({ capAdd });
    capAdd.push('SYS_ADMIN');
    expect(p.capAdd).toEqual(['NET_ADMIN']);
  });
});

describe('containerCreateOptions', () => {
  it('carries the labels, limits, init and bounded logs', () => {
    const p = plan({ memoryMb: 128, pidsLimit: 100, cpus: 0.5, hostname: 'h1' });
    const options = containerCreateOptions(p);
    expect(options.Image).toBe('nslab/lab:test');
    expect(options.Labels).toEqual(p.labels);
    expect(options.Hostname).toBe('h1');
    const host = options.HostConfig;
    expect(host).toBeDefined();
    expect(host?.Memory).toBe(128 * MIB);
    expect(host?.MemorySwap).toBe(host?.Memory);
    expect(host?.PidsLimit).toBe(100);
    expect(host?.NanoCpus).toBe(500_000_000);
    expect(host?.Init).toBe(true);
    expect(host?.NetworkMode).toBe('none');
    expect(host?.LogConfig?.Type).toBe('json-file');
    expect(host?.LogConfig?.Config).toMatchObject({ 'max-size': PLATFORM_LIMITS.logMaxSize });
  });

  it('uses capped values in bytes even when the profile asks for too much', () => {
    const host = containerCreateOptions(
      plan({ memoryMb: 99_999, pidsLimit: 99_999, cpus: 99 }),
    ).HostConfig;
    expect(host?.Memory).toBe(PLATFORM_LIMITS.memoryMb.max * MIB);
    expect(host?.MemorySwap).toBe(PLATFORM_LIMITS.memoryMb.max * MIB);
    expect(host?.PidsLimit).toBe(PLATFORM_LIMITS.pidsLimit.max);
    expect(host?.NanoCpus).toBe(PLATFORM_LIMITS.cpus.max * 1e9);
  });

  it('never mounts host paths or grants privilege; only session volumes are mounted', () => {
    for (const profile of [
      {},
      { utsMode: 'host' as const, pidMode: 'host' as const, capAdd: ['SYS_ADMIN' as const] },
      { volumes: [{ volume: 'data', target: '/data', readOnly: true }] },
    ]) {
      const options = containerCreateOptions(plan(profile));
      const host = options.HostConfig ?? {};
      expect(Object.keys(host)).not.toContain('Binds');
      expect(Object.keys(host)).not.toContain('Privileged');
      expect(Object.keys(host)).not.toContain('Devices');
      expect(Object.keys(options)).not.toContain('Volumes');
      expect(JSON.stringify(options)).not.toMatch(/Privileged|Binds|docker\.sock/);
      for (const mount of host.Mounts ?? []) {
        expect(mount.Type).toBe('volume');
        expect(mount.Source).toBe('nslab-ci-AAAAAAAAAAAAAAAAAAAAAA-data');
        expect(mount.ReadOnly).toBe(true);
      }
    }
  });

  it('sets UTSMode and omits Hostname for a host-UTS container', () => {
    const options = containerCreateOptions(plan({ utsMode: 'host', hostname: 'ignored' }));
    expect(options.HostConfig?.UTSMode).toBe('host');
    expect(Object.keys(options)).not.toContain('Hostname');
  });

  it('omits UTSMode and PidMode for private namespaces', () => {
    const host = containerCreateOptions(plan()).HostConfig ?? {};
    expect(Object.keys(host)).not.toContain('UTSMode');
    expect(Object.keys(host)).not.toContain('PidMode');
  });
});

describe('dockerRunCommand', () => {
  it('shows every flag that containerCreateOptions sets, for a private namespace', () => {
    const p = plan({
      hostname: 'nslab-uts',
      memoryMb: 128,
      pidsLimit: 100,
      cpus: 0.5,
      capAdd: ['NET_ADMIN', 'SYS_TIME'],
      capDrop: ['ALL'],
      securityOpt: ['no-new-privileges'],
      readonlyRootfs: true,
      ipcMode: 'shareable',
      pidMode: 'host',
    });
    const host = containerCreateOptions(p).HostConfig;
    const lines = flagLines(dockerRunCommand(p));
    expect(lines[0]).toBe(`docker run -it --init --name ${p.containerName}`);
    expect(host?.AutoRemove).toBe(false);
    expect(lines).toContain('--hostname nslab-uts');
    expect(lines).toContain(`--network=${String(host?.NetworkMode)}`);
    expect(lines).toContain('--network=none');
    expect(lines).toContain(`--pid=${String(host?.PidMode)}`);
    expect(lines).toContain(`--ipc=${String(host?.IpcMode)}`);
    expect(lines).toContain(
      `--memory ${String((host?.Memory ?? 0) / MIB)}m --memory-swap ${String((host?.MemorySwap ?? 0) / MIB)}m`,
    );
    expect(lines).toContain(`--pids-limit ${String(host?.PidsLimit)}`);
    expect(lines).toContain(`--cpus ${String((host?.NanoCpus ?? 0) / 1e9)}`);
    expect(lines).toContain('--cap-add NET_ADMIN');
    expect(lines).toContain('--cap-add SYS_TIME');
    expect(lines).toContain('--cap-drop ALL');
    expect(lines).toContain('--security-opt no-new-privileges');
    expect(lines).toContain('--read-only');
    expect(lines).toContain(
      `--log-opt max-size=${PLATFORM_LIMITS.logMaxSize} --log-opt max-file=${PLATFORM_LIMITS.logMaxFile}`,
    );
    for (const [key, value] of Object.entries(containerCreateOptions(p).Labels ?? {})) {
      expect(lines).toContain(`--label ${key}=${value}`);
    }
    expect(lines.at(-1)).toBe('nslab/lab:test bash');
    expect(lines.some((line) => line.startsWith('--uts'))).toBe(false);
  });

  it('shows --uts=host and no --hostname when sharing the host UTS namespace', () => {
    const p = plan({ utsMode: 'host', hostname: 'nslab-uts' });
    const lines = flagLines(dockerRunCommand(p));
    expect(lines).toContain('--uts=host');
    expect(lines.some((line) => line.startsWith('--hostname'))).toBe(false);
  });

  it('shows the defaults the server applied when the lab asked for nothing', () => {
    const lines = flagLines(dockerRunCommand(plan()));
    expect(lines).toContain('--network=none');
    expect(lines).toContain(
      `--memory ${PLATFORM_LIMITS.memoryMb.default}m --memory-swap ${PLATFORM_LIMITS.memoryMb.default}m`,
    );
    expect(lines).toContain(`--pids-limit ${PLATFORM_LIMITS.pidsLimit.default}`);
    expect(lines).toContain(`--cpus ${PLATFORM_LIMITS.cpus.default}`);
    expect(
      lines.some(
        (line) =>
          line.startsWith('--ipc') || line.startsWith('--pid=') || line.startsWith('--cap-'),
      ),
    ).toBe(false);
    expect(lines).not.toContain('--read-only');
  });

  it('matches containerCreateOptions for each container of the UTS lab', () => {
    for (const profile of utsLab.containers) {
      const p = planContainer({
        profile,
        image: 'img',
        instance: 'ci',
        sessionId: 'S'.repeat(22),
        sessionToken: 'feedface',
        hostFacts: { dataDisk: undefined },
        sessionDir: '/var/lib/nslab/ci/sessions/test',
        labId: utsLab.id,
      });
      const options = containerCreateOptions(p);
      const host = options.HostConfig;
      const lines = flagLines(dockerRunCommand(p));
      if (options.Hostname === undefined) {
        expect(lines.some((line) => line.startsWith('--hostname'))).toBe(false);
      } else {
        expect(lines).toContain(`--hostname ${options.Hostname}`);
      }
      if (host?.UTSMode === undefined) {
        expect(lines.some((line) => line.startsWith('--uts'))).toBe(false);
      } else {
        expect(lines).toContain(`--uts=${host.UTSMode}`);
      }
      expect(lines).toContain(`--network=${String(host?.NetworkMode)}`);
      expect(lines).toContain(
        `--memory ${String((host?.Memory ?? 0) / MIB)}m --memory-swap ${String((host?.MemorySwap ?? 0) / MIB)}m`,
      );
      expect(lines).toContain(`--pids-limit ${String(host?.PidsLimit)}`);
      expect(lines).toContain(`--cpus ${String((host?.NanoCpus ?? 0) / 1e9)}`);
      expect(lines.filter((line) => line.startsWith('--label '))).toHaveLength(
        Object.keys(options.Labels ?? {}).length,
      );
    }
  });
});
