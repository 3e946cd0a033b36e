// What a lab is, as data. Lab modules in labs/ export one LabDefinition each; only these
// vetted definitions ever reach Docker, never a parameter from the client.
import type { CheckContext } from '../checks/check-context.ts';
import type { EngineSpec } from '../docker/engine-spec.ts';
import type { EngineFacts } from '../host/host-facts.ts';
import type { HostDiskSpec } from '../host/host-disk.ts';
import type { HostFile } from '../host/session-files.ts';
import type { Capability } from '../host/capabilities.ts';
import type { LabText, Localized } from './lab-text.ts';

/** Learner-facing text: a plain string, or both languages (see lab-text.ts). */
export type { LabText, Localized } from './lab-text.ts';
import type { PlaygroundRequest } from '../protocol/playground-types.ts';

/** Linux capabilities a lab may add or drop, in Docker's spelling (without CAP_); see capabilities.ts. */
export { CAPABILITIES, type Capability } from '../host/capabilities.ts';

/** A seccomp profile shipped with a lab: `name` is what the lesson shows, `json` what Docker gets. */
export interface SeccompProfile {
  name: string;
  json: string;
}

/** Refers to another container of the same lab (for `--ipc container:x`, `--pid container:x`). */
export interface PeerRef {
  container: string;
}

/** Refers to a network the lab defines; the session creates it and removes it. */
export interface NetworkRef {
  network: string;
}

/**
 * One container of a lab, in Docker's own terms. Resource limits are optional here because
 * the platform always applies its own defaults and ceilings (see container-plan.ts).
 */
export interface ContainerProfile {
  /** Name within the lab ("isolated", "host-uts"); the terminal tab and WebSocket path use it. */
  name: string;
  title: LabText;
  /** False for helper containers the learner does not type into (a planted process, a server). */
  terminal?: boolean;
  /** The main process; `{{token}}` becomes the session's secret token. Default: `sleep infinity`. */
  command?: string[];
  hostname?: string;
  user?: string;
  utsMode?: 'host';
  pidMode?: 'host' | PeerRef;
  /** 'host' only in the profile playground, in solo mode (playground-profile.ts). */
  ipcMode?: 'private' | 'shareable' | 'host' | PeerRef;
  networkMode?: 'none' | 'bridge' | 'host' | NetworkRef;
  capAdd?: Capability[];
  capDrop?: Capability[];
  securityOpt?: ('no-new-privileges' | 'seccomp=unconfined' | 'apparmor=unconfined')[];
  seccompProfile?: SeccompProfile;
  sysctls?: Record<string, string>;
  readonlyRootfs?: boolean;
  /** Mount point -> tmpfs options, e.g. { '/tmp': 'rw,size=16m' }. */
  tmpfs?: Record<string, string>;
  /**
   * Which Docker engine runs this container: the main one, or the second engine with
   * user-namespace remapping (server/setup/userns-engine.sh) that only the user lab uses.
   */
  engine?: 'default' | 'userns';
  /**
   * `--runtime`: 'runsc' runs the container under gVisor, whose user-space kernel (the
   * Sentry) answers its system calls instead of the host's. Only where the engine has a
   * runtime of that name (the lab's `unavailable` says so), with no network (validate-lab.ts).
   */
  runtime?: 'runsc';
  /**
   * Parts of the session's host directory (planted by LabDefinition.hostFiles) bind-mounted
   * into this container; `source` is relative to that directory. Never any other host path.
   */
  sessionDirMounts?: { source: string; target: string; readOnly?: boolean }[];
  /**
   * `--cgroupns`: 'host' shares the host's cgroup namespace (Docker's default on cgroup v1
   * hosts; on v2 the default is 'private'). A new cgroup v1 hierarchy can only be created
   * from the host's cgroup namespace, so the release_agent escape lab asks for 'host'.
   */
  cgroupnsMode?: 'host' | 'private';
  /**
   * Bind-mounts the socket of the session's own throwaway Docker engine (see
   * LabDefinition.sessionEngines, the one named SOCKET_ENGINE) at this path. Escape labs
   * only; never the server's engine.
   */
  sessionEngineSocket?: string;
  /**
   * Passes the session's own disk (LabDefinition.hostDisk, a loop device) into this
   * container at this path, with `--device`. Escape labs only; never a real host disk.
   */
  hostDisk?: string;
  /**
   * Made only for this exercise, and only where it is available (exerciseUnavailable in
   * availability.ts): elsewhere the session has no such container and its lesson tags render
   * as nothing. Outside escape labs this is the one way to add SYS_ADMIN (or to combine
   * apparmor=unconfined with added capabilities), and such an exercise runs in solo mode only.
   */
  onlyFor?: string;
  /** Session volumes (declared in LabDefinition.volumes) mounted into this container. */
  volumes?: { volume: string; target: string; readOnly?: boolean }[];
  memoryMb?: number;
  pidsLimit?: number;
  cpus?: number;
  cpusetCpus?: string;
  /** Throttles direct writes to the disk that holds Docker's data (resolved on the host). */
  blkioWriteBps?: number;
  /**
   * Limits each session gets its own of, chosen from the session token (session-choices.ts),
   * so that an answer read from them differs between learners. Each replaces the fixed value
   * of the same name; the lesson's {{docker-run:...}} shows the session's own.
   */
  perSession?: PerSessionLimits;
}

