// What a fuzz run reports, the options it takes, and what every group of cases shares.
import type { TerminalAuth } from '../../server/protocol/api-client.ts';
import type { ServerProcess } from '../support/server-process.ts';
import type { Summary } from '../load/stats.ts';

export interface FuzzCase {
  name: string;
  expected: string;
  observed: string;
  ok: boolean;
}

export interface FrameStats {
  sent: number;
  connections: number;
  byKind: Record<string, number>;
  expectedErrors: number;
  receivedErrors: number;
  expectedPongs: number;
  receivedPongs: number;
  shellExits: number;
  unexpectedCloses: string[];
  ms: number;
}

export interface FuzzReport {
  seed: number;
  frames: FrameStats;
  cases: FuzzCase[];
  bystander: { probes: number; failures: string[]; baseline: Summary; during: Summary };
  serverAlive: boolean;
  serverErrorLines: string[];
  notes: string[];
  problems: string[];
}

export interface FuzzOptions {
  frames?: number;
  seed?: number;
  /** Frames per connection: under the per-connection burst (2000) so only the burst test trips 1008. */
  framesPerConnection?: number;
  onProgress?: (line: string) => void;
}

export type Check = (name: string, expected: string, observed: string, ok: boolean) => void;

/** What every group of cases needs: the server, the attacker's session and where to report. */
export interface FuzzContext {
  server: ServerProcess;
  seed: number;
  check: Check;
  notes: string[];
  auth: TerminalAuth;
  /** The attacker's session and the bystander's (another learner's). */
  targetId: string;
  bystanderSessionId: string;
  urlOf: (terminal: string) => string;
  /** The token cookie; the token holder names its learner with X-Nslab-Learner (auth.ts, Gate). */
  cookie: string;
  /** Headers of a well-formed upgrade by the attacker. */
  good: Record<string, string>;
  /** The attacker's isolated terminal, as a path. */
  terminalPath: string;
  /** A terminal path with its segments as written, not encoded. */
  terminalAt: (sessionId: string, terminal: string) => string;
}
