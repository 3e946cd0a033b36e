// The profile playground's protocol, typed once for the server, the page and `verify`: the
// vetted options a learner composes a profile from, the request that carries them, and what
// the server answers (the profile's `docker run`, its docker-bench score, the probes). The
// option lists are `as const` arrays, so the parser and the form share one allowlist.
import { DOCKER_DEFAULT_CAPABILITIES } from '../host/capabilities.ts';

/** Namespaces a profile may share with the host. The user namespace is engine-wide (userns-remap), never per container here. */
export const SHAREABLE_NAMESPACES = ['pid', 'net', 'ipc', 'uts'] as const;
export type ShareableNamespace = (typeof SHAREABLE_NAMESPACES)[number];

/** Docker's default capability set (host/capabilities.ts): a profile drops these by name, or ALL. */
export const DEFAULT_CAPABILITIES = DOCKER_DEFAULT_CAPABILITIES;
export const DROPPABLE_CAPABILITIES = ['ALL', ...DEFAULT_CAPABILITIES] as const;
export type DroppableCapability = (typeof DROPPABLE_CAPABILITIES)[number];

/** The short list a profile may add back (after a drop) or add beyond Docker's default. */
export const ADDABLE_CAPABILITIES = [
  'CHOWN',
  'NET_RAW',
  'NET_BIND_SERVICE',
  'SYS_PTRACE',
  'SYS_ADMIN',
] as const;
export type AddableCapability = (typeof ADDABLE_CAPABILITIES)[number];

/** Seccomp: Docker's default filter, none at all, or one of the labs' own profiles by file name. */
export const SECCOMP_DEFAULT = 'default';
export const SECCOMP_UNCONFINED = 'unconfined';

/**
 * Escape-prone options: the ones the escape labs use to reach the host (--pid=host with
 * SYS_PTRACE, SYS_ADMIN's mounts, no seccomp), or that join what every learner of a workshop
 * shares (the host's network and SysV IPC). Solo mode only: there the VM is the learner's own.
 */
export const SOLO_ONLY = {
  share: ['pid', 'net', 'ipc'],
  capAdd: ['SYS_PTRACE', 'SYS_ADMIN'],
  seccomp: [SECCOMP_UNCONFINED],
} as const satisfies {
  share: readonly ShareableNamespace[];
  capAdd: readonly AddableCapability[];
  seccomp: readonly string[];
};

/** Who the container's processes run as: root, or nobody (65534:65534). */
export const PLAYGROUND_USERS = ['root', 'nobody'] as const;
export type PlaygroundUser = (typeof PLAYGROUND_USERS)[number];

/** Limits a profile may choose, inclusive; the page's inputs use the same bounds. */
export const PLAYGROUND_LIMITS = {
  memoryMb: { min: 16, max: 256, step: 1 },
  pidsLimit: { min: 16, max: 512, step: 1 },
  cpus: { min: 0.1, max: 1, step: 0.05 },
} as const;

/** What POST /api/sessions/:id/playground accepts: exactly these fields, each one required. */
export interface PlaygroundRequest {
  /** Namespaces shared with the host (--pid=host, --network=host, --ipc=host, --uts=host). */
  share: ShareableNamespace[];
  capDrop: DroppableCapability[];
  capAdd: AddableCapability[];
  /** --read-only, with a 16 MiB tmpfs on /tmp so programs still have somewhere to write. */
  readOnly: boolean;
  noNewPrivileges: boolean;
  /** SECCOMP_DEFAULT, SECCOMP_UNCONFINED or one of PlaygroundView.seccompProfiles. */
  seccomp: string;
  user: PlaygroundUser;
  memoryMb: number;
  pidsLimit: number;
  cpus: number;
}

export const PLAYGROUND_FIELDS = [
  'share',
  'capDrop',
  'capAdd',
  'readOnly',
  'noNewPrivileges',
  'seccomp',
  'user',
  'memoryMb',
  'pidsLimit',
  'cpus',
] as const satisfies readonly (keyof PlaygroundRequest)[];

/** docker-bench-security's section 5 (container runtime), in its own numbering. */
export interface BenchFinding {
  /** "5.13" */
  id: string;
  /** docker-bench's own title of the check. */
  title: string;
  /** na: the playground cannot set what the check looks at, or docker-bench asks a person. */
  result: 'pass' | 'warn' | 'info' | 'na';
  /** One line: what the engine's inspect showed and why it matters, in the seeds' terms. */
  explanation: string;
}

export interface BenchScore {
  /** Checks that apply and passed, of those that apply. */
  passed: number;
  applicable: number;
  findings: BenchFinding[];
}

export const PROBE_IDS = ['mount', 'raw-socket', 'chown', 'host-processes', 'write-root'] as const;
export type ProbeId = (typeof PROBE_IDS)[number];

export interface ProbeResultView {
  probe: ProbeId;
  /** What the probe tried, in words (in the request's language), and the fixed command the server ran. */
  title: string;
  command: string;
  /** Whether what the probe tried happened. */
  outcome: 'succeeded' | 'blocked';
  /** What it printed (the last lines, trimmed). */
  output: string;
  /** Which setting of the profile stopped it, or why nslab cannot tell. */
  stoppedBy: string;
}

/** GET or POST .../playground: the profile running now, as the server vetted and applied it. */
export interface PlaygroundView {
  profile: PlaygroundRequest;
  /** The exact command for it (the same renderer as the lessons' {{docker-run:...}}). */
  dockerRun: string;
  score: BenchScore;
  /** The labs' own seccomp profiles this playground offers, by file name. */
  seccompProfiles: string[];
  /** solo, or workshop: the SOLO_ONLY options are refused in a workshop. */
  mode: 'solo' | 'workshop';
}
