// Block I/O control group lab: `--device-write-bps <disk>:<rate>` makes the kernel's block
// layer hold the container's writes to that disk to that rate, chosen per session (1 to 3
// MiB/s), so the rate a learner measures is theirs. The learner finds the device the limit
// names, writes past the page cache so the limit applies, and reads the rate.
// Checks read the throttle setting and the cgroup's per-device write counters on the host
// (v1 blkio.throttle.*, v2 io.max and io.stat).
import {
  type CheckContext,
  type CheckOutcome,
  type ContainerProfile,
  type LabDefinition,
  sessionWriteBps,
} from '../../server/lab-kit.ts';
import { DEVICE_NUMBER, MIB, deviceWrites, type DeviceWrites } from '../shared/cgroup-files.ts';

/** The write limits a session may get: 1 to 3 MiB/s in steps of 256 KiB/s. */
export const WRITE_BPS_CHOICES = [4, 5, 6, 7, 8, 9, 10, 11, 12].map(
  (quarters) => quarters * 256 * 1024,
);
/** How far dd's rate may be from the limit: its two printed digits, and the write's start. */
const RATE_TOLERANCE = 0.12;
/** How much a learner must write through the throttle; the reference writes exactly this. */
export const WRITE_BYTES = 8 * MIB;

const DIRECT_WRITE = `dd if=/dev/zero of=/root/direct.bin bs=1M count=${WRITE_BYTES / MIB} oflag=direct`;

/** A rate a learner typed: "2.1", "2.1 MB/s" (dd's unit, the default), "2 MiB/s", "2097152 B/s". */
export function parseRate(text: string): number | undefined {
  const match = /^(\d{1,12}(?:[.,]\d{1,6})?)\s*([kmg]?i?b)?(?:\/s)?$/i.exec(text.trim());
  if (match?.[1] === undefined) return undefined;
  const value = Number(match[1].replace(',', '.'));
  const unit = (match[2] ?? 'mb').toLowerCase();
  const scale: Record<string, number> = {
    b: 1,
    kb: 1e3,
    mb: 1e6,
    gb: 1e9,
    kib: 1024,
    mib: MIB,
    gib: 1024 * MIB,
  };
  const factor = scale[unit];
  return factor === undefined ? undefined : value * factor;
}

interface Throttle {
  device: string;
  writes: DeviceWrites;
  /** This session's limit in bytes per second. */
  rate: number;
}

const WRITER: ContainerProfile = {
  name: 'writer',
  title: 'writer (--device-write-bps, your own rate)',
  hostname: 'nslab-blkio',
  perSession: { blkioWriteBps: WRITE_BPS_CHOICES },
  memoryMb: 128,
  pidsLimit: 64,
  cpus: 1,
};

/** This session's write limit in bytes per second, as the plan chose it for Docker. */
export function sessionRate(token: string): number {
  return sessionWriteBps(WRITER, token) ?? 0;
}

/** The single device the lab throttles, as the kernel and the engine both describe it. */
async function throttle(
  ctx: CheckContext,
): Promise<{ ok: true; value: Throttle } | { ok: false; outcome: CheckOutcome }> {
  const writer = ctx.container('writer');
  const info = await writer.inspect();
  // dockerode types this list as any[]: read it as the engine documents it.
  const configured = (info.HostConfig.BlkioDeviceWriteBps ?? []) as {
    Path?: string;
    Rate?: number;
  }[];
  const writes = await deviceWrites(writer, ctx.host.facts.cgroupVersion);
  const rate = sessionRate(ctx.sessionToken);
  const limited = [...writes.limits].filter(([, bps]) => bps === rate);
  const device = limited[0]?.[0];
  if (
    configured.length !== 1 ||
    configured[0]?.Path !== ctx.host.facts.dataDisk ||
    configured[0]?.Rate !== rate ||
    limited.length !== 1 ||
    device === undefined
  ) {
    return {
      ok: false,
      outcome: {
        passed: false,
        reason: `The writer container's cgroup does not hold the lab's write limit of ${rate} bytes/s on ${ctx.host.facts.dataDisk ?? 'the data disk'}; restart the lab.`,
        hint: 0,
      },
    };
  }
  return { ok: true, value: { device, writes, rate } };
}

