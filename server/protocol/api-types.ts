// HTTP API shapes shared by the server, the browser app and `verify`.
import type { InEveryLang } from './lang.ts';

/** Lab ids are matched by this pattern and then looked up in the catalogue; never joined into paths. */
export const LAB_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** Session ids are 128 random bits in base64url. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
/** Exercise and terminal names inside a lab. */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** The longest answer a check accepts; the page's answer box holds no more. */
export const MAX_ANSWER_LENGTH = 200;

export interface LabSummary {
  id: string;
  title: string;
  topic: string;
  summary: string;
  minutes: number;
  /** Why it cannot start on this server (host or mode), shown instead of Start. */
  unavailable?: string;
}

/** Where a learner stands in a lab: "revealed" when every exercise is done but some only by "Show me". */
export type LabState = 'not-started' | 'in-progress' | 'done' | 'revealed';

export interface LabProgress {
  labId: string;
  state: LabState;
  /** Exercises passed by the learner's own work. */
  passed: number;
  /** Exercises shown with "Show me" and not passed since. */
  revealed: number;
  total: number;
  minutesSpent: number;
}

/** GET /api/progress: the learner's state in every lab, and where to go next. */
export interface ProgressView {
  labs: LabProgress[];
  /** The first lab of the path not yet done: what the catalogue suggests. */
  next?: string;
  /** The lab last worked on and not finished: the catalogue's "Continue". */
  resume?: string;
}

/** GET /api/me: who the page belongs to, so it shows only what that person may do. */
export interface Me {
  mode: 'solo' | 'workshop';
  /** Holds the token (solo learner, workshop instructor): may reset the host. */
  instructor: boolean;
  /** The name the learner gave when joining a workshop; absent until they give one. */
  displayName?: string;
}

/** Display names: 1 to 40 letters, digits, spaces, dots, dashes, underscores, in any script. */
export const DISPLAY_NAME_PATTERN = /^[\p{L}\p{M}\p{N} ._-]{1,40}$/u;
export const MAX_BROADCAST_LENGTH = 300;

/** One learner in the control room's roster. */
export interface RosterLearner {
  learnerId: string;
  displayName: string;
  /** The live session, if any: what the instructor can watch, reset or end. */
  sessionId?: string;
  terminals: string[];
  /** The live session's lab, else the lab last attempted. */
  labId?: string;
  /** The exercise last attempted (checked or shown), when it is of `labId`. */
  exerciseId?: string;
  /** Exercises of the current lab (`labId`) passed, hints given and exercises revealed in it. */
  passes: number;
  hints: number;
  reveals: number;
  /** Time spent in the current lab, over all its sessions. */
  msInLab: number;
  /** A terminal of the live session has a browser attached. */
  online: boolean;
}

/** How many learners passed an exercise, and how many attempted it without passing. */
export interface ExerciseTotal {
  labId: string;
  exerciseId: string;
  passed: number;
  stuck: number;
}

export interface Roster {
  learners: RosterLearner[];
  totals: ExerciseTotal[];
  at: number;
}

/** The control room's lab chooser: every lab of the catalogue, and the offered ones in order. */
export interface OfferedLabsView {
  offered: string[];
  labs: LabSummary[];
}

/** ready: it ran and passed; failing: it ran and did not; unavailable: this host cannot run it. */
export type PreflightStatus = 'waiting' | 'running' | 'ready' | 'failing' | 'unavailable';

export interface PreflightResult {
  labId: string;
  status: PreflightStatus;
  /**
   * Why it is failing or unavailable, in every language: one run is streamed to every open
   * control room, whatever its language. Verify's own findings inside stay as verify says them.
   */
  reason?: InEveryLang;
  ms?: number;
}

/** The latest preflight run: labs in the offered order, each with its state so far. */
export interface PreflightView {
  running: boolean;
  startedAt?: number;
  finishedAt?: number;
  results: PreflightResult[];
}

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One learner's record of one exercise, as the export writes it. */
export interface ExportRow {
  learnerId: string;
  displayName: string;
  labId: string;
  exerciseId: string;
  passed: boolean;
  revealed: boolean;
  attempts: number;
  hintsGiven: number;
  /** Time in the exercise's lab, over all the learner's sessions of it. */
  secondsInLab: number;
}

export interface TerminalView {
  /** The container's name within the lab, e.g. "isolated"; also the WebSocket path segment. */
  name: string;
  title: string;
  /** The equivalent `docker run` command the server used to create this container. */
  dockerRun: string;
}

export interface ExerciseView {
  id: string;
  title: string;
  goal: string;
  /** Answer exercises show an input; the expected answer stays on the server. */
  answer: { label: string; placeholder: string } | null;
  hintCount: number;
  /** The hints this learner was shown before (any session of the lab), in order. */
  hintsShown: HintText[];
  /** Why this exercise cannot run on this server (shown instead of its Check); absent when it can. */
  unavailable?: string;
}

/** One of an exercise's hints, by its place in the exercise's ordered list. */
export interface HintText {
  index: number;
  text: string;
}

/** POST .../hint: the next hint in order, and how many are left after it. */
export interface HintResult {
  exerciseId: string;
  hint: HintText;
  remaining: number;
}

export interface SessionView {
  id: string;
  lab: LabSummary;
  /** Sanitized HTML of the lesson, with the `docker run` flags already filled in. */
  lessonHtml: string;
  terminals: TerminalView[];
  /** Two terminals' names the page may show side by side (LabDefinition.sideBySide). */
  sideBySide?: [string, string];
  /** The lab is a profile playground (LabDefinition.playground): the page shows its form. */
  playground?: true;
  exercises: ExerciseView[];
  /** What the lab leaves the learner with: its last card, shown once every exercise is passed. */
  learned: string[];
  /** The next lab on the path that runs here, offered on that card. */
  next?: { id: string; title: string };
  /** Exercises of this lab the learner passed or revealed before, in any session of it. */
  progress: { passed: string[]; revealed: string[] };
  /** Milliseconds the server keeps a session after its last terminal disconnects. */
  graceMs: number;
  /** When the session ends at the latest, and when it ends if nobody types (epoch ms). */
  endsAt: number;
  idleEndsAt: number;
  canExtend: boolean;
  /** How long without keystrokes ends the session. */
  idleMs: number;
  /** The server's clock when this was sent, so the page counts down correctly. */
  now: number;
}

export interface CheckResult {
  exerciseId: string;
  passed: boolean;
  /** What the server saw, in words the learner can act on. */
  reason: string;
  /**
   * The hint that fits what is wrong, or, when the learner was shown that one already, the
   * next one after it (absent when the check passed).
   */
  hint?: HintText;
}

export interface ApiError {
  error: {
    /** The kind of failure (bad_request, conflict …), one per HTTP status. */
    code: string;
    /** Which message this is, stable across languages and rewordings: match on this, not the words. */
    messageId: string;
    /** The values the message names (a field, a limit), when it names any. */
    params?: Record<string, string | number>;
    /** The message in the request's language (`?lang=`). */
    message: string;
  };
}
