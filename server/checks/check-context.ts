// The evidence a check may read. Everything here comes from the host side or from a probe
// the server runs itself; nothing comes from what the learner's terminal printed.
import type Dockerode from 'dockerode';

export type NamespaceKind = 'uts' | 'pid' | 'net' | 'ipc' | 'mnt' | 'user' | 'cgroup';

export interface ProbeResult {
  exitCode: number;
  stdout: string;
}

export interface ContainerEvidence {
  inspect(): Promise<Dockerode.ContainerInspectInfo>;
  /** The namespace link of the container's main process, e.g. "uts:[4026532301]". */
  namespace(kind: NamespaceKind): Promise<string>;
  /** Runs a command in the container as root, outside the learner's terminal, and returns its output. */
  probe(cmd: string[]): Promise<ProbeResult>;
  /** Reads a file the engine keeps for this container on the host (e.g. HostnamePath). */
  readEngineFile(field: 'HostnamePath' | 'HostsPath' | 'ResolvConfPath'): Promise<string>;
}

export interface HostEvidence {
  hostname(): Promise<string>;
  /** The namespace link of the server's own process: the host's, when nslab runs on the host. */
  namespace(kind: NamespaceKind): Promise<string>;
}

export interface CheckContext {
  sessionId: string;
  container(name: string): ContainerEvidence;
  host: HostEvidence;
}
