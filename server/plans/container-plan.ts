// Turns a vetted container profile into the exact container the server creates. The engine
// options (create-options.ts) and the `docker run` text the lesson shows (docker-run-command.ts)
// both come from this one plan, so what the learner reads is what the server did.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { sessionLabels } from '../docker/labels.ts';
import type { ContainerProfile } from '../catalogue/lab-definition.ts';
import { PLATFORM_LIMITS } from '../catalogue/platform-limits.ts';
import { sessionCpuset, sessionMemoryMb, sessionWriteBps } from '../catalogue/session-choices.ts';
import type { HostFacts } from '../host/host-facts.ts';
import { sessionPath } from '../host/session-path.ts';
import { resourceName, SESSION_ENGINE_SOCKET } from './resource-names.ts';

export interface ContainerPlan {
  name: string;
  /** The engine-wide container name, readable in `docker ps`: nslab-<instance>-<session>-<name>. */
  containerName: string;
  terminal: boolean;
  engine: 'default' | 'userns';
  /** `--runtime`; undefined is the engine's default (runc). */
  runtime: 'runsc' | undefined;
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

/** A lab's wish within the platform's bounds; NaN (which the engine would read as "no limit") gets the default. */
function bounded(
  wanted: number | undefined,
  limit: { default: number; max: number },
  min: number,
): number {
  if (wanted === undefined || Number.isNaN(wanted)) return limit.default;
  return Math.min(Math.max(wanted, min), limit.max);
}

type Named = (name: string) => string;

/** The host's online CPUs as the kernel lists them ("0-3"), read once; what a per-session CPU is chosen from. */
let onlineCpus: string | undefined;
function hostOnlineCpus(): string {
  if (onlineCpus === undefined) {
    try {
      onlineCpus = readFileSync('/sys/devices/system/cpu/online', 'utf8').trim();
    } catch {
      onlineCpus = `0-${Math.max(os.availableParallelism() - 1, 0)}`;
    }
  }
  return onlineCpus;
}

/**
 * Memory, pids and CPU within the platform's bounds; block I/O on the host's data disk. A
 * limit the lab lets each session have its own of (ContainerProfile.perSession) is the one
 * this session's token chooses, so the lesson's `docker run` shows the session's own value.
 */
function planLimits(
  input: PlanInput,
): Pick<ContainerPlan, 'memoryMb' | 'pidsLimit' | 'cpus' | 'cpusetCpus' | 'blkioWriteBps'> {
  const { profile, hostFacts: facts, sessionToken: token } = input;
  const writeBps = sessionWriteBps(profile, token);
  if (writeBps !== undefined && facts.dataDisk === undefined) {
    throw new Error(
      `container "${profile.name}" throttles the data disk, but the host's disk could not be found`,
    );
  }
  return {
    memoryMb: bounded(sessionMemoryMb(profile, token), PLATFORM_LIMITS.memoryMb, 6),
    // Docker reads pids-limit <= 0 as "unlimited": never let that through.
    pidsLimit: Math.round(bounded(profile.pidsLimit, PLATFORM_LIMITS.pidsLimit, 8)),
    cpus: bounded(profile.cpus, PLATFORM_LIMITS.cpus, 0.01),
    cpusetCpus: sessionCpuset(profile, token, hostOnlineCpus()),
    blkioWriteBps:
      writeBps === undefined || facts.dataDisk === undefined
        ? undefined
        : { device: facts.dataDisk, rate: writeBps },
  };
}

/** Which namespaces the container shares, and with whom: the host, a peer, or none. */
function planNamespaces(
  profile: ContainerProfile,
  named: Named,
): Pick<
  ContainerPlan,
  'hostname' | 'networkMode' | 'networkAlias' | 'utsMode' | 'pidMode' | 'ipcMode' | 'cgroupnsMode'
> {
  const network = profile.networkMode ?? 'none';
  const pid = profile.pidMode;
  const ipc = profile.ipcMode ?? 'private';
  return {
    hostname: profile.utsMode === 'host' || network === 'host' ? undefined : profile.hostname,
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
  };
}

/** Capabilities, security options, seccomp, sysctls and a read-only root. */
function planPrivileges(
  profile: ContainerProfile,
  facts: HostFacts,
): Pick<
  ContainerPlan,
  'capAdd' | 'capDrop' | 'securityOpt' | 'seccomp' | 'sysctls' | 'readonlyRootfs' | 'tmpfs'
> {
  return {
    capAdd: [...(profile.capAdd ?? [])],
    capDrop: [
      ...(profile.capDrop ?? []),
      // "All capabilities" means all that this engine can grant; the lesson shows the drop.
      ...((profile.capAdd ?? []).includes('ALL') ? (facts.unavailableCapabilities ?? []) : []),
    ],
    securityOpt: [...(profile.securityOpt ?? [])],
    seccomp: profile.seccompProfile === undefined ? undefined : { ...profile.seccompProfile },
    sysctls: { ...(profile.sysctls ?? {}) },
    readonlyRootfs: profile.readonlyRootfs ?? false,
    tmpfs: { ...(profile.tmpfs ?? {}) },
  };
}

/** What the container sees of the host: only the session's own directory, volumes, disk and engine. */
function planMounts(
  input: PlanInput,
  named: Named,
): Pick<ContainerPlan, 'binds' | 'volumes' | 'engineSocket' | 'devices'> {
  const { profile } = input;
  return {
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

export function planContainer(input: PlanInput): ContainerPlan {
  const { profile, instance, sessionId } = input;
  const named: Named = (name) => resourceName(instance, sessionId, name);
  return {
    name: profile.name,
    containerName: named(profile.name),
    terminal: profile.terminal ?? true,
    engine: profile.engine ?? 'default',
    runtime: profile.runtime,
    image: input.image,
    command: (profile.command ?? ['sleep', 'infinity']).map((arg) =>
      arg.replaceAll('{{token}}', input.sessionToken),
    ),
    user: profile.user,
    labels: sessionLabels({ instance, sessionId, labId: input.labId, container: profile.name }),
    ...planLimits(input),
    ...planNamespaces(profile, named),
    ...planPrivileges(profile, input.hostFacts),
    ...planMounts(input, named),
  };
}
