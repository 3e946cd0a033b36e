// The container's init process as the host's /proc shows it: its namespace links, the
// capability, seccomp and no-new-privileges fields of its status, its LSM label and its user
// and group maps. The kernel writes these; nothing typed in the container can change what the
// host reads here (the init process is the engine's docker-init, not the learner's shell).
import { readFile, readlink } from 'node:fs/promises';
import { parseProcStatus, securityLabel } from '../checks/docker-check-context.ts';
import { INSPECTED_NAMESPACES, type InspectedNamespace } from '../protocol/inspector-types.ts';

export type NamespaceLinks = Partial<Record<InspectedNamespace, string>>;

/** readlink /proc/<pid>/ns/* ("self" for the server's own); a kind the kernel lacks is left out. */
export async function namespaceLinks(pid: number | 'self'): Promise<NamespaceLinks> {
  const links = await Promise.all(
    INSPECTED_NAMESPACES.map((kind) =>
      readlink(`/proc/${pid}/ns/${kind}`).then(
        (link) => [kind, link] as const,
        () => undefined,
      ),
    ),
  );
  return Object.fromEntries(links.filter((entry) => entry !== undefined));
}

export interface ProcessFacts {
  status: Record<string, string>;
  lsmLabel: string | null;
  uidMap: string;
  gidMap: string;
  namespaces: NamespaceLinks;
}

/** "         0          0 4294967295\n" -> "0 0 4294967295"; lines joined with "; ". */
export function squeezeIdMap(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/).join(' '))
    .filter((line) => line !== '')
    .join('; ');
}

/** Everything the profile part of the inspector reads from /proc/<pid>/. */
export async function processFacts(pid: number): Promise<ProcessFacts> {
  const [status, uidMap, gidMap, label, namespaces] = await Promise.all([
    readFile(`/proc/${pid}/status`, 'utf8'),
    readFile(`/proc/${pid}/uid_map`, 'utf8'),
    readFile(`/proc/${pid}/gid_map`, 'utf8'),
    securityLabel(pid),
    namespaceLinks(pid),
  ]);
  return {
    status: parseProcStatus(status),
    lsmLabel: label ?? null,
    uidMap: squeezeIdMap(uidMap),
    gidMap: squeezeIdMap(gidMap),
    namespaces,
  };
}
