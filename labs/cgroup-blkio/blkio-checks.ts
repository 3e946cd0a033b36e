// The block I/O lab's container and checks: the write limit and the per-device write
// counters of the writer container's cgroup, read on the host.
import {
  type CheckContext,
  type CheckOutcome,
  type ContainerProfile,
  sessionWriteBps,
} from '../../server/lab-kit.ts';
import { DEVICE_NUMBER, MIB, deviceWrites, type DeviceWrites } from '../shared/cgroup-files.ts';
import { t } from '../shared/localized.ts';

/** The write limits a session may get: 1 to 3 MiB/s in steps of 256 KiB/s. */
export const WRITE_BPS_CHOICES = [4, 5, 6, 7, 8, 9, 10, 11, 12].map(
  (quarters) => quarters * 256 * 1024,
);
/** How far dd's rate may be from the limit: its two printed digits, and the write's start. */
const RATE_TOLERANCE = 0.12;
/** How much a learner must write through the throttle; the reference writes exactly this. */
export const WRITE_BYTES = 8 * MIB;

export const DIRECT_WRITE = `dd if=/dev/zero of=/root/direct.bin bs=1M count=${WRITE_BYTES / MIB} oflag=direct`;

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

export const WRITER: ContainerProfile = {
  name: 'writer',
  title: t(
    'writer (--device-write-bps, your own rate)',
    'writer（--device-write-bps，你自己的速率）',
  ),
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
        reason: t(
          `The writer container's cgroup does not hold the lab's write limit of ${rate} bytes/s on ${ctx.host.facts.dataDisk ?? 'the data disk'}; restart the lab.`,
          `writer 容器的控制组中没有本实验在 ${ctx.host.facts.dataDisk ?? '数据盘'} 上设定的 ${rate} 字节/秒写入限制；请重启实验。`,
        ),
        hint: 0,
      },
    };
  }
  return { ok: true, value: { device, writes, rate } };
}

const mib = (bytes: number): string => `${(bytes / MIB).toFixed(1)} MiB`;

/** "Which device is limited?": the device number in the cgroup's write limit, read on the host. */
export async function judgeDevice(
  ctx: CheckContext,
  answer: string | undefined,
): Promise<CheckOutcome> {
  const submitted = (answer ?? '').trim();
  const match = DEVICE_NUMBER.exec(submitted);
  if (match === null)
    return {
      passed: false,
      reason: t(
        'A device number is two numbers, major:minor, as the kernel writes it.',
        '设备号是两个数字，按内核的写法是 major:minor。',
      ),
      hint: 0,
    };
  const found = await throttle(ctx);
  if (!found.ok) return found.outcome;
  const normalized = `${Number(match[1])}:${Number(match[2])}`;
  if (normalized === found.value.device) {
    return {
      passed: true,
      reason: t(
        `Right: ${found.value.device}. Docker resolved ${ctx.host.facts.dataDisk ?? 'the disk'} to that number and wrote "${found.value.device} ${found.value.rate}" into the container's block I/O cgroup; the server read it there on the host.`,
        `正确：${found.value.device}。Docker 把 ${ctx.host.facts.dataDisk ?? '那块磁盘'} 解析成这个设备号，并把 "${found.value.device} ${found.value.rate}" 写进了容器的块设备 I/O 控制组；服务器在宿主机上从那里读到了它。`,
      ),
    };
  }
  return match[1] === '0'
    ? {
        passed: false,
        reason: t(`${normalized} is not a disk.`, `${normalized} 不是磁盘。`),
        hint: 1,
      }
    : {
        passed: false,
        reason: t(`The limit is not on ${normalized}.`, `限制不在 ${normalized} 上。`),
        hint: 2,
      };
}

/** "Make the limit bite": the block layer's write counters for the limited device. */
export async function judgeDirectWrite(ctx: CheckContext): Promise<CheckOutcome> {
  const found = await throttle(ctx);
  if (!found.ok) return found.outcome;
  const { device, writes } = found.value;
  const written = writes.bytes.get(device) ?? 0;
  const requests = writes.ios.get(device) ?? 0;
  const files =
    ctx.host.facts.cgroupVersion === 2 ? 'io.stat wbytes' : 'blkio.throttle.io_service_bytes Write';
  if (written < WRITE_BYTES) {
    return {
      passed: false,
      reason: t(
        `The container's cgroup has written ${mib(written)} to ${device} (${files}), less than ${WRITE_BYTES / MIB} MiB.`,
        `容器的控制组向 ${device} 写入了 ${mib(written)}（${files}），少于 ${WRITE_BYTES / MIB} MiB。`,
      ),
      hint: written > 0 ? 1 : 0,
    };
  }
  return {
    passed: true,
    reason: t(
      `The block layer counted ${mib(written)} in ${requests} write requests from this container to ${device} (${files}, read on the host), every byte of it held to ${(found.value.rate / MIB).toFixed(2)} MiB/s by the limit on that device.`,
      `块层统计到这个容器向 ${device} 发出的 ${requests} 个写请求，共 ${mib(written)}（${files}，在宿主机上读取），每一个字节都被该设备上的限制压在 ${(found.value.rate / MIB).toFixed(2)} MiB/s。`,
    ),
  };
}

/** "Measure the rate": dd's rate for a direct write, against the limit read on the host. */
export async function judgeRate(
  ctx: CheckContext,
  answer: string | undefined,
): Promise<CheckOutcome> {
  const rate = parseRate(answer ?? '');
  if (rate === undefined) {
    return {
      passed: false,
      reason: t(
        'That is not a rate; type it as dd prints it, for example "12.3 MB/s".',
        '这不是一个速率；请照 dd 打印的样子输入，例如 "12.3 MB/s"。',
      ),
      hint: 0,
    };
  }
  const found = await throttle(ctx);
  if (!found.ok) return found.outcome;
  const written = found.value.writes.bytes.get(found.value.device) ?? 0;
  if (written < WRITE_BYTES) {
    return {
      passed: false,
      reason: t(
        `The container has written only ${mib(written)} through the limit; make a direct write first.`,
        `容器经过限制写入的只有 ${mib(written)}；先做一次直接写入。`,
      ),
      hint: 2,
    };
  }
  // dd prints two digits; the block layer holds a direct write to the limit within that.
  const limit = found.value.rate;
  if (rate < limit * (1 - RATE_TOLERANCE) || rate > limit * (1 + RATE_TOLERANCE)) {
    return {
      passed: false,
      reason: t(
        'That is not the rate a throttled direct write of this container reaches.',
        '这不是这个容器被限流的直接写入所能达到的速率。',
      ),
      hint: 1,
    };
  }
  return {
    passed: true,
    reason: t(
      `Right: ${(rate / 1e6).toFixed(1)} MB/s is ${(rate / MIB).toFixed(2)} MiB/s, the ${limit} bytes/s Docker set for --device-write-bps (dd counts in decimal megabytes: 1 MB is 1,000,000 bytes, 1 MiB is 1,048,576).`,
      `正确：${(rate / 1e6).toFixed(1)} MB/s 即 ${(rate / MIB).toFixed(2)} MiB/s，也就是 Docker 为 --device-write-bps 设定的 ${limit} 字节/秒（dd 按十进制兆字节计数：1 MB 是 1,000,000 字节，1 MiB 是 1,048,576 字节）。`,
    ),
  };
}
