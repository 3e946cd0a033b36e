// What a load run takes and what it reports.
import type { ApiClient } from '../../server/protocol/api-client.ts';
import type { Summary } from './stats.ts';

export interface LoadOptions {
  /** An API client for one learner; each learner has its own id (and so its own caps). */
  api: (learner: string) => ApiClient;
  learners: number;
  seconds: number;
  /** Learners join over this many ms rather than all in the same instant. */
  rampMs?: number;
  /** Pause between two keystrokes, as a person types (jittered +-50%). */
  keyGapMs?: number;
  /** Pause between one session's end and the next start (jittered +-50%). */
  thinkMs?: number;
  /** Keep each session this long from its start, typing a line every `thinkMs` (0: one line). */
  holdMs?: number;
  /** Progress lines every `progressEveryMs` (none when undefined). */
  onProgress?: (line: string) => void;
  progressEveryMs?: number;
  /** Extra fields for the progress line (the caller samples server RSS). */
  progressExtra?: () => string;
}

export interface LoadError {
  learner: string;
  iteration: number;
  phase: string;
  message: string;
  atMs: number;
}

export interface LoadResult {
  learners: number;
  seconds: number;
  durationMs: number;
  sessionsStarted: number;
  sessionsCompleted: number;
  errors: LoadError[];
  peakLiveSessions: number;
  echo: Summary;
  startToPrompt: Summary;
  startApi: Summary;
  check: Summary;
  end: Summary;
  /** The load generator's own event-loop delay: large values would distort the timings. */
  clientLoopDelayP99Ms: number;
}
