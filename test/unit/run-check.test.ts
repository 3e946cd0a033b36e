import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { UTS_HOSTNAME, utsLab } from '../../labs/uts/uts-lab.ts';
import type { RootfsChange } from '../../server/checks/check-context.ts';
import {
  TamperedProbeTool,
  tamperedPath,
  tamperedReason,
} from '../../server/checks/probe-guard.ts';
import { runCheck } from '../../server/checks/run-check.ts';
import { AppError } from '../../server/errors/app-error.ts';
import type { CheckOutcome, LabDefinition } from '../../server/catalogue/lab-definition.ts';
import { log } from '../../server/log.ts';
import type { CheckResult } from '../../server/protocol/api-types.ts';
import { fakeCheckContext, type FakeEvidence } from './support/fake-check-context.ts';

const OWN_UTS = 'uts:[4026532301]';
const HOST_UTS = 'uts:[4026531838]';
const HOST_NAME = 'build-host-7';
const KERNEL_HOSTNAME_PROBE = 'cat /proc/sys/kernel/hostname';

/** The evidence of a healthy UTS lab session; tests change one piece at a time. */
function utsEvidence(
  overrides: { file?: string; kernel?: string; sharedUts?: string } = {},
): FakeEvidence {
  return {
    hostname: HOST_NAME,
    hostNamespaces: { uts: HOST_UTS },
    containers: {
      isolated: {
        namespaces: { uts: OWN_UTS },
        engineFiles: { HostnamePath: overrides.file ?? `${UTS_HOSTNAME}\n` },
        probes: {
          [KERNEL_HOSTNAME_PROBE]: { exitCode: 0, stdout: overrides.kernel ?? `${UTS_HOSTNAME}\n` },
        },
      },
      'host-uts': { namespaces: { uts: overrides.sharedUts ?? HOST_UTS } },
    },
  };
}

function check(
  exerciseId: string,
  answer: string | undefined,
  evidence: FakeEvidence = utsEvidence(),
): Promise<CheckResult> {
  return runCheck(utsLab, exerciseId, fakeCheckContext(evidence).ctx, answer);
}

function hintText(exerciseId: string, index: number): string {
  return utsLab.exercises.find((e) => e.id === exerciseId)?.hints[index] ?? '';
}

