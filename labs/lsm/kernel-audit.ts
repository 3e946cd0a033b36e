// Reading AppArmor's audit records out of the kernel's log, strictly. The log is shared by
// every container on the host, and a container's root can write into it (kernel-log.ts in
// the server says how: an AUDIT_USER_AVC message is printed as `audit: type=1107 ...
// msg='<any text>'`). So a record counts only when it is, as a whole, what the kernel writes
// for a denied mount:
//   audit: type=1400 audit(<seconds>.<ms>:<serial>): apparmor="DENIED" operation="mount" ...
// - type=1400 (AUDIT_AVC) is set by the kernel; a user message is 1100..1199 or 2100..2999
//   and the audit socket refuses any other type (measured: EINVAL for 1400).
// - The fields follow directly, `apparmor=` first. Strings a process chooses (comm, the mount
//   point, the source, the file system type) are written quoted only when they hold no quote,
//   space or control character, and as hex otherwise (audit_log_untrustedstring), so a quoted
//   value can never close itself early and smuggle in another field.
import { createHash } from 'node:crypto';

/** One AppArmor audit record: when the kernel stamped it and its fields. */
export interface AuditRecord {
  /** The record's own time stamp (wall clock), in milliseconds since the epoch. */
  atMs: number;
  fields: ReadonlyMap<string, string>;
}

const HEADER = /^audit: type=1400 audit\((\d{1,12})\.(\d{3}):\d+\): (?=apparmor=)/;
/** key=value, the value quoted (no quote inside) or a bare token. */
const FIELD = / *([a-z_]+)=("[^"]*"|[^\s"]+)/y;

/** Parses a kernel log record's text; undefined unless it is, whole, an AppArmor (type 1400) record. */
export function parseAppArmorRecord(text: string): AuditRecord | undefined {
  const header = HEADER.exec(text);
  if (header?.[1] === undefined || header[2] === undefined) return undefined;
  const fields = new Map<string, string>();
  FIELD.lastIndex = header[0].length;
  while (FIELD.lastIndex < text.length) {
    const at = FIELD.lastIndex;
    const field = FIELD.exec(text);
    // Anything that is not a field (a stray quote, a second header) spoils the whole record.
    if (field?.[1] === undefined || field[2] === undefined || field.index !== at) return undefined;
    if (fields.has(field[1])) return undefined;
    fields.set(field[1], field[2].replace(/^"(.*)"$/, '$1'));
  }
  return { atMs: Number(header[1]) * 1000 + Number(header[2]), fields };
}

/** The directory each session's mount goes on: a name derived from its token, planted at set-up. */
export function mountDirName(sessionToken: string): string {
  const digest = createHash('sha256').update(`nslab-lsm-mount:${sessionToken}`).digest('hex');
  return `lsm-${digest.slice(0, 12)}`;
}

/** Where this session's learner mounts: /mnt/<its own directory>. */
export function mountPoint(sessionToken: string): string {
  return `/mnt/${mountDirName(sessionToken)}`;
}

export interface DenialQuery {
  /** The session's mount point, as the container sees it. */
  mountPoint: string;
  /** Records stamped before this (the confined container's start) belong to someone else. */
  sinceMs: number;
  /** The profile that must have denied it. */
  profile: string;
}

/**
 * Whether a record is the kernel's denial, by `profile`, of a mount on the session's mount
 * point (or below it), made after `sinceMs`. AppArmor writes a directory's name with a
 * trailing slash ("/mnt/lsm-x/"); "/mnt/lsm-xy" is another directory.
 */
export function isSessionDenial(text: string, query: DenialQuery): boolean {
  const record = parseAppArmorRecord(text);
  if (record === undefined || record.atMs < query.sinceMs) return false;
  const f = record.fields;
  const name = f.get('name') ?? '';
  return (
    f.get('apparmor') === 'DENIED' &&
    f.get('operation') === 'mount' &&
    f.get('profile') === query.profile &&
    (name === query.mountPoint || name.startsWith(`${query.mountPoint}/`))
  );
}

/** The first record of `log` that is this session's denial, or undefined. */
export function findDenial(log: readonly string[], query: DenialQuery): string | undefined {
  return log.find((text) => isSessionDenial(text, query));
}

/**
 * The line of a mount table (/proc/<pid>/mountinfo) that mounts a tmpfs exactly on `point`,
 * or undefined. The kernel escapes spaces and backslashes in paths (\040, \134), so a path
 * field holds no space: field 5 is the mount point, and the type follows the " - " separator.
 */
export function tmpfsMountedOn(mountinfo: string, point: string): string | undefined {
  return mountinfo.split('\n').find((line) => {
    const [before, after] = line.split(' - ', 2);
    const fields = (before ?? '').split(' ');
    return fields[4] === point && (after ?? '').split(' ')[0] === 'tmpfs';
  });
}
