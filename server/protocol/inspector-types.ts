// The isolation inspector's snapshot: what the server read on the host about each container
// of a session (the engine's inspect, /proc/<pid>/ of the container's init process, its cgroup
// files), typed once for the server, the page and the tests. Streamed as Server-Sent Events
// only while a page shows the panel.

import type { InEveryLang } from './lang.ts';

/** Namespace kinds the inspector reads; `time` exists only on newer kernels. */
export const INSPECTED_NAMESPACES = [
  'pid',
  'net',
  'ipc',
  'mnt',
  'uts',
  'user',
  'cgroup',
  'time',
] as const;
export type InspectedNamespace = (typeof INSPECTED_NAMESPACES)[number];

/** private: its own; host: the server's own (the host's); container: another of the session's. */
export type Sharing = 'private' | 'host' | 'container';

export interface NamespaceRow {
  kind: InspectedNamespace;
  /** readlink /proc/<pid>/ns/<kind>, e.g. "pid:[4026532301]". */
  container: string;
  /** The server's own /proc/self/ns/<kind>: the host's, as nslab runs on the host. */
  host: string;
  sharing: Sharing;
  /** With `container`: the other containers of the session in the same namespace. */
  sharedWith?: string[];
  /**
   * Docker shares it with the host by default (user without remapping, cgroup on v1 hosts,
   * time always): shared, but not because of this lab's settings.
   */
  dockerDefault: boolean;
}

export interface CapabilityView {
  /** cap_* names, decoded from /proc/<pid>/status CapEff, CapBnd and CapAmb. */
  effective: string[];
  bounding: string[];
  ambient: string[];
  /** Bounding-set capabilities beyond Docker's default set, and default ones missing. */
  added: string[];
  dropped: string[];
}

/** A mount that reaches something of the host's: its socket, root, /proc, /sys or devices. */
export interface HostExposure {
  kind: 'docker-socket' | 'host-root' | 'host-proc' | 'host-sys' | 'host-dev' | 'device' | 'bind';
  /** The host path (bind source, or device path on the host). */
  source: string;
  /** Where the container sees it. */
  destination: string;
  readOnly: boolean;
}

export interface SecurityView {
  /** /proc/<pid>/status Seccomp: 0 disabled, 1 strict, 2 filter. */
  seccomp: 'disabled' | 'strict' | 'filter' | 'unknown';
  /** Seccomp_filters, where the kernel reports it. */
  seccompFilters: number | null;
  noNewPrivs: boolean;
  /** /proc/<pid>/attr/current (AppArmor profile, SELinux context); null where no LSM labels it. */
  lsmLabel: string | null;
  /** /proc/<pid>/uid_map and gid_map, whitespace squeezed: "0 0 4294967295" is no remapping. */
  uidMap: string;
  gidMap: string;
  /** From the engine's inspect (HostConfig). */
  privileged: boolean;
  readonlyRootfs: boolean;
  maskedPaths: string[];
  readonlyPaths: string[];
  exposures: HostExposure[];
}

export interface CgroupView {
  version: 1 | 2;
  /** Bytes; limit null when unlimited. */
  memory: { usage: number | null; limit: number | null };
  pids: { current: number | null; limit: number | null };
  /** CPU time used (ns), the quota in CPUs (null: none), and CFS periods throttled. */
  cpu: {
    usageNs: number | null;
    cpus: number | null;
    periods: number | null;
    throttled: number | null;
  };
  /** Bytes read and written to block devices, as the cgroup counted them. */
  io: { readBytes: number | null; writeBytes: number | null };
  /** Processes the kernel's OOM killer killed in this cgroup. */
  oomKills: number | null;
}

export type RiskLevel = 'high' | 'medium' | 'low';

/** One risky setting, and why it matters in the seeds' terms. */
/** In every language: one reading serves every watcher of a session (see InEveryLang). */
export interface RiskLine {
  level: RiskLevel;
  setting: InEveryLang;
  why: InEveryLang;
  /** Where the seeds say so: "recommendation 14", "Docker security: kernel namespaces". */
  source: InEveryLang;
}

export interface ContainerInspection {
  /** The container's name in the lab (the terminal tab's name). */
  name: string;
  title: string;
  running: boolean;
  /** The init process's host PID (State.Pid). */
  pid: number | null;
  namespaces: NamespaceRow[];
  capabilities: CapabilityView | null;
  security: SecurityView | null;
  cgroup: CgroupView | null;
  risks: RiskLine[];
  /** Why some of the above could not be read (the container stopped, a file vanished). */
  error?: string;
}

export interface InspectorSnapshot {
  sessionId: string;
  /** Server time of the reading (epoch ms). */
  at: number;
  containers: ContainerInspection[];
}

/** The SSE event name that carries a snapshot. */
export const INSPECTOR_EVENT = 'inspection';
/** How often the server reads while a page shows the panel. */
export const INSPECTOR_INTERVAL_MS = 1_000;
