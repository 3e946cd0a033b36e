// Readers for the cgroup files the resource labs' checks read on the host, in both the
// cgroup v1 and v2 spellings, and parsers for the numbers learners type into answer boxes.
import type { ContainerEvidence } from '../../server/lab-kit.ts';

export const MIB = 1024 * 1024;

/** "key value" lines (memory.oom_control, memory.events, pids.events, cpu.stat) as numbers. */
export function flatKeyed(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\S+)\s+(-?\d+)$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) values.set(match[1], Number(match[2]));
  }
  return values;
}

/** A limit file's value: a number, or undefined for "max" / "-1" (no limit). */
export function limitValue(text: string): number | undefined {
  const trimmed = text.trim().split(/\s+/)[0] ?? '';
  if (!/^\d+$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** Reads a "key value" cgroup file; a missing key reads as 0. */
export async function counter(
  box: ContainerEvidence,
  controller: Parameters<ContainerEvidence['cgroupFile']>[0],
  file: string,
  key: string,
): Promise<number> {
  return flatKeyed(await box.cgroupFile(controller, file)).get(key) ?? 0;
}

/** A major:minor block device number, as the kernel writes it ("254:0"). */
export const DEVICE_NUMBER = /^(\d{1,4}):(\d{1,7})$/;

/** A device's write limit and write counters, from v1 blkio.throttle.* or v2 io.max/io.stat. */
export interface DeviceWrites {
  /** major:minor -> bytes per second, for devices with a write limit. */
  limits: Map<string, number>;
  /** major:minor -> bytes the cgroup wrote to that device (as the block layer counted them). */
  bytes: Map<string, number>;
  /** major:minor -> write requests issued. */
  ios: Map<string, number>;
}

/**
 * v1: blkio.throttle.write_bps_device is "254:0 2097152" per line, io_service_bytes and
 * io_serviced are "254:0 Write 8388608". v2: io.max is "254:0 rbps=max wbps=2097152 ...",
 * io.stat is "254:0 rbytes=... wbytes=... rios=... wios=...".
 */
export async function deviceWrites(
  box: ContainerEvidence,
  cgroupVersion: 1 | 2,
): Promise<DeviceWrites> {
  const limits = new Map<string, number>();
  const bytes = new Map<string, number>();
  const ios = new Map<string, number>();
  if (cgroupVersion === 2) {
    for (const line of (await box.cgroupFile('blkio', 'io.max')).split('\n')) {
      const [device = '', ...fields] = line.trim().split(/\s+/);
      const wbps = fields.find((f) => f.startsWith('wbps='))?.slice(5);
      if (DEVICE_NUMBER.test(device) && wbps !== undefined && /^\d+$/.test(wbps))
        limits.set(device, Number(wbps));
    }
    for (const line of (await box.cgroupFile('blkio', 'io.stat')).split('\n')) {
      const [device = '', ...fields] = line.trim().split(/\s+/);
      if (!DEVICE_NUMBER.test(device)) continue;
      const field = (name: string): number =>
        Number(fields.find((f) => f.startsWith(`${name}=`))?.slice(name.length + 1) ?? 0);
      bytes.set(device, field('wbytes'));
      ios.set(device, field('wios'));
    }
    return { limits, bytes, ios };
  }
  for (const line of (await box.cgroupFile('blkio', 'blkio.throttle.write_bps_device')).split(
    '\n',
  )) {
    const [device = '', rate = ''] = line.trim().split(/\s+/);
    if (DEVICE_NUMBER.test(device) && /^\d+$/.test(rate)) limits.set(device, Number(rate));
  }
  const writes = (text: string, into: Map<string, number>): void => {
    for (const line of text.split('\n')) {
      const [device = '', op = '', value = ''] = line.trim().split(/\s+/);
      if (DEVICE_NUMBER.test(device) && op === 'Write' && /^\d+$/.test(value))
        into.set(device, Number(value));
    }
  };
  writes(await box.cgroupFile('blkio', 'blkio.throttle.io_service_bytes'), bytes);
  writes(await box.cgroupFile('blkio', 'blkio.throttle.io_serviced'), ios);
  return { limits, bytes, ios };
}

/** A whole number a learner typed, allowing thousands separators ("33,554,432", "33 554 432"). */
export function parseCount(text: string): number | undefined {
  const cleaned = text.trim().replace(/[,_\s]/g, '');
  return /^\d{1,15}$/.test(cleaned) ? Number(cleaned) : undefined;
}

/** A decimal number a learner typed ("2.5", "2,5"), with an optional unit suffix removed by the caller. */
export function parseDecimal(text: string): number | undefined {
  const cleaned = text.trim().replace(',', '.');
  return /^\d{1,6}(\.\d{1,9})?$/.test(cleaned) ? Number(cleaned) : undefined;
}
