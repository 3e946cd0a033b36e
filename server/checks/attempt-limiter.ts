// Answer boxes can be guessed: a namespace number is one of a few hundred close to the host's,
// a capability one of fourteen. So each learner gets a few different wrong answers per
// exercise for free; after that, every new answer must wait, twice as long each time. The count
// belongs to the learner and the exercise, not the session: "Reset lab" does not start it
// again. Sending an answer already judged wrong is never held back: it teaches the guesser
// nothing, and it lets a learner re-check once the work behind the answer is done.
import type { LabDefinition } from '../catalogue/lab-definition.ts';
import { AppError } from '../errors/app-error.ts';
import { message, type ServerMessage } from '../errors/server-message.ts';

export interface AttemptPolicy {
  /** Different wrong answers allowed before any wait. */
  free: number;
  /** The wait after the first wrong answer past the free ones; each further one doubles it. */
  firstWaitMs: number;
  maxWaitMs: number;
}

/**
 * Three different wrong answers are free (typos happen, and `verify` gives three wrong ones per
 * exercise: a wrong answer on a fresh session, then a cheat's, on a fresh session and again
 * once the exercises before are solved); every further new answer waits one minute, then two,
 * four... up to half an hour. Guessing a namespace number among hundreds takes days.
 */
export const ANSWER_ATTEMPTS: AttemptPolicy = {
  free: 3,
  firstWaitMs: 60_000,
  maxWaitMs: 30 * 60_000,
};

/** A tally unused this long is forgotten; by then every wait it could impose is over. */
const FORGET_AFTER_MS = 6 * 60 * 60_000;

/** Refused because the learner must wait; `retryAfterSeconds` goes into Retry-After. */
export class AttemptsExhausted extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    wrong: number,
  ) {
    super('too_many_requests', waitMessage(wrong, retryAfterSeconds));
    this.name = 'AttemptsExhausted';
  }
}

const WAIT_SECONDS = message(
  'answer_wait_seconds',
  'You have given {{wrong}} different wrong answers to this exercise, so a new answer must wait: try again in {{seconds}} seconds. Each further wrong answer doubles the wait. Reading the evidence in your terminal is quicker than guessing.',
  '你已经对这个练习给出了 {{wrong}} 个不同的错误答案，新的答案必须等待：请在 {{seconds}} 秒后再试。之后每多一个错误答案，等待时间就加倍。在终端里读证据比猜要快。',
);
const WAIT_MINUTES = message(
  'answer_wait_minutes',
  'You have given {{wrong}} different wrong answers to this exercise, so a new answer must wait: try again in {{minutes}} minutes. Each further wrong answer doubles the wait. Reading the evidence in your terminal is quicker than guessing.',
  '你已经对这个练习给出了 {{wrong}} 个不同的错误答案，新的答案必须等待：请在 {{minutes}} 分钟后再试。之后每多一个错误答案，等待时间就加倍。在终端里读证据比猜要快。',
);

/** Seconds below a minute and a half, whole minutes (rounded up) above. */
function waitMessage(wrong: number, seconds: number): ServerMessage {
  if (seconds < 90) return WAIT_SECONDS({ wrong, seconds });
  return WAIT_MINUTES({ wrong, minutes: Math.ceil(seconds / 60) });
}

interface Tally {
  wrong: Set<string>;
  /** A new answer is judged no earlier than this (epoch ms). */
  notBefore: number;
  /** Attempts for one key run one after another, so parallel guesses cannot slip past a wait. */
  queue: Promise<unknown>;
  seen: number;
}

/** How answers are compared for "already judged wrong": case and spacing do not make a new guess. */
function normalized(answer: string): string {
  return answer.trim().toLowerCase().replace(/\s+/g, ' ');
}

export class AttemptLimiter {
  private readonly tallies = new Map<string, Tally>();
  private lastPrune: number;

  constructor(
    private readonly policy: AttemptPolicy = ANSWER_ATTEMPTS,
    private readonly now: () => number = Date.now,
  ) {
    this.lastPrune = now();
  }

  /** The key of one learner's attempts at one exercise. */
  static key(learner: string, labId: string, exerciseId: string): string {
    return JSON.stringify([learner, labId, exerciseId]);
  }

  /**
   * Judges `answer` with `judge`, unless it is new and the key must still wait: then it tells
   * `onRefused` how many seconds are left and throws AttemptsExhausted (429) without judging.
   * A failed verdict for a new answer counts it as wrong.
   */
  attempt<T extends { passed: boolean }>(
    key: string,
    answer: string,
    judge: () => Promise<T>,
    onRefused: (retryAfterSeconds: number) => void = () => undefined,
  ): Promise<T> {
    const tally = this.tally(key);
    const turn = tally.queue.then(() => this.judgeOnce(tally, normalized(answer), judge));
    tally.queue = turn.catch(() => undefined);
    return turn.catch((error: unknown) => {
      if (error instanceof AttemptsExhausted) onRefused(error.retryAfterSeconds);
      throw error;
    });
  }

  /**
   * The check route's way in: an answer typed into an exercise's answer box goes through
   * attempt() under the learner's key for that exercise; a check without one goes straight
   * to `judge` (nothing to guess).
   */
  judgeAnswer<T extends { passed: boolean }>(
    what: { learner: string; lab: LabDefinition; exerciseId: string; answer: string | undefined },
    judge: () => Promise<T>,
    onRefused?: (retryAfterSeconds: number) => void,
  ): Promise<T> {
    const { learner, lab, exerciseId } = what;
    const typed = what.answer?.trim() ?? '';
    const box = lab.exercises.find((e) => e.id === exerciseId)?.answer;
    if (box === undefined || typed === '') return judge();
    return this.attempt(AttemptLimiter.key(learner, lab.id, exerciseId), typed, judge, onRefused);
  }

  /** Different wrong answers counted for `key` so far. */
  wrongCount(key: string): number {
    return this.tallies.get(key)?.wrong.size ?? 0;
  }

  private async judgeOnce<T extends { passed: boolean }>(
    tally: Tally,
    answer: string,
    judge: () => Promise<T>,
  ): Promise<T> {
    const known = tally.wrong.has(answer);
    const waitMs = tally.notBefore - this.now();
    if (!known && waitMs > 0)
      throw new AttemptsExhausted(Math.ceil(waitMs / 1000), tally.wrong.size);
    const verdict = await judge();
    tally.seen = this.now();
    if (!verdict.passed && !known) {
      tally.wrong.add(answer);
      const past = tally.wrong.size - this.policy.free;
      if (past > 0) {
        const wait = Math.min(this.policy.firstWaitMs * 2 ** (past - 1), this.policy.maxWaitMs);
        tally.notBefore = this.now() + wait;
      }
    }
    return verdict;
  }

  private tally(key: string): Tally {
    const now = this.now();
    if (now - this.lastPrune > 10 * 60_000) {
      for (const [k, t] of this.tallies)
        if (now - t.seen > FORGET_AFTER_MS && t.notBefore < now) this.tallies.delete(k);
      this.lastPrune = now;
    }
    let tally = this.tallies.get(key);
    if (tally === undefined) {
      tally = { wrong: new Set(), notBefore: 0, queue: Promise.resolve(), seen: now };
      this.tallies.set(key, tally);
    }
    tally.seen = now;
    return tally;
  }
}