/** Per-session choices for a container's limits (ContainerProfile.perSession). */
export interface PerSessionLimits {
  /** Memory limits in MiB, one of which the session gets. */
  memoryMb?: readonly number[];
  /** Write limits on the data disk in bytes per second, one of which the session gets. */
  blkioWriteBps?: readonly number[];
  /** Pins the container to one of the host's online CPUs, chosen per session (--cpuset-cpus). */
  oneCpu?: boolean;
}

/** The engine a container's `sessionEngineSocket` mounts (defined by the engine layer). */
export { SOCKET_ENGINE } from '../docker/engine-spec.ts';

/** One of a lab's own throwaway engines (LabDefinition.sessionEngines); see docker/engine-spec.ts. */
export type SessionEngineSpec = EngineSpec;

export interface LabNetwork {
  name: string;
  /** False creates the network with com.docker.network.bridge.enable_icc=false. */
  icc?: boolean;
}

/** What a lab's set-up step may do before the learner arrives. */
export interface SetupContext {
  sessionToken: string;
  /** Whether this session has that container (one made onlyFor an exercise may be absent). */
  has(container: string): boolean;
  /** Runs a command as root in one of the lab's containers, outside any terminal. */
  exec(container: string, cmd: string[]): Promise<{ exitCode: number; stdout: string }>;
  /**
   * Writes a root-owned file of mode 0600 at `path` in one of the lab's containers from the
   * host's side. A per-session secret goes this way and never onto a command line: any
   * process on the host (a learner's --pid=host shell included) can read every command line.
   */
  putFile(container: string, path: string, content: string): Promise<void>;
}

export type CheckOutcome =
  | { passed: true; reason: Localized }
  /** `hint` is the index of the hint that fits what is wrong. */
  | { passed: false; reason: Localized; hint: number };

/** What `verify` types into a terminal, as a learner would. */
export interface TypedStep {
  terminal: string;
  input: string;
  /** For answer exercises: the answer is read from the command's output with this pattern's first group. */
  capture?: RegExp;
  playground?: undefined;
}

/**
 * What the page's Start does in a profile playground (LabDefinition.playground): `verify`
 * posts this profile to the playground API, as a learner's form would, instead of typing.
 * `terminal` names the playground's container.
 */
export interface PlaygroundStep {
  terminal: string;
  playground: PlaygroundRequest;
  input?: undefined;
  capture?: undefined;
}

export type SolutionStep = TypedStep | PlaygroundStep;

/**
 * A profile playground: the learner composes a profile from vetted options
 * (server/playground/playground-profile.ts) and each one started replaces `container`. The
 * lab's own profile of that container is the first one, and must itself be one the form
 * could compose (validate-lab.ts).
 */
