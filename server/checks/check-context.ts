// The evidence a check may read. Everything here comes from the host side: the engine, the
// kernel's files under the host's /proc and /sys, the host's own programs entered into one
// namespace, the container's files seen through /proc/<pid>/root. Nothing comes from what the
// learner's terminal printed. `probe` alone runs a program inside the container, where the
// learner may be root: it is no proof of anything and is kept only for labs not yet moved.
import type Dockerode from 'dockerode';
import type { RootfsChange } from '../docker/container-client.ts';
import type { EngineFacts } from '../host/host-facts.ts';
import type { HostFileInfo } from '../host/session-files.ts';
import type { SandboxProcess } from './sandbox-view.ts';

/** How a probe exited and what it printed; what differs from the image (`docker diff`). */
export type { RootfsChange } from '../docker/container-client.ts';
export type { SandboxProcess } from './sandbox-view.ts';

export type NamespaceKind = 'uts' | 'pid' | 'net' | 'ipc' | 'mnt' | 'user' | 'cgroup';
/** cgroup v1 controllers labs read; on cgroup v2 there is one unified hierarchy. */
export type CgroupController = 'memory' | 'pids' | 'cpu' | 'cpuacct' | 'blkio' | 'devices';

/** A process of the container as the host sees it. */
export interface HostProcess {
  /** PID in the host's PID namespace. */
  pid: number;
  cmdline: string;
  /** Fields of /proc/<pid>/status (Name, Uid, CapEff, NoNewPrivs, Seccomp, ...). */
  status: Record<string, string>;
  /** The program it runs (/proc/<pid>/exe), as a path in the container's mount namespace. */
  exe?: string;
  /** Its own namespace links (/proc/<pid>/ns/*), which may differ from the main process's. */
  namespaces?: Partial<Record<NamespaceKind, string>>;
  /**
   * Its LSM label from /proc/<pid>/attr/current ("docker-default (enforce)" under AppArmor, an
   * SELinux context); absent when no security module gives processes a label.
   */
  securityLabel?: string;
}

export type ContainerFileType = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo' | 'socket';

/** A file of the container as the host's lstat sees it. */
export interface ContainerFile {
  /** Its path in the container, with symlinks in its directories resolved inside the container's root. */
  path: string;
  type: ContainerFileType;
  /** Permission bits with setuid, setgid and sticky (st_mode & 07777). */
  mode: number;
  /** Owner and group as numbers on the host (the container's own, unless remapped). */
  uid: number;
  gid: number;
  size: number;
  /** 512-byte blocks really stored (a sparse file claims a size and stores little). */
  blocks: number;
  /** The file system it lives on (st_dev). */
  dev: number;
  /** For device nodes: the device it names. */
  device?: { major: number; minor: number };
}

export interface WalkOptions {
  /** Only entries of these types are returned (directories are walked either way). */
  types?: readonly ContainerFileType[];
  /** The most entries the walk visits before it gives up with an error. */
  limit?: number;
}

/** Tables of the container's network namespace in /proc/<pid>/net, read on the host. */
export type NetTable = 'snmp' | 'arp' | 'dev' | 'tcp' | 'tcp6' | 'udp' | 'udp6' | 'netstat';

export interface ContainerEvidence {
  inspect(): Promise<Dockerode.ContainerInspectInfo>;
  /** The namespace link of the container's main process, e.g. "uts:[4026532301]". */
  namespace(kind: NamespaceKind): Promise<string>;
  /**
   * lstat of a path in the container, through the host's /proc/<pid>/root: symlinks in its
   * directories are resolved inside the container's root, never out of it; the last component
   * is not followed. Undefined when the path does not exist.
   */
  stat(path: string): Promise<ContainerFile | undefined>;
  /** A regular file's text, read the same way (its last 4 MiB); undefined when there is none. */
  readFile(path: string): Promise<string | undefined>;
  /** Entries below a directory on its own file system (find -xdev), read the same way. */
  walk(path: string, options?: WalkOptions): Promise<ContainerFile[]>;
  /** /proc/<pid>/mountinfo of the container's main process: its mount namespace's table. */
  mountinfo(): Promise<string>;
  /** /proc/<pid>/net/<table> of the container's main process: its network namespace's table. */
  netTable(table: NetTable): Promise<string>;
  /** `ip -o link` of the container's network namespace, by the host's ip entered into it alone. */
  netLinks(): Promise<string>;
  /** A sysctl of the container's network namespace ("ipv4/ping_group_range"), read the same way. */
  netSysctl(name: string): Promise<string>;
  /** /proc/sysvipc/<kind> of the container's IPC namespace, by the host's cat entered into it alone. */
  sysvIpc(kind: 'shm' | 'msg' | 'sem'): Promise<string>;
  /** Reads a file the engine keeps for this container on the host (e.g. HostnamePath). */
  readEngineFile(field: 'HostnamePath' | 'HostsPath' | 'ResolvConfPath'): Promise<string>;
  /**
   * Reads one of the container's cgroup files from the host, e.g. ('memory', 'memory.failcnt')
   * on v1 or ('memory', 'memory.events') on v2. The path comes from /proc/<pid>/cgroup.
   */
  cgroupFile(controller: CgroupController, file: string): Promise<string>;
  /** The container's live processes, read from the host's /proc. */
  processes(): Promise<HostProcess[]>;
  /**
   * For a container under gVisor (--runtime=runsc): the processes its Sentry runs, as
   * `runsc ps` lists them on the host. Throws for any other container.
   */
  sandboxProcesses(): Promise<SandboxProcess[]>;
  /** What was written to the container's own layer (the overlay upperdir on the host): `docker diff`. */
  changes(): Promise<RootfsChange[]>;
  /** What its PID 1 wrote to stdout and stderr, as the engine's log driver kept it on the host. */
  logs(): Promise<string>;
}

export interface HostEvidence {
  hostname(): Promise<string>;
  /** The namespace link of the server's own process: the host's, when nslab runs on the host. */
  namespace(kind: NamespaceKind): Promise<string>;
  /** Every host process whose name or command line contains `text`: the host's whole /proc. */
  processesCarrying(text: string): Promise<HostProcess[]>;
  /** What the engine and kernel offer (cgroup version, AppArmor, ...). */
  facts: EngineFacts;
  /**
   * The kernel's log: the text of each /dev/kmsg record the kernel still holds, oldest first,
   * one line each with its escapes kept (host/kernel-log.ts says why not dmesg's output).
   */
  kernelLog(): Promise<string[]>;
}

/** The session's own host directory, as the host sees it (owners are host uids). */
export interface SessionFileEvidence {
  list(relative: string): Promise<HostFileInfo[]>;
  read(relative: string): Promise<string>;
}

/** One of the session's throwaway Docker engines (LabDefinition.sessionEngines), asked by the server. */
export interface SessionEngineEvidence {
  /** Every container on that engine, running or not, as the engine inspects it. */
  containers(): Promise<Dockerode.ContainerInspectInfo[]>;
  /** What the engine says about itself (GET /info), asked over its Unix socket. */
  info(): Promise<{ ID: string; DockerRootDir: string }>;
  /** dockerd's own log, read on the host (refused TLS handshakes are logged there). */
  log(): Promise<string>;
}

export interface CheckContext {
  sessionId: string;
  sessionFiles: SessionFileEvidence;
  /** The session's secret token (planted by labs that hide something to find). */
  sessionToken: string;
  container(name: string): ContainerEvidence;
  host: HostEvidence;
  /** One of the lab's session engines, by name; throws for a name the lab does not start. */
  sessionEngine(name: string): SessionEngineEvidence;
}
