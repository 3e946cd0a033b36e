// The words for what the server read on the host: the inspector's facts, the side-by-side
// comparison's rows and values, and the control room's preflight states. Kept apart from en.ts/zh.ts (which hold the rest of the page) and typed
// the same way: `zh` has en's type, so a missing word does not compile. Kernel and Docker
// names (seccomp, no-new-privileges, uid_map, capability names) stay as the kernel spells them.
import type { PreflightStatus } from '../../../server/protocol/api-types.ts';
import type { Lang } from '../../../server/protocol/lang.ts';

const en = {
  yes: 'yes',
  no: 'no',
  on: 'on',
  off: 'off',
  none: 'none',
  noLimit: 'no limit',
  readOnly: 'read-only',
  writable: 'writable',
  noLsm: 'none (no AppArmor/SELinux on this host)',
  filters: (n: number) => `, ${n} filter(s)`,
  of: (used: string, limit: string) => `${used} of ${limit}`,
  lsmLabel: 'LSM label',
  rootFs: 'root file system',
  maskedPaths: 'masked paths',
  readonlyPaths: 'read-only paths',
  memory: 'memory',
  oomKills: 'OOM kills',
  pids: 'pids',
  cpu: 'CPU',
  cpuValue: (percent: string, quota: string) => `${percent} of one CPU; quota ${quota}`,
  throttled: 'throttled',
  throttledValue: (throttled: string, periods: string) => `${throttled} of ${periods} periods`,
  blockIo: 'block I/O',
  blockIoValue: (read: string, written: string) => `read ${read}, written ${written}`,
  namespaceHead: ['namespace', 'container', 'host', 'sharing'],
  // The comparison's rows and values
  risks: 'risks',
  namespaceRow: (kind: string) => `${kind} namespace`,
  private: 'private',
  sharedWith: (names: string) => `shared with ${names}`,
  sharedWithHostDefault: "shared with host (Docker's default)",
  sharedWithHost: 'SHARED WITH HOST',
  capsBounding: 'capabilities (bounding)',
  capsEffective: 'capabilities (effective)',
  rootFsShort: 'root fs',
  hostMounts: 'host mounts',
  preflightStatus: {
    waiting: 'waiting',
    running: 'running',
    ready: 'ready',
    failing: 'failing',
    unavailable: 'unavailable',
  } as Readonly<Record<PreflightStatus, string>>,
};

export type HostWords = typeof en;

const zh: HostWords = {
  yes: '是',
  no: '否',
  on: '开',
  off: '关',
  none: '无',
  noLimit: '不限',
  readOnly: '只读',
  writable: '可写',
  noLsm: '无（这台主机没有 AppArmor/SELinux）',
  filters: (n) => `，${n} 个过滤器`,
  of: (used, limit) => `${used} / ${limit}`,
  lsmLabel: 'LSM 标签',
  rootFs: '根文件系统',
  maskedPaths: '被屏蔽的路径',
  readonlyPaths: '只读路径',
  memory: '内存',
  oomKills: 'OOM 杀死次数',
  pids: '进程数（pids）',
  cpu: 'CPU',
  cpuValue: (percent, quota) => `一个 CPU 的 ${percent}；配额 ${quota}`,
  throttled: '被节流',
  throttledValue: (throttled, periods) => `${periods} 个周期中有 ${throttled} 个`,
  blockIo: '块 I/O',
  blockIoValue: (read, written) => `读 ${read}，写 ${written}`,
  namespaceHead: ['命名空间', '容器', '宿主机', '共享情况'],
  risks: '风险',
  namespaceRow: (kind) => `${kind} 命名空间`,
  private: '私有',
  sharedWith: (names) => `与 ${names} 共享`,
  sharedWithHostDefault: '与宿主机共享（Docker 的默认）',
  sharedWithHost: '与宿主机共享！',
  capsBounding: '能力（bounding 集）',
  capsEffective: '能力（effective 集）',
  rootFsShort: '根文件系统',
  hostMounts: '主机挂载',
  preflightStatus: {
    waiting: '等待中',
    running: '运行中',
    ready: '就绪',
    failing: '失败',
    unavailable: '不可用',
  },
};

/** Both languages, for the unit test that holds them to the same keys and different words. */
export const HOST_WORDS: Readonly<Record<Lang, HostWords>> = { en, zh };
