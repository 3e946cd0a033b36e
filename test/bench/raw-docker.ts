// The lab's own containers, made by hand: planned by the lab's plan (plans/container-plan.ts),
// then created either with the very create options nslab sends (plans/create-options.ts) or
// with the `docker run -d` flags a person would type for the same plan. Labelled with the
// bench's instance, so the server's sweep and the final leftover check see them too.
import { spawn } from 'node:child_process';
import Dockerode from 'dockerode';
import { labs } from '../../labs/index.ts';
import type { LabDefinition } from '../../server/catalogue/lab-definition.ts';
import { PLATFORM_LIMITS } from '../../server/catalogue/platform-limits.ts';
import { planContainer, type ContainerPlan } from '../../server/plans/container-plan.ts';
import { containerCreateOptions } from '../../server/plans/create-options.ts';
import type { ServerDeps } from './server-child.ts';

export function findLab(id: string): LabDefinition {
  const lab = labs.find((l) => l.id === id);
  if (lab === undefined) throw new Error(`there is no lab "${id}"`);
  const needs = [
    lab.networks?.length ? 'networks' : '',
    lab.hostFiles?.length ? 'host files' : '',
    lab.volumes?.length ? 'volumes' : '',
    lab.sessionEngines?.length ? 'session engines' : '',
    lab.hostDisk ? 'a disk' : '',
    lab.setup ? 'a set-up step' : '',
    lab.containers.some((c) => typeof c.pidMode === 'object' || typeof c.ipcMode === 'object')
      ? 'containers joining a peer'
      : '',
  ].filter(Boolean);
  if (needs.length > 0)
    throw new Error(
      `the raw baseline makes containers only; lab "${id}" needs ${needs.join(', ')}`,
    );
  return lab;
}

/** The lab's containers exactly as nslab plans them, for a session id of the bench's own. */
export function planLab(
  lab: LabDefinition,
  deps: ServerDeps,
  instance: string,
  sessionId: string,
): ContainerPlan[] {
  return lab.containers.map((profile) =>
    planContainer({
      profile,
      image: deps.image,
      instance,
      sessionId,
      sessionToken: 'bench',
      labId: lab.id,
      hostFacts: deps.hostFacts,
      sessionDir: `/nonexistent/${sessionId}`,
    }),
  );
}

/** Create + start through the engine API with nslab's own create options. */
export async function apiRun(docker: Dockerode, plan: ContainerPlan): Promise<string> {
  const container = await docker.createContainer(containerCreateOptions(plan));
  await container.start();
  return container.id;
}

function isolationFlags(plan: ContainerPlan): string[] {
  return [
    ...(plan.hostname === undefined ? [] : ['--hostname', plan.hostname]),
    ...(plan.user === undefined ? [] : ['--user', plan.user]),
    ...(plan.utsMode === undefined ? [] : [`--uts=${plan.utsMode}`]),
    ...(plan.pidMode === undefined ? [] : [`--pid=${plan.pidMode}`]),
    `--ipc=${plan.ipcMode}`,
    ...(plan.cgroupnsMode === undefined ? [] : [`--cgroupns=${plan.cgroupnsMode}`]),
    `--network=${plan.networkMode}`,
    ...plan.capAdd.flatMap((c) => ['--cap-add', c]),
    ...plan.capDrop.flatMap((c) => ['--cap-drop', c]),
    ...plan.securityOpt.flatMap((o) => ['--security-opt', o]),
    ...Object.entries(plan.sysctls).flatMap(([k, v]) => ['--sysctl', `${k}=${v}`]),
    ...(plan.readonlyRootfs ? ['--read-only'] : []),
    ...Object.entries(plan.tmpfs).flatMap(([t, o]) => ['--tmpfs', o === '' ? t : `${t}:${o}`]),
  ];
}

/** `docker run -d` arguments for the plan: the lesson's command, detached, with the lab's limits. */
export function dockerRunArgs(plan: ContainerPlan): string[] {
  if (plan.seccomp !== undefined || plan.binds.length + plan.volumes.length > 0)
    throw new Error(`container "${plan.name}" needs files the raw baseline does not make`);
  return [
    'run',
    '-d',
    '--init',
    '--name',
    plan.containerName,
    ...isolationFlags(plan),
    `--memory=${plan.memoryMb}m`,
    `--memory-swap=${plan.memoryMb}m`,
    `--pids-limit=${plan.pidsLimit}`,
    `--cpus=${plan.cpus}`,
    ...(plan.cpusetCpus === undefined ? [] : [`--cpuset-cpus=${plan.cpusetCpus}`]),
    '--log-driver=json-file',
    `--log-opt=max-size=${PLATFORM_LIMITS.logMaxSize}`,
    `--log-opt=max-file=${PLATFORM_LIMITS.logMaxFile}`,
    ...Object.entries(plan.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
    '-w',
    '/root',
    '-e',
    'TERM=xterm-256color',
    '-e',
    'LANG=C.UTF-8',
    plan.image,
    ...plan.command,
  ];
}

/** Runs the docker CLI; resolves with its stdout. */
export function dockerCli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) =>
      code === 0
        ? resolve(out.trim())
        : reject(new Error(`docker ${args.slice(0, 2).join(' ')} exited ${code}: ${err.trim()}`)),
    );
  });
}

export async function removeAll(docker: Dockerode, ids: readonly string[]): Promise<void> {
  await Promise.all(
    ids.map((id) =>
      docker
        .getContainer(id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
}

/** HostConfig fields that make a lab container what it is. */
const COMPARED = [
  'Init',
  'Memory',
  'MemorySwap',
  'PidsLimit',
  'NanoCpus',
  'CpusetCpus',
  'NetworkMode',
  'UTSMode',
  'PidMode',
  'IpcMode',
  'CapAdd',
  'CapDrop',
  'SecurityOpt',
  'ReadonlyRootfs',
  'LogConfig',
] as const;

/** The fields where two containers' HostConfig differ (empty: the same container). */
export async function hostConfigDiff(docker: Dockerode, a: string, b: string): Promise<string[]> {
  const [x, y] = await Promise.all([a, b].map((id) => docker.getContainer(id).inspect()));
  const hx = (x?.HostConfig ?? {}) as Record<string, unknown>;
  const hy = (y?.HostConfig ?? {}) as Record<string, unknown>;
  // An empty list, an empty string and 0 are the engine's ways of saying "not set".
  const norm = (v: unknown): string => JSON.stringify(v ?? null).replace(/^(\[\]|""|0)$/, 'null');
  const differs: string[] = COMPARED.filter((k) => norm(hx[k]) !== norm(hy[k])).map(
    (k) => `${k}: ${norm(hx[k])} vs ${norm(hy[k])}`,
  );
  if (x?.Config.Hostname !== y?.Config.Hostname && hx.UTSMode !== 'host')
    differs.push(`Hostname: ${x?.Config.Hostname} vs ${y?.Config.Hostname}`);
  return differs;
}
