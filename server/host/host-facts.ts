// What this host's engine and kernel offer, found once at start-up: labs that depend on a
// feature (AppArmor, cgroup v2, the data disk for block I/O limits) adapt or say so,
// instead of pretending.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { EngineInfo } from '../docker/engine-info.ts';
import type { LessonCondition } from '../lessons/render-lesson.ts';
import { CAPABILITY_BITS } from './capabilities.ts';
import { canMountNamedCgroupV1 } from './named-cgroups.ts';

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

export interface EngineFacts extends HostFacts {
  cgroupVersion: 1 | 2;
  apparmor: boolean;
  seccomp: boolean;
  dockerRootDir: string;
  serverVersion: string;
  /**
   * Preflight: the kernel lets root create a cgroup v1 hierarchy (what the release_agent
   * escape needs). Undefined where it was not measured.
   */
  cgroupV1Mount?: boolean;
  /**
   * gVisor's runsc as the engine registered it (`docker info` Runtimes): the program and the
   * arguments the engine adds. Undefined where no runtime named runsc is registered.
   */
  runsc?: { path: string; args: string[] };
}

/** The whole disk (not the partition) under `dir`, as a /dev path, or undefined if unknown. */
export function diskUnder(dir: string): string | undefined {
  try {
    const dev = statSync(dir).dev;
    // Linux packs major/minor into st_dev as (major << 8) | minor for small numbers.
    const major = Math.floor(dev / 256) & 0xfff;
    const minor = (dev & 0xff) | ((Math.floor(dev / 4096) & 0xfff00) >>> 0);
    const sysPath = `/sys/dev/block/${major}:${minor}`;
    if (!existsSync(sysPath)) return undefined;
    let device = realpathSync(sysPath);
    // A partition's sysfs directory sits inside its disk's; throttling applies to disks.
    if (existsSync(path.join(device, 'partition'))) device = path.dirname(device);
    const name = path.basename(device);
    return existsSync(`/dev/${name}`) ? `/dev/${name}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Preflight for `--cap-add ALL` and `--privileged`: the capabilities this kernel has that are
 * missing from this process's bounding set, which the engine (started the same way) cannot
 * grant either. Empty on a normal host or VM; SYS_RESOURCE on the test machines.
 */
export function unavailableCapabilities(status: string, lastCap: number): string[] {
  const hex = /^CapBnd:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  if (hex === undefined) return [];
  const bounding = BigInt(`0x${hex}`);
  return CAPABILITY_BITS.filter(
    (_name, bit) => bit <= lastCap && (bounding & (1n << BigInt(bit))) === 0n,
  );
}

function readUnavailableCapabilities(): string[] {
  try {
    const lastCap = Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8').trim());
    return unavailableCapabilities(readFileSync('/proc/self/status', 'utf8'), lastCap);
  } catch {
    return [];
  }
}

/** The engine's facts from what it says about itself (docker/engine-info.ts), and the host's. */
export function readEngineFacts(info: EngineInfo): EngineFacts {
  const security = info.SecurityOptions ?? [];
  const dockerRootDir = info.DockerRootDir ?? '/var/lib/docker';
  return {
    cgroupVersion: info.CgroupVersion === '2' ? 2 : 1,
    apparmor: security.some((opt) => opt.includes('name=apparmor')),
    seccomp: security.some((opt) => opt.includes('name=seccomp')),
    dockerRootDir,
    serverVersion: info.ServerVersion ?? 'unknown',
    dataDisk: diskUnder(dockerRootDir),
    cgroupV1Mount: canMountNamedCgroupV1(),
    unavailableCapabilities: readUnavailableCapabilities(),
    ...runscRuntime(info),
  };
}

/** The engine's runsc runtime, if it has one (a path is what `--runtime=runsc` runs). */
function runscRuntime(info: EngineInfo): Pick<EngineFacts, 'runsc'> {
  const runsc = info.Runtimes?.['runsc'];
  if (runsc === undefined) return {};
  return { runsc: { path: runsc.path ?? 'runsc', args: [...(runsc.runtimeArgs ?? [])] } };
}

/** Whether an upstream engine version has the CVE-2024-29018 fix (26.0.0, 25.0.5, 23.0.11). */
export function hasInternalDnsFix(serverVersion: string): boolean {
  const [major = 0, minor = 0, patch = 0] = (/^(\d+)\.(\d+)\.(\d+)/.exec(serverVersion) ?? [])
    .slice(1)
    .map(Number);
  if (major >= 26) return true;
  if (major === 25) return minor > 0 || patch >= 5;
  // 24.0 was past its end of life when the fix came: no 24.x release has it.
  if (major === 23) return minor > 0 || patch >= 11;
  return false;
}

/** The lesson conditions ({{#cgroup-v1}} ...) that hold on this host. */
export function lessonConditions(
  facts: EngineFacts,
  mode: 'solo' | 'workshop' = 'solo',
): Set<LessonCondition> {
  const runsc: LessonCondition[] =
    facts.runsc === undefined
      ? []
      : [facts.runsc.args.includes('--network=none') ? 'runsc-no-network' : 'runsc-network'];
  return new Set<LessonCondition>([
    ...runsc,
    facts.cgroupVersion === 2 ? 'cgroup-v2' : 'cgroup-v1',
    facts.apparmor ? 'apparmor' : 'no-apparmor',
    hasInternalDnsFix(facts.serverVersion) ? 'engine-dns-fixed' : 'engine-dns-unfixed',
    mode,
  ]);
}
