// Capability masks as the kernel prints them in /proc/<pid>/status (CapEff: 00000000a80425fb)
// and the names capsh --decode gives their bits (CAP_NAMES, the lab kit's one capability
// table). Pure functions, so they can be tested.
import { createHash } from 'node:crypto';
import {
  CAP_NAMES,
  type CapName,
  type ContainerEvidence,
  type HostProcess,
} from '../../server/lab-kit.ts';

/** A CapEff/CapPrm/CapBnd field ("00000000a80425fb") as a number; undefined if it is not hex. */
export function parseMask(field: string | undefined): bigint | undefined {
  const text = field?.trim().replace(/^0x/i, '') ?? '';
  return /^[0-9a-f]{1,16}$/i.test(text) ? BigInt(`0x${text}`) : undefined;
}

export function capBit(name: string): number {
  return (CAP_NAMES as readonly string[]).indexOf(name);
}

export function hasCap(mask: bigint, name: string): boolean {
  const bit = capBit(name);
  return bit >= 0 && ((mask >> BigInt(bit)) & 1n) === 1n;
}

/** The names of the bits set in a mask, as capsh --decode lists them. */
export function decodeMask(mask: bigint): string[] {
  return CAP_NAMES.filter((_name, bit) => ((mask >> BigInt(bit)) & 1n) === 1n);
}

/** "KILL", "cap_kill", "CAP_KILL" -> "cap_kill"; undefined for anything that is not a capability. */
export function capabilityName(text: string): string | undefined {
  const name = `cap_${text.trim().toLowerCase().replace(/^cap_/, '')}`;
  return capBit(name) >= 0 ? name : undefined;
}

/** Capabilities the lab may take from the mystery process: Docker's defaults except setpcap, which capsh needs to drop them. */
export const MYSTERY_CANDIDATES = [
  'cap_chown',
  'cap_dac_override',
  'cap_fowner',
  'cap_fsetid',
  'cap_kill',
  'cap_setgid',
  'cap_setuid',
  'cap_net_bind_service',
  'cap_net_raw',
  'cap_sys_chroot',
  'cap_mknod',
  'cap_audit_write',
  'cap_setfcap',
] as const satisfies readonly CapName[];

/** The capability this session's mystery process lacks: derived from the session token, never sent to the browser. */
export function mysteryCapability(sessionToken: string): string {
  const digest = createHash('sha256').update(`capabilities:mystery:${sessionToken}`).digest();
  return MYSTERY_CANDIDATES[(digest[0] ?? 0) % MYSTERY_CANDIDATES.length] ?? 'cap_kill';
}

/** The container's main process (docker-init) as the host sees it: its /proc/<pid>/status. */
export async function mainProcess(container: ContainerEvidence): Promise<HostProcess> {
  const info = await container.inspect();
  const main = (await container.processes()).find((p) => p.pid === info.State.Pid);
  if (main === undefined) throw new Error(`main process ${info.State.Pid} not found`);
  return main;
}

/** The effective capability set of the container's main process, read from the host. */
export async function mainCapEff(container: ContainerEvidence): Promise<bigint> {
  const mask = parseMask((await mainProcess(container)).status.CapEff);
  if (mask === undefined) throw new Error('CapEff missing from /proc/<pid>/status');
  return mask;
}

export function hex(mask: bigint): string {
  return mask.toString(16).padStart(16, '0');
}