export interface PlaygroundSpec {
  container: string;
  /** The labs' own seccomp profiles the form offers beside Docker's default. */
  seccompProfiles: readonly SeccompProfile[];
}

export interface Exercise {
  id: string;
  title: LabText;
  /** One sentence stating the outcome, not the keystrokes. */
  goal: LabText;
  answer?: { label: LabText; placeholder: LabText };
  /** Ordered from conceptual to concrete. */
  hints: LabText[];
  check: (ctx: CheckContext, answer: string | undefined) => Promise<CheckOutcome>;
  solution: SolutionStep[];
  /**
   * How a learner might try to fake the outcome from inside the container (echo the expected
   * text, create the expected file). `verify` types these on the fresh session, before the
   * solution, and requires the check to still fail. A capture step submits its answer.
   */
  cheat?: SolutionStep[];
  /**
   * The check samples something happening now (a busy loop being throttled) rather than a
   * trace left behind, so it can only pass while the learner's command runs. `verify` checks
   * it right after its solution and does not re-check it at the end of the lab.
   */
  momentary?: boolean;
  /**
   * Why this exercise cannot run on this host (a kernel feature it shows is missing), or
   * undefined when it can. The rest of the lab still runs; the page shows the reason in
   * place of the Check button, and `verify` reports the exercise as unavailable.
   */
  unavailable?: (facts: EngineFacts) => Localized | undefined;
}

export interface LabDefinition {
  id: string;
  title: LabText;
  topic: string;
  summary: LabText;
  /** About how long the lab takes, in minutes: the catalogue's path shows it. */
  minutes: number;
  /** What the learner takes away, one sentence each: the lab's last card, once all is passed. */
  learned: readonly LabText[];
  /** File name in content/ holding the lesson's markdown; its translation is content/zh/<same name>. */
  lesson: string;
  containers: ContainerProfile[];
  /**
   * Two containers (with terminals) the page may show side by side, each with its inspector
   * column, typed into together and with their differences marked: two profiles compared.
   */
  sideBySide?: readonly [string, string];
  networks?: LabNetwork[];
  /**
   * Files and directories the server plants in the session's own host directory before the
   * containers start (a host-only secret, a drop box); removed with the session.
   * `content` may contain {{token}}.
   */
  hostFiles?: HostFile[];
  /** Named volumes created for each session and removed with it. */
  volumes?: string[];
  /**
   * An escape lab: its containers are weakened on purpose so that root inside becomes root on
   * the host (solo mode's throwaway VM is the boundary). Only escape labs may add SYS_ADMIN,
   * SYS_PTRACE or ALL, combine --pid=host or apparmor=unconfined with added capabilities, or
   * mount a session engine's socket; their containers get no network (validate-lab.ts). The
   * one exception elsewhere is a container made for a solo-only exercise (ContainerProfile.onlyFor).
   */
  escape?: boolean;
  /**
   * Throwaway Docker engines started for each session (server/docker/session-engine.ts): their
   * own data, mount and PID namespaces, removed with the session. Escape labs only.
   */
  sessionEngines?: readonly SessionEngineSpec[];
  /**
   * How an escape lab runs in workshop mode (one VM, many learners), where an escape must land
   * on a host that belongs to one learner alone. Unset: solo mode only (it gives the VM's root).
   * - 'seat-engine': its engine named SOCKET_ENGINE is the learner's seat engine, a rootless
   *   dockerd running as the seat's own Unix user, who also owns the session's files.
   * - 'own-files': the escape reaches only this session's directory (a bind mount).
   */
  workshop?: 'seat-engine' | 'own-files';
  /** The lab is a profile playground around one of its containers (PlaygroundSpec). */
  playground?: PlaygroundSpec;
  /** A small ext4 disk image per session, on a loop device: the privileged lab's "host disk". */
  hostDisk?: HostDiskSpec;
  /** Why this lab cannot run on this host, or undefined when it can (a preflight result). */
  unavailable?: (facts: EngineFacts) => Localized | undefined;
  /** Runs once after the containers start, before the learner's first keystroke. */
  setup?: (ctx: SetupContext) => Promise<void>;
  exercises: Exercise[];
}
