// One line per risky setting of a container, saying why it matters in the seeds' terms:
// "recommendation N" of the 17 recommendations for secure Docker deployment (seed 002), or
// the section of Docker's security documentation (seeds 000/003) that explains it. Every line
// is in both languages: one reading serves all the watchers of a session.
import { both as t } from '../catalogue/lab-text.ts';
import type {
  CapabilityView,
  CgroupView,
  HostExposure,
  NamespaceRow,
  RiskLine,
  SecurityView,
} from '../protocol/inspector-types.ts';
import { MOUNT_POINTS, securityRisks } from './security-risks.ts';

const KERNEL_NAMESPACES = t('Docker security: kernel namespaces', 'Docker 安全文档：内核命名空间');
const ATTACK_SURFACE = t(
  'Docker security: Docker daemon attack surface',
  'Docker 安全文档：Docker 守护进程的攻击面',
);
const DEVICES = t('recommendation 8 (devices)', '第 8 条建议（设备）');
const CGROUPS = t('recommendation 6 (cgroups)', '第 6 条建议（控制组）');

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
    why: t(
      "its processes see and can signal the host's processes (with SYS_PTRACE, enter them)",
      '它的进程能看见并向宿主机的进程发信号（有 SYS_PTRACE 时还能进入它们）',
    ),
    source: KERNEL_NAMESPACES,
  },
  net: {
    level: 'high',
    why: t(
      "it uses the host's network stack: every host interface and port, no iptables between",
      '它使用宿主机的网络栈：宿主机的每个网卡和端口，中间没有 iptables',
    ),
    source: t('recommendation 2 (network namespace)', '第 2 条建议（网络命名空间）'),
  },
  mnt: {
    level: 'high',
    why: t("it sees the host's mount table and files", '它能看见宿主机的挂载表和文件'),
    source: KERNEL_NAMESPACES,
  },
  ipc: {
    level: 'medium',
    why: t(
      "it can read and write the host's System V shared memory and queues",
      '它能读写宿主机的 System V 共享内存和消息队列',
    ),
    source: KERNEL_NAMESPACES,
  },
  uts: {
    level: 'low',
    why: t(
      "with CAP_SYS_ADMIN it could rename the host; it sees the host's name",
      '有 CAP_SYS_ADMIN 时它能给宿主机改名；它看到的是宿主机的主机名',
    ),
    source: KERNEL_NAMESPACES,
  },
};

function namespaceRisks(rows: NamespaceRow[]): RiskLine[] {
  return rows.flatMap((row) => {
    const risk = row.sharing === 'host' ? NAMESPACE_RISKS[row.kind] : undefined;
    return risk === undefined
      ? []
      : [
          {
            ...risk,
            setting: t(
              `${row.kind} namespace shared with the host`,
              `与宿主机共享的 ${row.kind} 命名空间`,
            ),
          },
        ];
  });
}

function capabilityRisks(caps: CapabilityView | null): RiskLine[] {
  return (caps?.added ?? []).map((name) => ({
    level: HIGH_CAPS.has(name) ? 'high' : 'medium',
    setting: t(`${name} added`, `添加了 ${name}`),
    why: t(
      `${name} is beyond Docker's default set: root in the container gets that power over the shared kernel`,
      `${name} 超出了 Docker 的默认能力集：容器里的 root 因此对共享的内核拥有这项权力`,
    ),
    source: t('recommendation 14 (capabilities)', '第 14 条建议（能力）'),
  }));
}

const EXPOSURE_RISKS: Record<HostExposure['kind'], Omit<RiskLine, 'setting'>> = {
  'docker-socket': {
    level: 'high',
    why: t(
      'whoever reaches an engine socket can start a container that mounts the host: root on that host',
      '能连上引擎套接字的人就能启动一个挂载宿主机的容器：也就是那台宿主机上的 root',
    ),
    source: t(
      'Docker security: Docker daemon attack surface; recommendation 2',
      'Docker 安全文档：Docker 守护进程的攻击面；第 2 条建议',
    ),
  },
  'host-root': {
    level: 'high',
    why: t(
      "the host's whole file system, / mounted as /host, as the documentation warns",
      '宿主机的整个文件系统：/ 挂载为 /host，正是文档所警告的',
    ),
    source: ATTACK_SURFACE,
  },
  'host-proc': {
    level: 'high',
    why: t(
      "the host's /proc: its processes and kernel settings",
      '宿主机的 /proc：它的进程和内核设置',
    ),
    source: MOUNT_POINTS,
  },
  'host-sys': {
    level: 'high',
    why: t("the host's /sys: kernel and device settings", '宿主机的 /sys：内核和设备设置'),
    source: MOUNT_POINTS,
  },
  'host-dev': {
    level: 'high',
    why: t("the host's device nodes", '宿主机的设备节点'),
    source: DEVICES,
  },
  device: {
    level: 'medium',
    why: t('a host device node the container may open', '容器可以打开的一个宿主机设备节点'),
    source: DEVICES,
  },
  bind: {
    level: 'low',
    why: t('a host directory shared with the container', '与容器共享的一个宿主机目录'),
    source: MOUNT_POINTS,
  },
};

