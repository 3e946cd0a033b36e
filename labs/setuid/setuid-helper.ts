// The setuid lab's planted helper: its per-session path, and how the checks recognise it and
// what it wrote, from the host.
import { createHash } from 'node:crypto';
import type { ContainerEvidence, ContainerFile, HostProcess } from '../../server/lab-kit.ts';

export const HELPER_DIR = '/opt/acme/bin';
export const NOBODY = 65534;

/** The planted helper's path: a per-session name, so an answer does not carry over between learners. */
export function helperPath(sessionToken: string): string {
  const suffix = createHash('sha256').update(`setuid-helper:${sessionToken}`).digest('hex');
  return `${HELPER_DIR}/logtee-${suffix.slice(0, 6)}`;
}

/** The effective uid from a /proc/<pid>/status "Uid:" field (real, effective, saved, fs). */
export function effectiveUid(status: Record<string, string>): number | undefined {
  const euid = Number((status.Uid ?? '').split(/\s+/)[1]);
  return Number.isInteger(euid) ? euid : undefined;
}

/** The container's processes that are running the planted helper itself (not a copy of it). */
export function helperProcesses(processes: HostProcess[], path: string): HostProcess[] {
  return processes.filter((p) => p.exe === path);
}

/** The "Uid:" field as one readable line. */
export function uidLine(p: HostProcess): string {
  return (p.status.Uid ?? '').replace(/\s+/g, ' ');
}

/** A regular file owned by root with the setuid bit: what `find -perm -4000 -uid 0` lists. */
export function setuidRoot(file: ContainerFile | undefined): boolean {
  return file?.type === 'file' && file.uid === 0 && (file.mode & 0o4000) !== 0;
}

/** Root-owned files in /root whose group is nogroup: written with euid 0 but egid 65534. */
export async function rootFilesByNobody(box: ContainerEvidence): Promise<string[]> {
  const files = await box.walk('/root', { types: ['file'] });
  return files.filter((f) => f.uid === 0 && f.gid === NOBODY).map((f) => f.path);
}
