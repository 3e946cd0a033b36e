// Turns a vetted container profile into the exact container the server creates, and into
// the equivalent `docker run` command shown in the lesson. Both come from one plan so what
// the learner reads is what the server did.
import type Dockerode from 'dockerode';
import { sessionLabels } from '../docker/labels.ts';
import { SOCKET_ENGINE, type ContainerProfile, type LabNetwork } from './lab-definition.ts';

/** Applied to every learner container; a lab may ask for less, never for more. */
export const PLATFORM_LIMITS = {
  memoryMb: { default: 256, max: 1024 },
  pidsLimit: { default: 256, max: 1024 },
  cpus: { default: 1, max: 2 },
  /** Bounded json-file logs so a noisy container cannot fill the host's disk. */
  logMaxSize: '1m',
  logMaxFile: '1',
} as const;

/** How the lesson names the user-namespace engine's socket (see server/setup/userns-engine.sh). */
export const USERNS_ENGINE_SOCKET_SHOWN = 'unix:///run/nslab/userns-engine/docker.sock';

/** Where a session's throwaway engine (LabDefinition.sessionEngines) puts its socket, in the session directory. */
export function engineSocketPath(engine: string): string {
  return `${engine}/docker.sock`;
}

/** The socket `sessionEngineSocket` mounts: the engine named SOCKET_ENGINE's. */
export const SESSION_ENGINE_SOCKET = engineSocketPath(SOCKET_ENGINE);

/** Facts about the host that some profiles need, found once at start-up. */
export interface HostFacts {
  /** The block device holding Docker's data, e.g. /dev/vda: what --device-write-bps throttles. */
  dataDisk: string | undefined;
  /**
   * Capabilities the engine cannot grant on this host (missing from its bounding set), which
   * `--cap-add ALL` must then drop: on the test machines, SYS_RESOURCE.
   */
  unavailableCapabilities?: string[];
}

export interface ContainerPlan {
  name: string;
  /** The engine-wide container name, readable in `docker ps`: nslab-<instance>-<session>-<name>. */
  containerName: string;
  terminal: boolean;
  engine: 'default' | 'userns';
  image: string;
  command: string[];
  hostname: string | undefined;
  user: string | undefined;
  labels: Record<string, string>;
  memoryMb: number;
  pidsLimit: number;
  cpus: number;
  cpusetCpus: string | undefined;
  blkioWriteBps: { device: string; rate: number } | undefined;
  networkMode: string;
  /** The network alias peers use to reach this container (its lab name), on lab networks. */
  networkAlias: string | undefined;
  utsMode: 'host' | undefined;
  pidMode: string | undefined;
  ipcMode: string;
  cgroupnsMode: 'host' | 'private' | undefined;
  capAdd: string[];
  capDrop: string[];
  securityOpt: string[];
  /** The seccomp profile's file name for the lesson, and its JSON for the engine. */
  seccomp: { name: string; json: string } | undefined;
  sysctls: Record<string, string>;
  readonlyRootfs: boolean;
  tmpfs: Record<string, string>;
  volumes: { source: string; target: string; readOnly: boolean }[];
  /** Host paths inside the session's own directory, bind-mounted. */
  binds: { source: string; target: string; readOnly: boolean }[];
  /** The session engine's socket (host path) and where the container sees it. */
  engineSocket: { source: string; target: string } | undefined;
  /** Host devices passed in (`--device host:container`): only the session's own disk. */
  devices: { host: string; container: string }[];
}

export interface PlanInput {
  profile: ContainerProfile;
  image: string;
  instance: string;
  sessionId: string;
  sessionToken: string;
  labId: string;
  hostFacts: HostFacts;
  /** The session's own host directory (where LabDefinition.hostFiles were planted). */
  sessionDir: string;
  /**
   * The session's disk (LabDefinition.hostDisk): its loop device on the host. The session
   * manager makes it for every lab that declares one; without it no device is passed.
   */
  hostDisk?: string;
}

/** A path inside the session's directory; `..` and absolute paths are refused. */
export function sessionPath(sessionDir: string, relative: string): string {
  const parts = relative.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.some((part) => part === '..') || relative.startsWith('/')) {
    throw new Error(`session path must stay inside the session directory: ${relative}`);
  }
  return [sessionDir, ...parts].join('/');
}

/** Engine-wide name of a session resource (container, network, volume). */
export function resourceName(instance: string, sessionId: string, name: string): string {
  return `nslab-${instance}-${sessionId}-${name}`;
}

/** A lab's wish within the platform's bounds; NaN (which the engine would read as "no limit") gets the default. */
function bounded(
  wanted: number | undefined,
  limit: { default: number; max: number },
  min: number,
): number {
  if (wanted === undefined || Number.isNaN(wanted)) return limit.default;
  return Math.min(Math.max(wanted, min), limit.max);
}