function exposureRisks(exposures: HostExposure[]): RiskLine[] {
  return exposures.map((e) => {
    const risk = EXPOSURE_RISKS[e.kind];
    // A read-write bind of a plain directory lets the container change host files.
    const level = e.kind === 'bind' && !e.readOnly ? 'medium' : risk.level;
    // A read-only bind of a socket still lets the container connect() to it.
    const note =
      e.kind === 'docker-socket'
        ? t(' (read-only or not, it connects)', '（只读与否，都能连接）')
        : e.readOnly
          ? t(' (read-only)', '（只读）')
          : t('', '');
    return {
      ...risk,
      level,
      setting: t(
        `${e.source} at ${e.destination}${note.en}`,
        `${e.source} 挂在 ${e.destination}${note.zh}`,
      ),
    };
  });
}

function cgroupRisks(cgroup: CgroupView | null): RiskLine[] {
  if (cgroup === null) return [];
  const lines: RiskLine[] = [];
  if (cgroup.memory.limit === null)
    lines.push({
      level: 'medium',
      setting: t('no memory limit', '没有内存限制'),
      why: t("one container can exhaust the host's memory", '一个容器就能耗尽宿主机的内存'),
      source: CGROUPS,
    });
  if (cgroup.pids.limit === null)
    lines.push({
      level: 'medium',
      setting: t('no pids limit', '没有 pids 限制'),
      why: t("a fork bomb reaches the host's process table", 'fork 炸弹会波及宿主机的进程表'),
      source: CGROUPS,
    });
  return lines;
}

const ORDER = { high: 0, medium: 1, low: 2 } as const;

/**
 * Under gVisor the host's view of the container's main process is the sandbox's own process
 * (runsc-sandbox, the Sentry), not the learner's shell: measured, it shares the host's PID
 * namespace and holds SYS_ADMIN in a user namespace of its own. Lines written for a
 * container's processes ("they see the host's processes") would be false of the learner's,
 * which live inside the Sentry, so this one line replaces them.
 */
const SANDBOX_LINE: RiskLine = {
  level: 'low',
  setting: t('gVisor (--runtime=runsc)', 'gVisor（--runtime=runsc）'),
  why: t(
    "these rows are the host's view of gVisor's sandbox process (the Sentry), not of your shell: its namespaces and capabilities are its own, under its own seccomp filter, and the processes you start exist only inside it",
    '这些行是宿主机对 gVisor 沙箱进程（Sentry）的视图，而不是你的 shell 的：命名空间和能力都是它自己的，受它自己的 seccomp 过滤器约束；你启动的进程只存在于它内部',
  ),
  source: t('recommendation 16 (full virtualization)', '第 16 条建议（完全虚拟化）'),
};

export function riskLines(
  parts: {
    namespaces: NamespaceRow[];
    capabilities: CapabilityView | null;
    security: SecurityView | null;
    cgroup: CgroupView | null;
    /** The container runs under gVisor: its main process is the sandbox's (SANDBOX_LINE). */
    sandboxed?: boolean;
  },
  hostHasLsm: boolean,
): RiskLine[] {
  const processRisks =
    parts.sandboxed === true
      ? [SANDBOX_LINE]
      : [...namespaceRisks(parts.namespaces), ...capabilityRisks(parts.capabilities)];
  return [
    ...securityRisks(parts.security, hostHasLsm),
    ...processRisks,
    ...exposureRisks(parts.security?.exposures ?? []),
    ...cgroupRisks(parts.cgroup),
  ].sort((a, b) => ORDER[a.level] - ORDER[b.level]);
}