let logError: MockInstance<typeof log.error>;
beforeEach(() => {
  // runCheck logs a check that could not run; keep the test output clean and observable.
  logError = vi.spyOn(log, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('UTS lab: own-namespace', () => {
  it.each([OWN_UTS, '4026532301', `  ${OWN_UTS}  `, '\t4026532301\n'])(
    'passes for the isolated namespace given as %j',
    async (answer) => {
      const result = await check('own-namespace', answer);
      expect(result.passed).toBe(true);
      expect(result.hint).toBeUndefined();
      expect(result.reason).toContain(OWN_UTS);
    },
  );

  it.each([HOST_UTS, '4026531838'])(
    "fails with hint 1 for the host's namespace %j",
    async (answer) => {
      const result = await check('own-namespace', answer);
      expect(result).toMatchObject({
        passed: false,
        hint: { index: 1, text: hintText('own-namespace', 1) },
      });
      expect(result.reason).toMatch(/host/);
    },
  );

  it('fails with hint 0 for a namespace number no process of the lab uses', async () => {
    const result = await check('own-namespace', 'uts:[4026530000]');
    expect(result).toMatchObject({ passed: false, hint: { index: 0 } });
  });

  it.each(['nslab-uts', 'uts', 'readlink /proc/self/ns/uts', 'uts:[abc]'])(
    'fails with hint 0 for the non-number %j',
    async (answer) => {
      const result = await check('own-namespace', answer);
      expect(result).toMatchObject({ passed: false, hint: { index: 0 } });
    },
  );

  it('reads the namespace from the isolated container, not the one the learner might have meant', async () => {
    const fake = fakeCheckContext(utsEvidence());
    await runCheck(utsLab, 'own-namespace', fake.ctx, OWN_UTS);
    expect(fake.reads).toContain('isolated:namespace:uts');
    expect(fake.reads).not.toContain('host-uts:namespace:uts');
  });
});

describe('UTS lab: file-is-not-the-name', () => {
  it('fails while /etc/hostname still equals the kernel hostname', async () => {
    const result = await check('file-is-not-the-name', undefined);
    expect(result.passed).toBe(false);
    expect(result.hint?.index).toBe(1);
    expect(result.reason).toContain(UTS_HOSTNAME);
  });

  it('passes once the file differs from the kernel', async () => {
    const result = await check(
      'file-is-not-the-name',
      undefined,
      utsEvidence({ file: 'not-my-name\n' }),
    );
    expect(result.passed).toBe(true);
    expect(result.reason).toContain('not-my-name');
    expect(result.reason).toContain(UTS_HOSTNAME);
  });

  it('passes for an emptied file', async () => {
    const result = await check('file-is-not-the-name', undefined, utsEvidence({ file: '' }));
    expect(result.passed).toBe(true);
  });

  it('fails with hint 0 when the kernel hostname itself changed, even if the file differs', async () => {
    const result = await check(
      'file-is-not-the-name',
      undefined,
      utsEvidence({ kernel: 'renamed\n', file: 'other' }),
    );
    expect(result).toMatchObject({ passed: false, hint: { index: 0 } });
    expect(result.reason).toContain('renamed');
  });

  it('does not need an answer and ignores one', async () => {
    const result = await check('file-is-not-the-name', 'whatever', utsEvidence({ file: 'x' }));
    expect(result.passed).toBe(true);
  });

  it('reads the file from the engine and the name from the kernel, not from the terminal', async () => {
    const fake = fakeCheckContext(utsEvidence({ file: 'x' }));
    await runCheck(utsLab, 'file-is-not-the-name', fake.ctx, undefined);
    expect(fake.reads).toEqual([
      'isolated:readEngineFile:HostnamePath',
      `isolated:probe:${KERNEL_HOSTNAME_PROBE}`,
    ]);
  });
});

describe('UTS lab: host-name', () => {
  it("passes for the host's hostname", async () => {
    const result = await check('host-name', HOST_NAME);
    expect(result.passed).toBe(true);
    expect(result.reason).toContain(HOST_NAME);
  });

  it('passes with surrounding whitespace, which runCheck trims', async () => {
    expect((await check('host-name', `  ${HOST_NAME}\n`)).passed).toBe(true);
  });

  it("fails with hint 1 for the isolated container's hostname", async () => {
    const result = await check('host-name', UTS_HOSTNAME);
    expect(result).toMatchObject({
      passed: false,
      hint: { index: 1, text: hintText('host-name', 1) },
    });
  });

  it.each(['localhost', 'host-uts', `${HOST_NAME}x`, HOST_UTS])(
    'fails with hint 0 for %j',
    async (answer) => {
      const result = await check('host-name', answer);
      expect(result).toMatchObject({ passed: false, hint: { index: 0 } });
    },
  );

  it('fails with hint 0, even for the right name, when host-uts does not share the host namespace', async () => {
    const result = await check(
      'host-name',
      HOST_NAME,
      utsEvidence({ sharedUts: 'uts:[4026539999]' }),
    );
    expect(result).toMatchObject({ passed: false, hint: { index: 0 } });
  });
});

describe('runCheck', () => {
  it.each(['', '   ', '\n\t'])(
    'fails an answer exercise with the empty answer %j and hint 0, without running the check',
    async (answer) => {
      const fake = fakeCheckContext(utsEvidence());
      const result = await runCheck(utsLab, 'own-namespace', fake.ctx, answer);
      expect(result).toEqual({
        exerciseId: 'own-namespace',
        passed: false,
        reason: expect.any(String) as string,
        hint: { index: 0, text: hintText('own-namespace', 0) },
      });
      expect(fake.reads).toEqual([]);
      expect(fake.container).not.toHaveBeenCalled();
    },
  );

  it('fails an answer exercise without any answer, without running the check', async () => {
    const fake = fakeCheckContext(utsEvidence());
    const result = await runCheck(utsLab, 'host-name', fake.ctx, undefined);
    expect(result.passed).toBe(false);
    expect(result.hint?.index).toBe(0);
    expect(fake.reads).toEqual([]);
  });

  it('rejects an unknown exercise id with AppError not_found', async () => {
    const error: unknown = await check('no-such-exercise', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'not_found', status: 404, expose: true });
  });

  it.each(['__proto__', 'constructor', '../own-namespace'])(
    'rejects the exercise id %j',
    async (id) => {
      await expect(check(id, 'x')).rejects.toMatchObject({ code: 'not_found' });
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
      OWN_UTS,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'internal', expose: false });
  });

  it('passes an exposed AppError from a check through unchanged', async () => {
    const conflict = new AppError('conflict', 'The container is not running.');
    const lab = labWith(() => Promise.reject(conflict));
    await expect(runCheck(lab, 'ex', fakeCheckContext({}).ctx, undefined)).rejects.toBe(conflict);
    expect(logError).not.toHaveBeenCalled();
  });

  it('wraps an unexposed AppError from a check as internal', async () => {
    const lab = labWith(() =>
      Promise.reject(new AppError('internal', 'docker socket path /var/run/docker.sock')),
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
    const lab = labWith(() => Promise.resolve({ passed: false, reason: 'no', hint }));
    const result = await runCheck(lab, 'ex', fakeCheckContext({}).ctx, undefined);
    expect(result.hint).toEqual({ index: want, text: want === 0 ? 'first' : 'second' });
  });

  it('passes the trimmed answer to the check', async () => {
    const seen: (string | undefined)[] = [];
    const lab = labWith(() => Promise.resolve({ passed: true, reason: 'ok' }));
    const exercise = lab.exercises[0];
    if (exercise === undefined) throw new Error('test lab has no exercise');
    exercise.check = (_ctx, answer) => {
      seen.push(answer);
      return Promise.resolve({ passed: true, reason: 'ok' });
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

describe('runCheck when a probe program was replaced', () => {
  it('fails the check with the changed path, and logs no internal error', async () => {
    const { ctx } = fakeCheckContext(utsEvidence({ file: 'not-my-name\n' }));
    const tampered: typeof ctx = {
      ...ctx,
      container: (name) => ({
        ...ctx.container(name),
        probe: () => Promise.reject(new TamperedProbeTool('/usr/local/bin/cat')),
      }),
    };
    const result = await runCheck(utsLab, 'file-is-not-the-name', tampered, undefined);
    expect(result).toMatchObject({ passed: false, hint: { index: 0 } });
    expect(result.reason).toBe(tamperedReason('/usr/local/bin/cat'));
    expect(logError).not.toHaveBeenCalled();
  });
});

describe('tamperedPath', () => {
  const change = (path: string): RootfsChange => ({ path, kind: 'added' });
  it('names a program shadowed anywhere, a program replaced, or a library or loader file', () => {
    expect(tamperedPath([change('/usr/local/bin/cat')], ['cat'])).toBe('/usr/local/bin/cat');
    expect(tamperedPath([change('/usr/bin/ipcs')], ['/usr/bin/ipcs'])).toBe('/usr/bin/ipcs');
    expect(tamperedPath([change('/usr/bin/python3.11')], ['python3'])).toBe('/usr/bin/python3.11');
    expect(tamperedPath([change('/etc/ld.so.preload')], ['cat'])).toBe('/etc/ld.so.preload');
    expect(tamperedPath([change('/usr/lib/x86_64-linux-gnu/libc.so.6')], ['cat'])).toBe(
      '/usr/lib/x86_64-linux-gnu/libc.so.6',
    );
  });
  it('lets pass what a learner does in a lab: files in /root and /tmp, directories copied up', () => {
    const ordinary = ['/root', '/root/x', '/tmp', '/tmp/a', '/usr/local/bin', '/etc/hostname'];
    expect(tamperedPath(ordinary.map(change), ['cat', 'ipcs', 'find'])).toBeUndefined();
    expect(tamperedPath([change('/root/concatenate')], ['cat'])).toBeUndefined();
    expect(tamperedPath([change('/root/cat.txt'), change('/tmp/ip.log')], ['cat', 'ip'])).toBe(
      undefined,
    );
  });
});
