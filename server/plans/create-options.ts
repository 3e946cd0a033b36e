// A plan in the engine's own terms: the options the Docker API takes to create it.
import type Dockerode from 'dockerode';
import { PLATFORM_LIMITS } from '../catalogue/platform-limits.ts';
import type { ContainerPlan } from './container-plan.ts';
import type { NetworkPlan } from './network-plan.ts';

const MIB = 1024 * 1024;

type HostConfig = NonNullable<Dockerode.ContainerCreateOptions['HostConfig']>;

/** Limits: memory without swap, so a memory limit means what the lesson says. */
function limitOptions(plan: ContainerPlan): HostConfig {
  const memory = plan.memoryMb * MIB;
  return {
    Memory: memory,
    MemorySwap: memory,
    PidsLimit: plan.pidsLimit,
    NanoCpus: Math.round(plan.cpus * 1e9),
    ...(plan.cpusetCpus === undefined ? {} : { CpusetCpus: plan.cpusetCpus }),
    ...(plan.blkioWriteBps === undefined
      ? {}
      : {
          BlkioDeviceWriteBps: [{ Path: plan.blkioWriteBps.device, Rate: plan.blkioWriteBps.rate }],
        }),
  };
}

function isolationOptions(plan: ContainerPlan): HostConfig {
  return {
    NetworkMode: plan.networkMode,
    ...(plan.utsMode === undefined ? {} : { UTSMode: plan.utsMode }),
    ...(plan.pidMode === undefined ? {} : { PidMode: plan.pidMode }),
    IpcMode: plan.ipcMode,
    ...(plan.cgroupnsMode === undefined ? {} : { CgroupnsMode: plan.cgroupnsMode }),
    CapAdd: plan.capAdd,
    CapDrop: plan.capDrop,
    SecurityOpt: [
      ...plan.securityOpt,
      ...(plan.seccomp === undefined ? [] : [`seccomp=${plan.seccomp.json}`]),
    ],
    Sysctls: plan.sysctls,
    ReadonlyRootfs: plan.readonlyRootfs,
  };
}

function mountOptions(plan: ContainerPlan): HostConfig {
  return {
    ...(plan.devices.length === 0
      ? {}
      : {
          Devices: plan.devices.map((d) => ({
            PathOnHost: d.host,
            PathInContainer: d.container,
            CgroupPermissions: 'rwm',
          })),
        }),
    Tmpfs: plan.tmpfs,
    Mounts: [
      ...plan.volumes.map((v) => ({
        Type: 'volume' as const,
        Source: v.source,
        Target: v.target,
        ReadOnly: v.readOnly,
      })),
      ...plan.binds.map((b) => ({
        Type: 'bind' as const,
        Source: b.source,
        Target: b.target,
        ReadOnly: b.readOnly,
      })),
      // Read-only, as people often mount it: a socket still accepts connections on a
      // read-only mount, so :ro does not make the engine's API read-only.
      ...(plan.engineSocket === undefined
        ? []
        : [
            {
              Type: 'bind' as const,
              Source: plan.engineSocket.source,
              Target: plan.engineSocket.target,
              ReadOnly: true,
            },
          ]),
    ],
  };
}

export function containerCreateOptions(plan: ContainerPlan): Dockerode.ContainerCreateOptions {
  return {
    name: plan.containerName,
    Image: plan.image,
    ...(plan.hostname === undefined ? {} : { Hostname: plan.hostname }),
    ...(plan.user === undefined ? {} : { User: plan.user }),
    Labels: plan.labels,
    Cmd: plan.command,
    WorkingDir: '/root',
    Env: ['TERM=xterm-256color', 'LANG=C.UTF-8'],
    HostConfig: {
      // A real init reaps the learner's orphans, which `sleep` as PID 1 would not.
      Init: true,
      ...(plan.runtime === undefined ? {} : { Runtime: plan.runtime }),
      ...limitOptions(plan),
      ...isolationOptions(plan),
      ...mountOptions(plan),
      LogConfig: {
        Type: 'json-file',
        Config: { 'max-size': PLATFORM_LIMITS.logMaxSize, 'max-file': PLATFORM_LIMITS.logMaxFile },
      },
      // Removed by the session, not by the engine: a crashed container must stay inspectable
      // long enough for a check (OOMKilled) and is swept by label afterwards.
      AutoRemove: false,
    },
    ...(plan.networkAlias === undefined
      ? {}
      : {
          NetworkingConfig: {
            EndpointsConfig: { [plan.networkMode]: { Aliases: [plan.networkAlias] } },
          },
        }),
  };
}

export function networkCreateOptions(plan: NetworkPlan): Dockerode.NetworkCreateOptions {
  return {
    Name: plan.engineName,
    Driver: 'bridge',
    // Lab networks carry traffic between the session's own containers and nowhere else.
    Internal: true,
    CheckDuplicate: true,
    Labels: plan.labels,
    Options: plan.icc ? {} : { 'com.docker.network.bridge.enable_icc': 'false' },
  };
}
