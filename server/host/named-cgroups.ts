// Named cgroup v1 hierarchies (`mount -t cgroup -o none,name=x`): what the release_agent
// escape mounts from a container with CAP_SYS_ADMIN. A hierarchy outlives the container that
// mounted it whenever a child cgroup is left in it, invisible (mounted nowhere) but alive in
// the kernel with its release_agent set. Escape sessions release the hierarchies their
// containers mounted, and the sweep releases orphaned `nslab*` ones a crashed server left.
import { execFile, spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { log } from '../log.ts';

const run = promisify(execFile);

/** Hierarchy names a learner may choose and the sweep may clean: letters, digits, . _ - only. */
const NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** Names the crash sweep releases when nothing mounts them: the lessons tell learners to use them. */
export const SWEPT_PREFIX = 'nslab';
const PREFLIGHT_PREFIX = 'nslab-preflight-';

export interface NamedCgroupMount {
  name: string;
  mountPoint: string;
}

/** The named cgroup v1 mounts in one /proc/<pid>/mountinfo text. */
export function parseNamedCgroupMounts(mountinfo: string): NamedCgroupMount[] {
  const found: NamedCgroupMount[] = [];
  for (const line of mountinfo.split('\n')) {
    const [before, after] = line.split(' - ');
    if (before === undefined || after === undefined) continue;
    const [fstype, , superOptions = ''] = after.split(' ');
    if (fstype !== 'cgroup') continue;
    const name = superOptions
      .split(',')
      .find((o) => o.startsWith('name='))
      ?.slice('name='.length);
    const mountPoint = before.split(' ')[4];
    if (name !== undefined && mountPoint !== undefined) found.push({ name, mountPoint });
  }
  return found;
}

/** Names of the named hierarchies the kernel has now, from a /proc/<pid>/cgroup text. */
export function parseHierarchyNames(procCgroup: string): string[] {
  return procCgroup
    .split('\n')
    .map((line) => /^\d+:name=([^:]+):/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}

async function namedMounts(
  pids: readonly number[],
  keep: (mount: NamedCgroupMount) => boolean,
): Promise<Set<string>> {
  const names = new Set<string>();
  await Promise.all(
    pids.map(async (pid) => {
      const text = await readFile(`/proc/${pid}/mountinfo`, 'utf8').catch(() => '');
      for (const mount of parseNamedCgroupMounts(text)) if (keep(mount)) names.add(mount.name);
    }),
  );
  return names;
}

/**
 * Named hierarchies these processes (host PIDs) mounted themselves: Docker's own mounts
 * under /sys/fs/cgroup (the host's name=systemd on v1 hosts) are not theirs.
 */
export function namedCgroupsMountedBy(pids: readonly number[]): Promise<Set<string>> {
  return namedMounts(pids, (m) => !m.mountPoint.startsWith('/sys/fs/cgroup'));
}

/** Named hierarchies mounted anywhere on this host, in any mount namespace. */
async function mountedAnywhere(): Promise<Set<string>> {
  const pids = (await readdir('/proc')).filter((e) => /^\d+$/.test(e)).map(Number);
  return namedMounts(pids, () => true);
}

// Mounts the hierarchy in a private mount namespace, clears its release_agent (so nothing
// runs on the host when a leftover process exits), removes its empty child cgroups (deepest
// first) and unmounts it: a hierarchy with no children and no
// mount is destroyed by the kernel. Child removal is asynchronous, so the root may survive
// the first unmount; the caller retries. A child that still holds processes is left alone.
const RELEASE_SCRIPT = `
set -u
d=$(mktemp -d /tmp/nslab-cgroup.XXXXXX)
trap 'umount "$d" 2>/dev/null; rmdir "$d"' EXIT
mount -t cgroup -o "none,name=$1" nslab "$d" || exit 3
echo > "$d/release_agent"
busy=0
for c in $(find "$d" -mindepth 1 -type d | sort -r); do
  if [ -n "$(cat "$c/cgroup.procs")" ]; then busy=1; continue; fi
  rmdir "$c" 2>/dev/null || busy=1
done
sleep 0.3
exit $busy
`;

/**
 * Destroys a named hierarchy that no mount namespace uses any more; true when it is gone.
 * A hierarchy still mounted somewhere (a live session, the host's own) is left alone.
 */
export async function releaseNamedHierarchy(name: string): Promise<boolean> {
  if (!NAME.test(name)) return false;
  for (let attempt = 0; attempt < 4; attempt++) {
    const present = parseHierarchyNames(await readFile('/proc/self/cgroup', 'utf8'));
    if (!present.includes(name)) return true;
    if ((await mountedAnywhere()).has(name)) return false;
    try {
      await run(
        'unshare',
        ['--mount', '--propagation', 'private', '--', 'sh', '-c', RELEASE_SCRIPT, 'sh', name],
        { timeout: 10_000 },
      );
    } catch (error) {
      log.warn('releasing a named cgroup hierarchy failed', { name, error: String(error) });
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
  }
  return !parseHierarchyNames(await readFile('/proc/self/cgroup', 'utf8')).includes(name);
}

/** Releases every orphaned named hierarchy whose name starts with `nslab` (the crash sweep). */
export async function sweepNamedHierarchies(): Promise<number> {
  const text = await readFile('/proc/self/cgroup', 'utf8').catch(() => '');
  // The preflight's own hierarchy is destroyed by the kernel a moment after its unmount.
  const candidates = parseHierarchyNames(text).filter(
    (n) => n.startsWith(SWEPT_PREFIX) && !n.startsWith(PREFLIGHT_PREFIX),
  );
  let released = 0;
  for (const name of candidates) if (await releaseNamedHierarchy(name)) released++;
  return released;
}

/**
 * Preflight: can this kernel create a cgroup v1 hierarchy at all? cgroup v2-only hosts may
 * still allow a named v1 hierarchy; a kernel built without v1 support refuses it.
 */
export function canMountNamedCgroupV1(): boolean {
  const name = `${PREFLIGHT_PREFIX}${process.pid}`;
  const result = spawnSync(
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      '--',
      'sh',
      '-c',
      'd=$(mktemp -d /tmp/nslab-preflight.XXXXXX) || exit 1; mount -t cgroup -o "none,name=$1" nslab "$d" && test -e "$d/release_agent"; r=$?; umount "$d" 2>/dev/null; rmdir "$d"; exit $r',
      'sh',
      name,
    ],
    { timeout: 5_000, stdio: 'ignore' },
  );
  return result.status === 0;
}
