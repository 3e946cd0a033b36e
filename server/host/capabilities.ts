// Linux capabilities, named once: their bit numbers (linux/capability.h, capabilities(7)) in
// Docker's spelling, the libcap spelling (cap_chown) derived from it, and the ones a lab may
// add or drop. Every other capability table in nslab is derived from this module.

/** Capability names by bit number (bit 0 is CHOWN), as Docker spells them (without CAP_). */
export const CAPABILITY_BITS = [
  'CHOWN',
  'DAC_OVERRIDE',
  'DAC_READ_SEARCH',
  'FOWNER',
  'FSETID',
  'KILL',
  'SETGID',
  'SETUID',
  'SETPCAP',
  'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE',
  'NET_BROADCAST',
  'NET_ADMIN',
  'NET_RAW',
  'IPC_LOCK',
  'IPC_OWNER',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_CHROOT',
  'SYS_PTRACE',
  'SYS_PACCT',
  'SYS_ADMIN',
  'SYS_BOOT',
  'SYS_NICE',
  'SYS_RESOURCE',
  'SYS_TIME',
  'SYS_TTY_CONFIG',
  'MKNOD',
  'LEASE',
  'AUDIT_WRITE',
  'AUDIT_CONTROL',
  'SETFCAP',
  'MAC_OVERRIDE',
  'MAC_ADMIN',
  'SYSLOG',
  'WAKE_ALARM',
  'BLOCK_SUSPEND',
  'AUDIT_READ',
  'PERFMON',
  'BPF',
  'CHECKPOINT_RESTORE',
] as const;
/** A capability in Docker's spelling: "NET_RAW". */
export type CapabilityName = (typeof CAPABILITY_BITS)[number];
/** A capability as libcap and `capsh --decode` spell it: "cap_net_raw". */
export type CapName = `cap_${Lowercase<CapabilityName>}`;

/** "NET_RAW" -> "cap_net_raw". */
export function capName(name: CapabilityName): CapName {
  return `cap_${name.toLowerCase()}` as CapName;
}

/** Capability names by bit number, as `capsh --decode` gives them (bit 0 is cap_chown). */
export const CAP_NAMES: readonly CapName[] = CAPABILITY_BITS.map(capName);

/**
 * Linux capabilities a lab may add or drop (ContainerProfile.capAdd, capDrop), in Docker's
 * spelling, plus Docker's ALL.
 */
export const CAPABILITIES = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'NET_RAW',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
  'NET_ADMIN',
  'SYS_ADMIN',
  'SYS_PTRACE',
  'SYS_RESOURCE',
  'SYS_TIME',
  'IPC_LOCK',
  'LINUX_IMMUTABLE',
  'ALL',
] as const satisfies readonly (CapabilityName | 'ALL')[];
/** A capability a lab may add or drop, or ALL. */
export type Capability = (typeof CAPABILITIES)[number];

/**
 * Docker's default capability set (what a container gets with no --cap-add or --cap-drop):
 * CapEff 00000000a80425fb, and recommendation 14's list in the seeds.
 */
export const DOCKER_DEFAULT_CAPABILITIES = [
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'SETGID',
  'SETUID',
  'SETPCAP',
  'NET_BIND_SERVICE',
  'NET_RAW',
  'SYS_CHROOT',
  'MKNOD',
  'AUDIT_WRITE',
  'SETFCAP',
] as const satisfies readonly CapabilityName[];

/** The cap_* names of the bits set in a /proc/<pid>/status mask ("00000000a80425fb"). */
export function decodeCapabilityMask(field: string | undefined): CapName[] | undefined {
  const text = field?.trim() ?? '';
  if (!/^[0-9a-f]{1,16}$/i.test(text)) return undefined;
  const mask = BigInt(`0x${text}`);
  return CAP_NAMES.filter((_name, bit) => ((mask >> BigInt(bit)) & 1n) === 1n);
}
