// One line per risky setting of a container, saying why it matters in the seeds' terms:
// "recommendation N" of the 17 recommendations for secure Docker deployment (seed 002), or
// the section of Docker's security documentation (seeds 000/003) that explains it.
import type {
  CapabilityView,
  CgroupView,
  HostExposure,
  NamespaceRow,
  RiskLine,
  SecurityView,
} from '../protocol/inspector-types.ts';

const DOCS = 'Docker security';

/** Added capabilities that hand out host-level power on their own. */
const HIGH_CAPS = new Set([
  'cap_sys_admin',
  'cap_sys_ptrace',
  'cap_sys_module',
  'cap_sys_rawio',
  'cap_dac_read_search',
  'cap_net_admin',
  'cap_bpf',
  'cap_sys_boot',
  'cap_mac_admin',
  'cap_mac_override',
]);

const NAMESPACE_RISKS: Partial<Record<NamespaceRow['kind'], Omit<RiskLine, 'setting'>>> = {
  pid: {
    level: 'high',
    why: "its processes see and can signal the host's processes (with SYS_PTRACE, enter them)",
    source: `${DOCS}: kernel namespaces`,
  },
  net: {
    level: 'high',
    why: "it uses the host's network stack: every host interface and port, no iptables between",
    source: 'recommendation 2 (network namespace)',
  },
  mnt: {
    level: 'high',
    why: "it sees the host's mount table and files",
    source: `${DOCS}: kernel namespaces`,
  },
  ipc: {
    level: 'medium',
    why: "it can read and write the host's System V shared memory and queues",
    source: `${DOCS}: kernel namespaces`,
  },
  uts: {
    level: 'low',
    why: "with CAP_SYS_ADMIN it could rename the host; it sees the host's name",
    source: `${DOCS}: kernel namespaces`,
  },
};

function namespaceRisks(rows: NamespaceRow[]): RiskLine[] {
  return rows.flatMap((row) => {
    const risk = row.sharing === 'host' ? NAMESPACE_RISKS[row.kind] : undefined;
    return risk === undefined
      ? []
      : [{ ...risk, setting: `${row.kind} namespace shared with the host` }];
  });
}

function capabilityRisks(caps: CapabilityView | null): RiskLine[] {
  return (caps?.added ?? []).map((name) => ({
    level: HIGH_CAPS.has(name) ? 'high' : 'medium',
    setting: `${name} added`,
    why: `${name} is beyond Docker's default set: root in the container gets that power over the shared kernel`,
    source: 'recommendation 14 (capabilities)',
  }));
}

const EXPOSURE_RISKS: Record<HostExposure['kind'], Omit<RiskLine, 'setting'>> = {
  'docker-socket': {
    level: 'high',
    why: 'whoever reaches an engine socket can start a container that mounts the host: root on that host',
    source: `${DOCS}: Docker daemon attack surface; recommendation 2`,
  },
  'host-root': {
    level: 'high',
    why: "the host's whole file system, / mounted as /host, as the documentation warns",
    source: `${DOCS}: Docker daemon attack surface`,
  },
  'host-proc': {
    level: 'high',
    why: "the host's /proc: its processes and kernel settings",
    source: 'recommendation 10 (mount points)',
  },
  'host-sys': {
    level: 'high',
    why: "the host's /sys: kernel and device settings",
    source: 'recommendation 10 (mount points)',
  },
  'host-dev': {
    level: 'high',
    why: "the host's device nodes",
    source: 'recommendation 8 (devices)',
  },
  device: {
    level: 'medium',
    why: 'a host device node the container may open',
    source: 'recommendation 8 (devices)',
  },
  bind: {
    level: 'low',
    why: 'a host directory shared with the container',
    source: 'recommendation 10 (mount points)',
  },
};

function exposureRisks(exposures: HostExposure[]): RiskLine[] {
  return exposures.map((e) => {
    const risk = EXPOSURE_RISKS[e.kind];
    // A read-write bind of a plain directory lets the container change host files.
    const level = e.kind === 'bind' && !e.readOnly ? 'medium' : risk.level;
    return {
      ...risk,
      level,
      // A read-only bind of a socket still lets the container connect() to it.
      setting: `${e.source} at ${e.destination}${e.kind === 'docker-socket' ? ' (read-only or not, it connects)' : e.readOnly ? ' (read-only)' : ''}`,
    };
  });
}

