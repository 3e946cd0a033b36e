// Turns a vetted container profile into the exact container the server creates, and into
// the equivalent `docker run` command shown in the lesson. Both come from one plan so what
// the learner reads is what the server did.
import type Dockerode from 'dockerode';
import type { ContainerProfile } from './lab-definition.ts';
import { sessionLabels } from '../docker/labels.ts';

/** Applied to every learner container; a lab may ask for less, never for more. */
export const PLATFORM_LIMITS = {
  memoryMb: { default: 256, max: 1024 },
  pidsLimit: { default: 256, max: 1024 },
  cpus: { default: 1, max: 2 },
  /** Bounded json-file logs so a noisy container cannot fill the host's disk. */
  logMaxSize: '1m',
  logMaxFile: '1',
} as const;

export interface ContainerPlan {
  name: string;
  /** The engine-wide container name, readable in `docker ps`: nslab-<instance>-<session>-<name>. */
  containerName: string;
  image: string;
  hostname: string | undefined;
  labels: Record<string, string>;
  memoryMb: number;
  pidsLimit: number;
  cpus: number;
  networkMode: 'none' | 'bridge';
  utsMode: 'host' | undefined;
  pidMode: 'host' | undefined;
  ipcMode: 'private' | 'shareable';
  capAdd: string[];
  capDrop: string[];
  securityOpt: string[];
  readonlyRootfs: boolean;
}

export interface PlanInput {
  profile: ContainerProfile;
  image: string;
  instance: string;
  sessionId: string;
  labId: string;
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

export function planContainer({
  profile,
  image,
  instance,
  sessionId,
  labId,
}: PlanInput): ContainerPlan {
  return {
    name: profile.name,
    containerName: `nslab-${instance}-${sessionId}-${profile.name}`,
    image,
    hostname: profile.utsMode === 'host' ? undefined : profile.hostname,
    labels: sessionLabels({ instance, sessionId, labId, container: profile.name }),
    memoryMb: bounded(profile.memoryMb, PLATFORM_LIMITS.memoryMb, 6),
    // Docker reads pids-limit <= 0 as "unlimited": never let that through.
    pidsLimit: Math.round(bounded(profile.pidsLimit, PLATFORM_LIMITS.pidsLimit, 8)),
    cpus: bounded(profile.cpus, PLATFORM_LIMITS.cpus, 0.01),
    // No route off the machine unless a lab asks for the bridge.
    networkMode: profile.networkMode ?? 'none',
    utsMode: profile.utsMode,
    pidMode: profile.pidMode,
    ipcMode: profile.ipcMode ?? 'private',
    capAdd: [...(profile.capAdd ?? [])],
    capDrop: [...(profile.capDrop ?? [])],
    securityOpt: [...(profile.securityOpt ?? [])],
    readonlyRootfs: profile.readonlyRootfs ?? false,
  };
}

const MIB = 1024 * 1024;

export function createOptions(plan: ContainerPlan): Dockerode.ContainerCreateOptions {
  const memory = plan.memoryMb * MIB;
  return {
    Image: plan.image,
    ...(plan.hostname === undefined ? {} : { Hostname: plan.hostname }),
    Labels: plan.labels,
    Cmd: ['sleep', 'infinity'],
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
      NetworkMode: plan.networkMode,
      ...(plan.utsMode === undefined ? {} : { UTSMode: plan.utsMode }),
      ...(plan.pidMode === undefined ? {} : { PidMode: plan.pidMode }),
      IpcMode: plan.ipcMode,
      CapAdd: plan.capAdd,
      CapDrop: plan.capDrop,
      SecurityOpt: plan.securityOpt,
      ReadonlyRootfs: plan.readonlyRootfs,
      LogConfig: {
        Type: 'json-file',
        Config: { 'max-size': PLATFORM_LIMITS.logMaxSize, 'max-file': PLATFORM_LIMITS.logMaxFile },
      },
      // Removed by the session, not by the engine: a crashed container must stay inspectable
      // long enough for a check (OOMKilled) and is swept by label afterwards.
      AutoRemove: false,
    },
  };
}

/** The `docker run` command a person would type to get the same container. */
export function dockerRunCommand(plan: ContainerPlan): string {
  const flags: string[] = [`docker run -it --rm --init --name ${plan.containerName}`];
  if (plan.hostname !== undefined) flags.push(`--hostname ${plan.hostname}`);
  if (plan.utsMode !== undefined) flags.push(`--uts=${plan.utsMode}`);
  if (plan.pidMode !== undefined) flags.push(`--pid=${plan.pidMode}`);
  if (plan.ipcMode !== 'private') flags.push(`--ipc=${plan.ipcMode}`);
  flags.push(`--network=${plan.networkMode}`);
  for (const cap of plan.capAdd) flags.push(`--cap-add ${cap}`);
  for (const cap of plan.capDrop) flags.push(`--cap-drop ${cap}`);
  for (const opt of plan.securityOpt) flags.push(`--security-opt ${opt}`);
  if (plan.readonlyRootfs) flags.push('--read-only');
  flags.push(`--memory ${plan.memoryMb}m --memory-swap ${plan.memoryMb}m`);
  flags.push(`--pids-limit ${plan.pidsLimit}`);
  flags.push(`--cpus ${plan.cpus}`);
  flags.push(
    `--log-opt max-size=${PLATFORM_LIMITS.logMaxSize} --log-opt max-file=${PLATFORM_LIMITS.logMaxFile}`,
  );
  for (const [key, value] of Object.entries(plan.labels)) flags.push(`--label ${key}=${value}`);
  flags.push(`${plan.image} bash`);
  return flags.join(' \\\n    ');
}
