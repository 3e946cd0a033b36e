// The `docker run` and `docker network create` commands a person would type to get the same
// resources as a plan: what the lesson shows.
import { PLATFORM_LIMITS } from '../catalogue/platform-limits.ts';
import type { ContainerPlan } from './container-plan.ts';
import type { NetworkPlan } from './network-plan.ts';

/** How the lesson names the user-namespace engine's socket (see server/setup/userns-engine.sh). */
export const USERNS_ENGINE_SOCKET_SHOWN = 'unix:///run/nslab/userns-engine/docker.sock';

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** The `docker run` command a person would type to get the same container. */
export function dockerRunCommand(plan: ContainerPlan): string {
  // The user lab's second engine is a different daemon: the command names its socket.
  const engine = plan.engine === 'userns' ? `docker -H ${USERNS_ENGINE_SOCKET_SHOWN} ` : 'docker ';
  // No --rm: the engine does not remove these containers, the session does (create-options.ts
  // says why), and the command shows what the engine was asked for.
  const flags: string[] = [
    `${engine}run ${plan.terminal ? '-it' : '-d'} --init --name ${plan.containerName}`,
  ];
  if (plan.runtime !== undefined) flags.push(`--runtime=${plan.runtime}`);
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

export function dockerNetworkCommand(plan: NetworkPlan): string {
  return `docker network create --internal${plan.icc ? '' : ' -o com.docker.network.bridge.enable_icc=false'} ${plan.engineName}`;
}