const mib = (bytes: number): string => `${(bytes / MIB).toFixed(1)} MiB`;

export const cgroupBlkioLab: LabDefinition = {
  id: 'cgroup-blkio',
  title: 'Block I/O cgroup: throttling writes to the disk',
  topic: 'control groups',
  summary:
    'Your container may write to the disk only so fast, at a rate of its own. Find the device the limit names, get past the page cache so the limit bites, and measure the rate.',
  minutes: 12,
  learned: [
    'Write limits name a device (major:minor) and bite only on writes that reach it: direct I/O, not the page cache.',
    'A throttled container measures its own limit with dd, whatever the disk could do.',
  ],
  lesson: 'cgroup-blkio.md',
  containers: [WRITER],
  exercises: [
    {
      id: 'find-device',
      title: 'Which device is limited?',
      goal: 'Report the device number (major:minor) of the disk whose writes the kernel throttles for the writer container.',
      answer: { label: 'Device number', placeholder: 'major:minor' },
      hints: [
        'The kernel does not know device names like /dev/vda in its limits: the block I/O cgroup names a disk by its major:minor number. Where does the container keep its cgroup files?',
        "That is the overlay filesystem's own number: overlay is not a disk (major 0 means no device). The limit is on the disk underneath, and the cgroup file says which.",
        'cgroup v1: cat /sys/fs/cgroup/blkio/blkio.throttle.write_bps_device   cgroup v2: cat /sys/fs/cgroup/io.max',
      ],
      check: async (ctx, answer): Promise<CheckOutcome> => {
        const submitted = (answer ?? '').trim();
        const match = DEVICE_NUMBER.exec(submitted);
        if (match === null)
          return {
            passed: false,
            reason: 'A device number is two numbers, major:minor, as the kernel writes it.',
            hint: 0,
          };
        const found = await throttle(ctx);
        if (!found.ok) return found.outcome;
        const normalized = `${Number(match[1])}:${Number(match[2])}`;
        if (normalized === found.value.device) {
          return {
            passed: true,
            reason: `Right: ${found.value.device}. Docker resolved ${ctx.host.facts.dataDisk ?? 'the disk'} to that number and wrote "${found.value.device} ${found.value.rate}" into the container's block I/O cgroup; the server read it there on the host.`,
          };
        }
        return match[1] === '0'
          ? { passed: false, reason: `${normalized} is not a disk.`, hint: 1 }
          : { passed: false, reason: `The limit is not on ${normalized}.`, hint: 2 };
      },
      solution: [
        {
          terminal: 'writer',
          input:
            'cat /sys/fs/cgroup/blkio/blkio.throttle.write_bps_device 2>/dev/null || cat /sys/fs/cgroup/io.max',
          capture: /^(\d+:\d+)\s/m,
        },
      ],
      // The device number of the container's root filesystem: the overlay, not the disk.
      cheat: [{ terminal: 'writer', input: 'mountpoint -d /', capture: /^(\d+:\d+)$/m }],
    },
    {
      id: 'direct-write',
      title: 'Make the limit bite',
      goal: `Write at least ${WRITE_BYTES / MIB} MiB from the writer container to the disk in a way the kernel throttles.`,
      hints: [
        "The throttle sits in the block layer, between your container and the disk: only writes that reach the disk on this cgroup's behalf are counted and held back.",
        'A tmpfs (/dev/shm) never reaches the disk, and ordinary writes land in the page cache first; on cgroup v1 the kernel writes them out later on its own behalf, unthrottled. Ask for writes that bypass the page cache.',
        `In the writer terminal: ${DIRECT_WRITE}; rm /root/direct.bin`,
      ],
      check: async (ctx): Promise<CheckOutcome> => {
        const found = await throttle(ctx);
        if (!found.ok) return found.outcome;
        const { device, writes } = found.value;
        const written = writes.bytes.get(device) ?? 0;
        const requests = writes.ios.get(device) ?? 0;
        const files =
          ctx.host.facts.cgroupVersion === 2
            ? 'io.stat wbytes'
            : 'blkio.throttle.io_service_bytes Write';
        if (written < WRITE_BYTES) {
          return {
            passed: false,
            reason: `The container's cgroup has written ${mib(written)} to ${device} (${files}), less than ${WRITE_BYTES / MIB} MiB.`,
            hint: written > 0 ? 1 : 0,
          };
        }
        return {
          passed: true,
          reason: `The block layer counted ${mib(written)} in ${requests} write requests from this container to ${device} (${files}, read on the host), every byte of it held to ${(found.value.rate / MIB).toFixed(2)} MiB/s by the limit on that device.`,
        };
      },
      solution: [{ terminal: 'writer', input: `${DIRECT_WRITE}; rm -f /root/direct.bin` }],
      cheat: [
        { terminal: 'writer', input: 'echo "254:0 Write 8388608"' },
        // tmpfs is memory, not the disk.
        {
          terminal: 'writer',
          input: `dd if=/dev/zero of=/dev/shm/fake.bin bs=1M count=${WRITE_BYTES / MIB}; rm -f /dev/shm/fake.bin`,
        },
      ],
    },
    {
      id: 'write-rate',
      title: 'Measure the rate',
      goal: 'Report the write rate dd measured for a direct write of at least 8 MiB in the writer container.',
      answer: { label: 'Rate (as dd prints it)', placeholder: '0.0 MB/s' },
      hints: [
        'dd prints a summary line when it finishes: bytes, seconds, and the rate. Use a write the limit applies to.',
        'Was the write you measured one the limit applies to? Ordinary writes land in the page cache at memory speed, before the block layer sees them; only a direct write (oflag=direct) is held to the limit while dd runs.',
        `In the writer terminal: ${DIRECT_WRITE}; rm /root/direct.bin   then read the last number dd prints.`,
      ],
      check: async (ctx, answer): Promise<CheckOutcome> => {
        const rate = parseRate(answer ?? '');
        if (rate === undefined) {
          return {
            passed: false,
            reason: 'That is not a rate; type it as dd prints it, for example "12.3 MB/s".',
            hint: 0,
          };
        }
        const found = await throttle(ctx);
        if (!found.ok) return found.outcome;
        const written = found.value.writes.bytes.get(found.value.device) ?? 0;
        if (written < WRITE_BYTES) {
          return {
            passed: false,
            reason: `The container has written only ${mib(written)} through the limit; make a direct write first.`,
            hint: 2,
          };
        }
        // dd prints two digits; the block layer holds a direct write to the limit within that.
        const limit = found.value.rate;
        if (rate < limit * (1 - RATE_TOLERANCE) || rate > limit * (1 + RATE_TOLERANCE)) {
          return {
            passed: false,
            reason: 'That is not the rate a throttled direct write of this container reaches.',
            hint: 1,
          };
        }
        return {
          passed: true,
          reason: `Right: ${(rate / 1e6).toFixed(1)} MB/s is ${(rate / MIB).toFixed(2)} MiB/s, the ${limit} bytes/s Docker set for --device-write-bps (dd counts in decimal megabytes: 1 MB is 1,000,000 bytes, 1 MiB is 1,048,576).`,
        };
      },
      solution: [
        {
          terminal: 'writer',
          input: `${DIRECT_WRITE} 2>&1 | tail -n 1; rm -f /root/direct.bin`,
          capture: /, ([\d.]+ [kMG]?B\/s)$/m,
        },
      ],
      // The speed of the page cache, not of the throttled disk.
      cheat: [
        {
          terminal: 'writer',
          input: `dd if=/dev/zero of=/root/fast.bin bs=1M count=${WRITE_BYTES / MIB} 2>&1 | tail -n 1; rm -f /root/fast.bin`,
          capture: /, ([\d.]+ [kMG]?B\/s)$/m,
        },
      ],
    },
  ],
};