export function planContainer(input: PlanInput): ContainerPlan {
  const { profile, instance, sessionId } = input;
  const named = (name: string): string => resourceName(instance, sessionId, name);
  const network = profile.networkMode ?? 'none';
  const pid = profile.pidMode;
  const ipc = profile.ipcMode ?? 'private';
  if (profile.blkioWriteBps !== undefined && input.hostFacts.dataDisk === undefined) {
    throw new Error(
      `container "${profile.name}" throttles the data disk, but the host's disk could not be found`,
    );
  }
  return {
    name: profile.name,
    containerName: named(profile.name),
    terminal: profile.terminal ?? true,
    engine: profile.engine ?? 'default',
    image: input.image,
    command: (profile.command ?? ['sleep', 'infinity']).map((arg) =>
      arg.replaceAll('{{token}}', input.sessionToken),
    ),
    hostname: profile.utsMode === 'host' || network === 'host' ? undefined : profile.hostname,
    user: profile.user,
    labels: sessionLabels({ instance, sessionId, labId: input.labId, container: profile.name }),
    memoryMb: bounded(profile.memoryMb, PLATFORM_LIMITS.memoryMb, 6),
    // Docker reads pids-limit <= 0 as "unlimited": never let that through.
    pidsLimit: Math.round(bounded(profile.pidsLimit, PLATFORM_LIMITS.pidsLimit, 8)),
    cpus: bounded(profile.cpus, PLATFORM_LIMITS.cpus, 0.01),
    cpusetCpus: profile.cpusetCpus,
    blkioWriteBps:
      profile.blkioWriteBps === undefined || input.hostFacts.dataDisk === undefined
        ? undefined
        : { device: input.hostFacts.dataDisk, rate: profile.blkioWriteBps },
    // No route off the machine unless a lab asks for one.
    networkMode: typeof network === 'string' ? network : named(network.network),
    networkAlias: typeof network === 'string' ? undefined : profile.name,
    utsMode: profile.utsMode,
    pidMode:
      pid === undefined
        ? undefined
        : typeof pid === 'string'
          ? pid
          : `container:${named(pid.container)}`,
    ipcMode: typeof ipc === 'string' ? ipc : `container:${named(ipc.container)}`,
    cgroupnsMode: profile.cgroupnsMode,
    capAdd: [...(profile.capAdd ?? [])],
    capDrop: [
      ...(profile.capDrop ?? []),
      // "All capabilities" means all that this engine can grant; the lesson shows the drop.
      ...((profile.capAdd ?? []).includes('ALL')
        ? (input.hostFacts.unavailableCapabilities ?? [])
        : []),
    ],
    securityOpt: [...(profile.securityOpt ?? [])],
    seccomp: profile.seccompProfile === undefined ? undefined : { ...profile.seccompProfile },
    sysctls: { ...(profile.sysctls ?? {}) },
    readonlyRootfs: profile.readonlyRootfs ?? false,
    tmpfs: { ...(profile.tmpfs ?? {}) },
    binds: (profile.sessionDirMounts ?? []).map((m) => ({
      source: sessionPath(input.sessionDir, m.source),
      target: m.target,
      readOnly: m.readOnly ?? false,
    })),
    volumes: (profile.volumes ?? []).map((v) => ({
      source: named(v.volume),
      target: v.target,
      readOnly: v.readOnly ?? false,
    })),
    engineSocket:
      profile.sessionEngineSocket === undefined
        ? undefined
        : {
            source: sessionPath(input.sessionDir, SESSION_ENGINE_SOCKET),
            target: profile.sessionEngineSocket,
          },
    devices:
      profile.hostDisk === undefined || input.hostDisk === undefined
        ? []
        : [{ host: input.hostDisk, container: profile.hostDisk }],
  };
}

const MIB = 1024 * 1024;

