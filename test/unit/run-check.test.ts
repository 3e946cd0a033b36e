import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { utsLab } from '../../labs/uts/uts-lab.ts';
import { runCheck } from '../../server/checks/run-check.ts';
import { inLang } from '../../server/catalogue/lab-text.ts';
import { AppError } from '../../server/errors/app-error.ts';
import { relayed } from '../../server/errors/server-message.ts';
import type { CheckOutcome, LabDefinition } from '../../server/catalogue/lab-definition.ts';
import { log } from '../../server/log.ts';
import { fakeCheckContext } from './support/fake-check-context.ts';
import { t } from '../../labs/shared/localized.ts';

let logError: MockInstance<typeof log.error>;
beforeEach(() => {
  // runCheck logs a check that could not run; keep the test output clean and observable.
  logError = vi.spyOn(log, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('runCheck', () => {
  it.each(['', '   ', '\n\t'])(
    'fails an answer exercise with the empty answer %j and hint 0, without running the check',
    async (answer) => {
      const fake = fakeCheckContext({});
      const result = await runCheck(utsLab, 'own-namespace', fake.ctx, answer);
      expect(result).toEqual({
        exerciseId: 'own-namespace',
        passed: false,
        reason: expect.any(String) as string,
        hint: { index: 0, text: inLang(utsLab.exercises[0]?.hints[0] ?? '', 'en') },
      });
      expect(fake.reads).toEqual([]);
      expect(fake.container).not.toHaveBeenCalled();
    },
  );

  it('fails an answer exercise without any answer, without running the check', async () => {
    const fake = fakeCheckContext({});
    const result = await runCheck(utsLab, 'host-name', fake.ctx, undefined);
    expect(result.passed).toBe(false);
    expect(result.hint?.index).toBe(0);
    expect(fake.reads).toEqual([]);
  });

  it('rejects an unknown exercise id with AppError not_found', async () => {
    const error: unknown = await runCheck(
      utsLab,
      'no-such-exercise',
      fakeCheckContext({}).ctx,
      'x',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'not_found', status: 404, expose: true });
  });

  it.each(['__proto__', 'constructor', '../own-namespace'])(
    'rejects the exercise id %j',
    async (id) => {
      await expect(runCheck(utsLab, id, fakeCheckContext({}).ctx, 'x')).rejects.toMatchObject({
        code: 'not_found',
      });
    },
  );

  function labWith(
    checkFn: () => Promise<CheckOutcome>,
    hints = ['first', 'second'],
  ): LabDefinition {
    return {
      ...utsLab,
      exercises: [
        {
          id: 'ex',
          title: 'ex',
          goal: 'g',
          hints,
          check: checkFn,
          solution: [{ terminal: 'isolated', input: 'true' }],
        },
      ],
    };
  }

  it('turns a check that throws a plain Error into an unexposed internal AppError', async () => {
    const cause = new Error('ENOENT: /proc/1234/ns/uts at secret/path.ts:12');
    const lab = labWith(() => Promise.reject(cause));
    const error: unknown = await runCheck(lab, 'ex', fakeCheckContext({}).ctx, undefined).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'internal', status: 500, expose: false, cause });
    expect((error as AppError).message).not.toContain('secret');
    expect(logError).toHaveBeenCalledTimes(1);
  });

  it('treats missing evidence in a real lab check as internal, not as the learner failing', async () => {
    const error: unknown = await runCheck(
      utsLab,
      'own-namespace',
      fakeCheckContext({}).ctx,
      'uts:[4026532301]',
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'internal', expose: false });
  });

  it('passes an exposed AppError from a check through unchanged', async () => {
    const conflict = new AppError(
      'conflict',
      relayed('stopped', { en: 'The container is not running.', zh: '容器没有在运行。' }),
    );
    const lab = labWith(() => Promise.reject(conflict));
    await expect(runCheck(lab, 'ex', fakeCheckContext({}).ctx, undefined)).rejects.toBe(conflict);
    expect(logError).not.toHaveBeenCalled();
  });

  it('wraps an unexposed AppError from a check as internal', async () => {
    const lab = labWith(() =>
      Promise.reject(
        new AppError(
          'internal',
          relayed('leak', {
            en: 'docker socket path /var/run/docker.sock',
            zh: 'docker 套接字路径 /var/run/docker.sock',
          }),
        ),
      ),
    );
    const error: unknown = await runCheck(lab, 'ex', fakeCheckContext({}).ctx, undefined).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'internal',
      expose: false,
      message: 'The check could not read its evidence.',
    });
  });

  it.each([
    [-3, 0],
    [0, 0],
    [1, 1],
    [7, 1],
  ])('clamps the hint index %d a check returns to %d', async (hint, want) => {
    const lab = labWith(() => Promise.resolve({ passed: false, reason: t('no', 'no'), hint }));
    const result = await runCheck(lab, 'ex', fakeCheckContext({}).ctx, undefined);
    expect(result.hint).toEqual({ index: want, text: want === 0 ? 'first' : 'second' });
  });

  it('passes the trimmed answer to the check', async () => {
    const seen: (string | undefined)[] = [];
    const lab = labWith(() => Promise.resolve({ passed: true, reason: t('ok', 'ok') }));
    const exercise = lab.exercises[0];
    if (exercise === undefined) throw new Error('test lab has no exercise');
    exercise.check = (_ctx, answer) => {
      seen.push(answer);
      return Promise.resolve({ passed: true, reason: t('ok', 'ok') });
    };
    await runCheck(lab, 'ex', fakeCheckContext({}).ctx, '  spaced  ');
    expect(seen).toEqual(['spaced']);
  });
});

describe('runCheck when a container has stopped', () => {
  it('answers 409 with words the learner can act on, not an internal error', async () => {
    const { ctx } = fakeCheckContext({});
    const stopped: typeof ctx = {
      ...ctx,
      container: () => {
        throw Object.assign(new Error('(HTTP code 409) container is not running'), {
          statusCode: 409,
        });
      },
    };
    await expect(
      runCheck(utsLab, 'file-is-not-the-name', stopped, undefined),
    ).rejects.toMatchObject({
      code: 'conflict',
      status: 409,
      expose: true,
    });
  });
});
