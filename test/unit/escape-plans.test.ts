// The escape labs in the catalogue and the container plans they make: the session engine's
// socket and --cgroupns in both the engine's options and the command the lesson shows,
// devices and all capabilities.
import path from 'node:path';
import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { labs } from '../../labs/index.ts';
import { escapeDockerSockLab } from '../../labs/escape-docker-sock/escape-docker-sock-lab.ts';
import { escapeHostMountLab } from '../../labs/escape-host-mount/escape-host-mount-lab.ts';
import { escapeHostPidLab } from '../../labs/escape-host-pid/escape-host-pid-lab.ts';
import { escapeReleaseAgentLab } from '../../labs/escape-release-agent/escape-release-agent-lab.ts';
import {
  diskNumbers,
  escapePrivilegedDeviceLab,
  mountsOf,
} from '../../labs/escape-privileged-device/escape-privileged-device-lab.ts';
import { unavailableCapabilities } from '../../server/host/host-facts.ts';
import { containerCreateOptions } from '../../server/plans/create-options.ts';
import { dockerRunCommand } from '../../server/plans/docker-run-command.ts';
import { planContainer, type ContainerPlan } from '../../server/plans/container-plan.ts';
import { SESSION_ENGINE_SOCKET } from '../../server/plans/resource-names.ts';
import type { ContainerProfile } from '../../server/catalogue/lab-definition.ts';
import { validateLab } from '../../server/catalogue/validate-lab.ts';

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
