// What a lab is, as data. Lab modules in labs/ export one LabDefinition each; only these
// vetted definitions ever reach Docker, never a parameter from the client.
import type { CheckContext } from '../checks/check-context.ts';

/** Linux capabilities a lab may add or drop, in Docker's spelling (without CAP_). */
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
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/**
 * One container of a lab, in Docker's own terms. Resource limits are optional here because
 * the platform always applies its own defaults and ceilings (see container-plan.ts).
 */
export interface ContainerProfile {
  /** Name within the lab ("isolated", "host-uts"); the terminal tab and WebSocket path use it. */
  name: string;
  title: string;
  hostname?: string;
  utsMode?: 'host';
  pidMode?: 'host';
  ipcMode?: 'private' | 'shareable';
  networkMode?: 'none' | 'bridge';
  capAdd?: Capability[];
  capDrop?: Capability[];
  securityOpt?: ('no-new-privileges' | 'seccomp=unconfined')[];
  readonlyRootfs?: boolean;
  memoryMb?: number;
  pidsLimit?: number;
  cpus?: number;
}

export type CheckOutcome =
  | { passed: true; reason: string }
  /** `hint` is the index of the hint that fits what is wrong. */
  | { passed: false; reason: string; hint: number };

/** What `verify` types into a terminal, as a learner would. */
export interface SolutionStep {
  terminal: string;
  input: string;
  /** For answer exercises: the answer is read from the command's output with this pattern's first group. */
  capture?: RegExp;
}

export interface Exercise {
  id: string;
  title: string;
  /** One sentence stating the outcome, not the keystrokes. */
  goal: string;
  answer?: { label: string; placeholder: string };
  /** Ordered from conceptual to concrete. */
  hints: string[];
  check: (ctx: CheckContext, answer: string | undefined) => Promise<CheckOutcome>;
  solution: SolutionStep[];
}

export interface LabDefinition {
  id: string;
  title: string;
  topic: string;
  summary: string;
  minutes: number;
  /** File name in content/ holding the lesson's markdown. */
  lesson: string;
  containers: ContainerProfile[];
  exercises: Exercise[];
}