/** Confinement settings: when each is risky, and why. */
const SECURITY_RISKS: readonly (RiskLine & {
  when: (sec: SecurityView, hostHasLsm: boolean) => boolean;
})[] = [
  {
    when: (sec) => sec.privileged,
    level: 'high',
    setting: '--privileged',
    why: 'every capability, every device, no seccomp or LSM confinement: root here is root on the host',
    source: 'recommendation 5',
  },
  {
    when: (sec) => sec.seccomp === 'disabled',
    level: 'high',
    setting: 'seccomp unconfined',
    why: 'every system call reaches the shared kernel, including the ones the default profile blocks',
    source: 'recommendation 13 (seccomp)',
  },
  {
    when: (sec) => !sec.privileged && sec.maskedPaths.length === 0,
    level: 'high',
    setting: 'no masked paths',
    why: '/proc/kcore, /proc/keys and friends are readable',
    source: 'recommendation 10 (mount points)',
  },
  {
    when: (sec) => !sec.privileged && sec.readonlyPaths.length === 0,
    level: 'medium',
    setting: 'no read-only paths',
    why: '/proc/sys, /proc/sysrq-trigger, /proc/irq, /proc/bus are writable',
    source: 'recommendation 10 (mount points)',
  },
  {
    when: (sec, lsm) => lsm && (sec.lsmLabel === null || sec.lsmLabel.startsWith('unconfined')),
    level: 'medium',
    setting: 'no AppArmor/SELinux profile',
    why: 'the host has a security module, but this container runs unconfined by it',
    source: 'recommendation 4',
  },
  {
    when: (sec) => /^0 0 /.test(sec.uidMap),
    level: 'low',
    setting: 'no user namespace remapping',
    why: 'uid 0 in the container is uid 0 on the host',
    source: 'recommendation 12 (user namespaces)',
  },
  {
    when: (sec) => !sec.noNewPrivs,
    level: 'low',
    setting: 'no-new-privileges off',
    why: 'setuid programs in the container can still raise a user to root',
    source: 'recommendation 7 (SUID binaries)',
  },
  {
    when: (sec) => !sec.readonlyRootfs,
    level: 'low',
    setting: 'writable root file system',
    why: "whoever gets in can change the container's programs (--read-only prevents it)",
    source: 'The state of container security: least privilege',
  },
];

function securityRisks(sec: SecurityView | null, hostHasLsm: boolean): RiskLine[] {
  if (sec === null) return [];
  return SECURITY_RISKS.filter((r) => r.when(sec, hostHasLsm)).map(
    ({ level, setting, why, source }) => ({ level, setting, why, source }),
  );
}

function cgroupRisks(cgroup: CgroupView | null): RiskLine[] {
  if (cgroup === null) return [];
  const lines: RiskLine[] = [];
  if (cgroup.memory.limit === null)
    lines.push({
      level: 'medium',
      setting: 'no memory limit',
      why: "one container can exhaust the host's memory",
      source: 'recommendation 6 (cgroups)',
    });
  if (cgroup.pids.limit === null)
    lines.push({
      level: 'medium',
      setting: 'no pids limit',
      why: "a fork bomb reaches the host's process table",
      source: 'recommendation 6 (cgroups)',
    });
  return lines;
}

const ORDER = { high: 0, medium: 1, low: 2 } as const;

export function riskLines(
  parts: {
    namespaces: NamespaceRow[];
    capabilities: CapabilityView | null;
    security: SecurityView | null;
    cgroup: CgroupView | null;
  },
  hostHasLsm: boolean,
): RiskLine[] {
  return [
    ...securityRisks(parts.security, hostHasLsm),
    ...namespaceRisks(parts.namespaces),
    ...capabilityRisks(parts.capabilities),
    ...exposureRisks(parts.security?.exposures ?? []),
    ...cgroupRisks(parts.cgroup),
  ].sort((a, b) => ORDER[a.level] - ORDER[b.level]);
}
