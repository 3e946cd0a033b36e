// The kernel's log as the host reads it: the records of /dev/kmsg, each as one line. Read by
// the server itself, never through `dmesg` or `journalctl`, and never from a container:
// - /dev/kmsg keeps a record in one line and escapes what is not printable (`\x0a` for a
//   newline). `dmesg` decodes those escapes, so a record that carries a newline prints as two
//   lines, and its second line can look like any record the kernel writes.
// - That matters because a container's root can put text into this log: CAP_AUDIT_WRITE is
//   one of Docker's default capabilities, and an AUDIT_USER_AVC message sent over the audit
//   netlink socket is printed as `audit: type=1107 ... msg='<anything>'`, unescaped
//   (measured: test/docker/lsm-lab.test.ts). What it cannot choose is the record's type and
//   the fields the kernel writes before the message, so checks match whole records.
// - The container cannot write the log any other way: /dev/kmsg is not among Docker's
//   default devices, and the device cgroup refuses a node made with mknod (1:11: "Operation
//   not permitted", measured). syslog(2) never writes: it reads and clears, and Docker's
//   seccomp profile allows it to CAP_SYSLOG or CAP_SYS_ADMIN, but the kernel asks for
//   CAP_SYSLOG itself (dmesg in a SYS_ADMIN container: "Operation not permitted", measured);
//   a clear would only move syslog(2)'s own read position, not what /dev/kmsg returns.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** The most records one read takes: the kernel's buffer holds far fewer on a stock kernel. */
const MAX_RECORDS = 100_000;

/** One /dev/kmsg record: "<prio>,<seq>,<usec>,<flags>;<text>", without its dictionary lines. */
export interface KernelRecord {
  seq: number;
  text: string;
}

/** Parses one read of /dev/kmsg; undefined for what is not a record. */
export function parseKmsgRecord(raw: string): KernelRecord | undefined {
  // Dictionary lines (" SUBSYSTEM=...") follow the first line; only the first is the message.
  const line = raw.split('\n', 1)[0] ?? '';
  const match = /^\d+,(\d+),\d+,[^;]*;(.*)$/.exec(line);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { seq: Number(match[1]), text: match[2] };
}

/** Every record the kernel still holds, oldest first. Needs root (or CAP_SYSLOG). */
export async function readKernelLog(path = '/dev/kmsg'): Promise<KernelRecord[]> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const records: KernelRecord[] = [];
  const buffer = Buffer.alloc(16 * 1024);
  try {
    while (records.length < MAX_RECORDS) {
      let bytes: number;
      try {
        // Each read returns exactly one record.
        ({ bytesRead: bytes } = await handle.read(buffer, 0, buffer.length, null));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // EPIPE: records were overwritten while reading; the next read resumes at the oldest.
        if (code === 'EPIPE') continue;
        if (code === 'EAGAIN') break;
        throw error;
      }
      if (bytes === 0) break;
      const record = parseKmsgRecord(buffer.toString('utf8', 0, bytes));
      if (record !== undefined) records.push(record);
    }
  } finally {
    await handle.close();
  }
  return records;
}
