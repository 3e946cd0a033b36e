// What the user lab's checks read, all on the host: a container's uid map from the host's
// /proc (never a program in the container, whose root may replace cat), and the per-session
// tenant the set-up plants in the remapped container, whose uid differs between learners.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ContainerEvidence } from '../../server/lab-kit.ts';

/** The name the planted tenant process carries (`exec -a`). */
export const TENANT = 'nslab-tenant';

/** The tenant's uid inside the remapped container: 1000..59999, chosen by the session token. */
export function tenantUid(token: string): number {
  return (
    1000 + (createHash('sha256').update(`user:tenant:${token}`).digest().readUInt32BE(0) % 59_000)
  );
}

/** The host uid that container uid `inside` maps to, from a uid_map's lines ("0 100000 65536"). */
export function hostUidOf(uidMap: string, inside: number): number | undefined {
  for (const line of uidMap.trim().split('\n')) {
    const [first, outside, count] = line.trim().split(/\s+/).map(Number);
    if (first === undefined || outside === undefined || count === undefined) continue;
    if (![first, outside, count].every(Number.isInteger)) continue;
    if (inside >= first && inside < first + count) return outside + (inside - first);
  }
  return undefined;
}

/** The host uid that container uid 0 maps to. */
export function hostUidOfRoot(uidMap: string): number | undefined {
  return hostUidOf(uidMap, 0);
}

/** /proc/<pid>/uid_map of the container's main process, read by the server on the host. */
export async function uidMap(box: ContainerEvidence): Promise<string> {
  const info = await box.inspect();
  if (!info.State.Running || info.State.Pid <= 1)
    throw new Error('the container is not running, so it has no uid map to read');
  return readFile(`/proc/${info.State.Pid}/uid_map`, 'utf8');
}

/** The first field of a /proc/<pid>/status Uid line (the real uid), as the host sees it. */
export function realUid(status: Record<string, string>): number | undefined {
  const uid = Number((status.Uid ?? '').split(/\s+/)[0]);
  return status.Uid === undefined || !Number.isInteger(uid) ? undefined : uid;
}