export function createOptions(plan: ContainerPlan): Dockerode.ContainerCreateOptions {
  const memory = plan.memoryMb * MIB;
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
      Memory: memory,
      // Equal to Memory: no swap, so a memory limit means what the lesson says.
      MemorySwap: memory,
      PidsLimit: plan.pidsLimit,
      NanoCpus: Math.round(plan.cpus * 1e9),
      ...(plan.cpusetCpus === undefined ? {} : { CpusetCpus: plan.cpusetCpus }),
      ...(plan.blkioWriteBps === undefined
        ? {}
        : {
            BlkioDeviceWriteBps: [
              { Path: plan.blkioWriteBps.device, Rate: plan.blkioWriteBps.rate },
            ],
          }),
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
      ...(plan.devices.length === 0
        ? {}
        : {
            Devices: plan.devices.map((d) => ({
              PathOnHost: d.host,
              PathInContainer: d.container,
              CgroupPermissions: 'rwm',
            })),
          }),
      Sysctls: plan.sysctls,
      ReadonlyRootfs: plan.readonlyRootfs,
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

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** The `docker run` command a person would type to get the same container. */
export function dockerRunCommand(plan: ContainerPlan): string {
  // The user lab's second engine is a different daemon: the command names its socket.
  const engine = plan.engine === 'userns' ? `docker -H ${USERNS_ENGINE_SOCKET_SHOWN} ` : 'docker ';
  const flags: string[] = [
    `${engine}run ${plan.terminal ? '-it' : '-d'} --rm --init --name ${plan.containerName}`,
  ];
  if (plan.hostname !== undefined) flags.push(`--hostname ${plan.hostname}`);
  if (plan.user !== undefined) flags.push(`--user ${plan.user}`);
  if (plan.utsMode !== undefined) flags.push(`--uts=${plan.utsMode}`);
  if (plan.pidMode !== undefined) flags.push(`--pid=${plan.pidMode}`);
  if (plan.ipcMode !== 'private') flags.push(`--ipc=${plan.ipcMode}`);
  if (plan.cgroupnsMode !== undefined) flags.push(`--cgroupns=${plan.cgroupnsMode}`);
  flags.push(`--network=${plan.networkMode}`);
  if (plan.networkAlias !== undefined) flags.push(`--network-alias ${plan.networkAlias}`);
  for (const cap of plan.capAdd) flags.push(`--cap-add ${cap}`);
  for (const cap of plan.capDrop) flags.push(`--cap-drop ${cap}`);
  for (const opt of plan.securityOpt) flags.push(`--security-opt ${opt}`);
  if (plan.seccomp !== undefined) flags.push(`--security-opt seccomp=${plan.seccomp.name}`);
  for (const [key, value] of Object.entries(plan.sysctls))
    flags.push(`--sysctl ${quoteArg(`${key}=${value}`)}`);
  if (plan.readonlyRootfs) flags.push('--read-only');
  for (const [target, options] of Object.entries(plan.tmpfs))
    flags.push(`--tmpfs ${target}${options === '' ? '' : `:${options}`}`);
  for (const v of [...plan.volumes, ...plan.binds]) {
    flags.push(`-v ${v.source}:${v.target}${v.readOnly ? ':ro' : ''}`);
  }
  if (plan.engineSocket !== undefined)
    flags.push(`-v ${plan.engineSocket.source}:${plan.engineSocket.target}:ro`);
  for (const d of plan.devices) flags.push(`--device ${d.host}:${d.container}`);
  flags.push(`--memory ${plan.memoryMb}m --memory-swap ${plan.memoryMb}m`);
  flags.push(`--pids-limit ${plan.pidsLimit}`);
  flags.push(`--cpus ${plan.cpus}`);
  if (plan.cpusetCpus !== undefined) flags.push(`--cpuset-cpus ${plan.cpusetCpus}`);
  if (plan.blkioWriteBps !== undefined)
    flags.push(`--device-write-bps ${plan.blkioWriteBps.device}:${plan.blkioWriteBps.rate}`);
  flags.push(
    `--log-opt max-size=${PLATFORM_LIMITS.logMaxSize} --log-opt max-file=${PLATFORM_LIMITS.logMaxFile}`,
  );
  for (const [key, value] of Object.entries(plan.labels)) flags.push(`--label ${key}=${value}`);
  const isDefaultCommand =
    plan.command.length === 2 && plan.command[0] === 'sleep' && plan.command[1] === 'infinity';
  flags.push(
    `${plan.image} ${plan.terminal && isDefaultCommand ? 'bash' : plan.command.map(quoteArg).join(' ')}`,
  );
  return flags.join(' \\\n    ');
}

export interface NetworkPlan {
  name: string;
  engineName: string;
  icc: boolean;
  labels: Record<string, string>;
}

export function planNetwork(
  network: LabNetwork,
  input: Pick<PlanInput, 'instance' | 'sessionId' | 'labId'>,
): NetworkPlan {
  return {
    name: network.name,
    engineName: resourceName(input.instance, input.sessionId, network.name),
    icc: network.icc ?? true,
    labels: sessionLabels({
      instance: input.instance,
      sessionId: input.sessionId,
      labId: input.labId,
      container: network.name,
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

export function dockerNetworkCommand(plan: NetworkPlan): string {
  return `docker network create --internal${plan.icc ? '' : ' -o com.docker.network.bridge.enable_icc=false'} ${plan.engineName}`;
}
