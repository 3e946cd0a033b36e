// The container's confinement: seccomp and no-new-privileges as the kernel applies them to its
// init process (/proc/<pid>/status), its LSM label and id maps, and what the engine set up
// (HostConfig: privileged, read-only root, masked and read-only paths, mounts and devices).
import { lstat } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import type { HostExposure, SecurityView } from '../protocol/inspector-types.ts';
import type { ProcessFacts } from './process-view.ts';

const SECCOMP_MODES = { '0': 'disabled', '1': 'strict', '2': 'filter' } as const;

function seccompMode(field: string | undefined): SecurityView['seccomp'] {
  return field !== undefined && field in SECCOMP_MODES
    ? SECCOMP_MODES[field as keyof typeof SECCOMP_MODES]
    : 'unknown';
}

/** A host path a bind reaches, by what it gives away. */
function bindKind(source: string): HostExposure['kind'] {
  const under = (dir: string): boolean => source === dir || source.startsWith(`${dir}/`);
  if (source === '/') return 'host-root';
  if (under('/proc')) return 'host-proc';
  if (under('/sys')) return 'host-sys';
  if (under('/dev')) return 'host-dev';
  return 'bind';
}

/** A Unix socket bound in is an engine's API here: the session engines' sockets and docker.sock. */
async function isSocket(source: string): Promise<boolean> {
  if (/docker\.sock$/.test(source)) return true;
  return lstat(source).then(
    (st) => st.isSocket(),
    () => false,
  );
}

interface DeviceMapping {
  PathOnHost?: string;
  PathInContainer?: string;
  CgroupPermissions?: string;
}

/** Bind mounts and devices from the engine's inspect, classified. */
export async function hostExposures(info: Dockerode.ContainerInspectInfo): Promise<HostExposure[]> {
  const binds = await Promise.all(
    info.Mounts.filter((m) => m.Type === 'bind').map(async (m): Promise<HostExposure> => ({
      kind: (await isSocket(m.Source)) ? 'docker-socket' : bindKind(m.Source),
      source: m.Source,
      destination: m.Destination,
      readOnly: !m.RW,
    })),
  );
  const devices = ((info.HostConfig.Devices ?? []) as DeviceMapping[]).map((d): HostExposure => ({
    kind: 'device',
    source: d.PathOnHost ?? '',
    destination: d.PathInContainer ?? '',
    readOnly: !(d.CgroupPermissions ?? 'rwm').includes('w'),
  }));
  return [...binds, ...devices];
}

export function securityView(
  info: Dockerode.ContainerInspectInfo,
  facts: ProcessFacts,
  exposures: HostExposure[],
): SecurityView {
  const filters = Number(facts.status.Seccomp_filters);
  return {
    seccomp: seccompMode(facts.status.Seccomp),
    seccompFilters:
      facts.status.Seccomp_filters === undefined || !Number.isFinite(filters) ? null : filters,
    noNewPrivs: facts.status.NoNewPrivs === '1',
    lsmLabel: facts.lsmLabel,
    uidMap: facts.uidMap,
    gidMap: facts.gidMap,
    privileged: info.HostConfig.Privileged === true,
    readonlyRootfs: info.HostConfig.ReadonlyRootfs === true,
    maskedPaths: info.HostConfig.MaskedPaths ?? [],
    readonlyPaths: info.HostConfig.ReadonlyPaths ?? [],
    exposures,
  };
}
