// The attempt limiter behind answer boxes: a few different wrong answers for free, then a
// wait that doubles with every new wrong answer, while a repeated answer is judged at once.
import { describe, expect, it } from 'vitest';
import {
  ANSWER_ATTEMPTS,
  AttemptLimiter,
  AttemptsExhausted,
} from '../../server/checks/attempt-limiter.ts';

/** A limiter on a clock the test moves, judging "right" as the only right answer. */
function limiterAt(start = 1_000_000) {
  const clock = { now: start };
  const limiter = new AttemptLimiter(ANSWER_ATTEMPTS, () => clock.now);
  const judged: string[] = [];
  const attempt = (answer: string, key = 'k') =>
    limiter.attempt(key, answer, () => {
      judged.push(answer);
      return Promise.resolve({ passed: answer === 'right' });
    });
  return { limiter, clock, judged, attempt };
}

async function refusal(promise: Promise<unknown>): Promise<AttemptsExhausted> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AttemptsExhausted);
  return error as AttemptsExhausted;
}

describe('AttemptLimiter', () => {
  it('judges the free wrong answers at once, then makes a new answer wait', async () => {
    const { attempt, judged } = limiterAt();
    for (let i = 0; i < ANSWER_ATTEMPTS.free; i++)
      expect((await attempt(`guess-${i}`)).passed).toBe(false);
    // One past the free ones is still judged; it is what earns the first wait.
    expect((await attempt('one-more')).passed).toBe(false);
    const error = await refusal(attempt('right'));
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(ANSWER_ATTEMPTS.firstWaitMs / 1000);
    expect(error.message).toMatch(/try again in 60 seconds/);
    // The right answer was never judged while the wait ran.
    expect(judged).not.toContain('right');
  });

  it('doubles the wait with every further wrong answer, up to the most', async () => {
    const { attempt, clock } = limiterAt();
    for (let i = 0; i <= ANSWER_ATTEMPTS.free; i++) await attempt(`guess-${i}`);
    let wait = ANSWER_ATTEMPTS.firstWaitMs;
    for (let round = 0; round < 12; round++) {
      expect((await refusal(attempt('new'))).retryAfterSeconds).toBe(wait / 1000);
      clock.now += wait;
      expect((await attempt(`late-${round}`)).passed).toBe(false);
      wait = Math.min(wait * 2, ANSWER_ATTEMPTS.maxWaitMs);
    }
    expect(wait).toBe(ANSWER_ATTEMPTS.maxWaitMs);
    expect((await refusal(attempt('new'))).message).toMatch(/try again in 30 minutes/);
  });

  it('judges an answer already judged wrong at once, even during a wait, and does not count it again', async () => {
    const { attempt, limiter } = limiterAt();
    for (let i = 0; i <= ANSWER_ATTEMPTS.free; i++) await attempt(`guess-${i}`);
    expect((await attempt('guess-0')).passed).toBe(false);
    expect((await attempt('  GUESS-0 ')).passed).toBe(false);
    expect(limiter.wrongCount('k')).toBe(ANSWER_ATTEMPTS.free + 1);
  });

  it('lets the right answer through once the wait is over', async () => {
    const { attempt, clock } = limiterAt();
    for (let i = 0; i <= ANSWER_ATTEMPTS.free; i++) await attempt(`guess-${i}`);
    await refusal(attempt('right'));
    clock.now += ANSWER_ATTEMPTS.firstWaitMs;
    expect((await attempt('right')).passed).toBe(true);
  });

  it('keeps learners and exercises apart', async () => {
    const { attempt } = limiterAt();
    for (let i = 0; i <= ANSWER_ATTEMPTS.free; i++) await attempt(`guess-${i}`, 'a');
    await refusal(attempt('right', 'a'));
    expect((await attempt('right', 'b')).passed).toBe(true);
    expect(AttemptLimiter.key('l1', 'uts', 'own-namespace')).not.toBe(
      AttemptLimiter.key('l1', 'uts', 'host-name'),
    );
    expect(AttemptLimiter.key('l1', 'a-b', 'c')).not.toBe(AttemptLimiter.key('l1-a', 'b', 'c'));
  });

  it('judges parallel guesses one after another, so none slips past the wait', async () => {
    const { attempt, judged } = limiterAt();
    const guesses = Array.from({ length: 40 }, (_, i) => `parallel-${i}`);
    const settled = await Promise.allSettled(guesses.map((g) => attempt(g)));
    expect(judged).toHaveLength(ANSWER_ATTEMPTS.free + 1);
    expect(settled.filter((s) => s.status === 'rejected')).toHaveLength(
      guesses.length - ANSWER_ATTEMPTS.free - 1,
    );
  });

  it('does not count a check that could not judge', async () => {
    const { limiter } = limiterAt();
    for (let i = 0; i < 10; i++) {
      await limiter
        .attempt('k', `x-${i}`, () => Promise.reject(new Error('engine down')))
        .catch(() => undefined);
    }
    expect(limiter.wrongCount('k')).toBe(0);
  });

  it('tells the caller how long to wait, for the Retry-After header', async () => {
    const { attempt, limiter } = limiterAt();
    for (let i = 0; i <= ANSWER_ATTEMPTS.free; i++) await attempt(`guess-${i}`);
    const told: number[] = [];
    await limiter
      .attempt(
        'k',
        'new',
        () => Promise.resolve({ passed: true }),
        (s) => told.push(s),
      )
      .catch(() => undefined);
    expect(told).toEqual([ANSWER_ATTEMPTS.firstWaitMs / 1000]);
  });
});
