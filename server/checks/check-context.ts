// The evidence a check may read. Everything here comes from the host side or from a probe
// the server runs itself; nothing comes from what the learner's terminal printed.
import type Dockerode from 'dockerode';
import type { ProbeResult, RootfsChange } from '../docker/container-client.ts';
import type { EngineFacts } from '../host/host-facts.ts';
import type { HostFileInfo } from '../host/session-files.ts';

/** How a probe exited and what it printed; what differs from the image (`docker diff`). */
export type { ProbeResult, RootfsChange } from '../docker/container-client.ts';

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

export interface ContainerEvidence {
  inspect(): Promise<Dockerode.ContainerInspectInfo>;
  /** The namespace link of the container's main process, e.g. "uts:[4026532301]". */
  namespace(kind: NamespaceKind): Promise<string>;
  /** Runs a command in the container as root, outside the learner's terminal, and returns its output. */
  probe(cmd: string[]): Promise<ProbeResult>;
  /** Reads a file the engine keeps for this container on the host (e.g. HostnamePath). */
  readEngineFile(field: 'HostnamePath' | 'HostsPath' | 'ResolvConfPath'): Promise<string>;
  /**
   * Reads one of the container's cgroup files from the host, e.g. ('memory', 'memory.failcnt')
   * on v1 or ('memory', 'memory.events') on v2. The path comes from /proc/<pid>/cgroup.
   */
  cgroupFile(controller: CgroupController, file: string): Promise<string>;
  /** The container's live processes, read from the host's /proc. */
  processes(): Promise<HostProcess[]>;
  /** What was written to the container's own layer (the overlay upperdir on the host): `docker diff`. */
  changes(): Promise<RootfsChange[]>;
}

export interface HostEvidence {
  hostname(): Promise<string>;
  /** The namespace link of the server's own process: the host's, when nslab runs on the host. */
  namespace(kind: NamespaceKind): Promise<string>;
  /** What the engine and kernel offer (cgroup version, AppArmor, ...). */
  facts: EngineFacts;
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
