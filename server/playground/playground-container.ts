// A vetted playground profile in the lab's own terms: a ContainerProfile like any lab's, so
// it goes through the same plan (container-plan.ts) as every other container and gets
// nslab's labels, limits, log bounds and no network unless the profile shares the host's.
// Also the other way round: the profile a lab's own starting container amounts to.
import type { ContainerProfile, SeccompProfile } from '../catalogue/lab-definition.ts';
import {
  SECCOMP_DEFAULT,
  SECCOMP_UNCONFINED,
  type AddableCapability,
  type DroppableCapability,
  type PlaygroundRequest,
} from '../protocol/playground-types.ts';

/** Where a read-only root still lets programs write: small, and nothing there runs. */
export const PLAYGROUND_TMPFS = { '/tmp': 'rw,nosuid,nodev,noexec,size=16m' } as const;
/** nobody:nogroup in the lab image. */
export const NOBODY = '65534:65534';

export function playgroundContainer(
  base: ContainerProfile,
  profile: PlaygroundRequest,
  seccompProfiles: readonly SeccompProfile[],
): ContainerProfile {
  const shares = (ns: PlaygroundRequest['share'][number]): boolean => profile.share.includes(ns);
  const seccomp = seccompProfiles.find((p) => p.name === profile.seccomp);
  return {
    name: base.name,
    title: base.title,
    ...(base.hostname === undefined ? {} : { hostname: base.hostname }),
    ...(profile.user === 'nobody' ? { user: NOBODY } : {}),
    ...(shares('uts') ? { utsMode: 'host' as const } : {}),
    ...(shares('pid') ? { pidMode: 'host' as const } : {}),
    ipcMode: shares('ipc') ? 'host' : 'private',
    networkMode: shares('net') ? 'host' : 'none',
    capDrop: [...profile.capDrop],
    capAdd: [...profile.capAdd],
    securityOpt: [
      ...(profile.noNewPrivileges ? ['no-new-privileges' as const] : []),
      ...(profile.seccomp === SECCOMP_UNCONFINED ? ['seccomp=unconfined' as const] : []),
    ],
    ...(seccomp === undefined ? {} : { seccompProfile: { ...seccomp } }),
    readonlyRootfs: profile.readOnly,
    ...(profile.readOnly ? { tmpfs: { ...PLAYGROUND_TMPFS } } : {}),
    memoryMb: profile.memoryMb,
    pidsLimit: profile.pidsLimit,
    cpus: profile.cpus,
  };
}

/** The request a lab's starting container amounts to: what the page's form first shows. */
export function profileOf(base: ContainerProfile): PlaygroundRequest {
  const opts = base.securityOpt ?? [];
  return {
    share: [
      ...(base.pidMode === 'host' ? (['pid'] as const) : []),
      ...(base.networkMode === 'host' ? (['net'] as const) : []),
      ...(base.ipcMode === 'host' ? (['ipc'] as const) : []),
      ...(base.utsMode === 'host' ? (['uts'] as const) : []),
    ],
    capDrop: (base.capDrop ?? []) as DroppableCapability[],
    capAdd: (base.capAdd ?? []) as AddableCapability[],
    readOnly: base.readonlyRootfs ?? false,
    noNewPrivileges: opts.includes('no-new-privileges'),
    seccomp: opts.includes('seccomp=unconfined')
      ? SECCOMP_UNCONFINED
      : (base.seccompProfile?.name ?? SECCOMP_DEFAULT),
    user: base.user === NOBODY ? 'nobody' : 'root',
    memoryMb: base.memoryMb ?? 0,
    pidsLimit: base.pidsLimit ?? 0,
    cpus: base.cpus ?? 0,
  };
}
