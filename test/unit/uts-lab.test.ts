// The UTS lab's checks through runCheck, against plain evidence: the namespace number, the
// file that is not the hostname (the kernel's name asked with the host's nsenter, here a
// stand-in), and the host's name through a shared namespace.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { kernelHostname } from '../../labs/shared/kernel-hostname.ts';
import { UTS_HOSTNAME, utsLab } from '../../labs/uts/uts-lab.ts';
import { runCheck } from '../../server/checks/run-check.ts';
import { log } from '../../server/log.ts';
import type { CheckResult } from '../../server/protocol/api-types.ts';
import { fakeCheckContext, type FakeEvidence } from './support/fake-check-context.ts';
import { inLang } from '../../server/catalogue/lab-text.ts';

const OWN_UTS = 'uts:[4026532301]';
const HOST_UTS = 'uts:[4026531838]';
const HOST_NAME = 'build-host-7';

/** The kernel's hostname is asked with the host's nsenter; here it is whatever a test says. */
const kernel = vi.hoisted(() => ({ name: '' }));
vi.mock('../../labs/shared/kernel-hostname.ts', () => ({
  kernelHostname: vi.fn(() => Promise.resolve(kernel.name)),
}));

/** The evidence of a healthy UTS lab session; tests change one piece at a time. */
function utsEvidence(
  overrides: { file?: string; kernel?: string; sharedUts?: string } = {},
): FakeEvidence {
  kernel.name = (overrides.kernel ?? UTS_HOSTNAME).trim();
  return {
    hostname: HOST_NAME,
    hostNamespaces: { uts: HOST_UTS },
    containers: {
      isolated: {
        namespaces: { uts: OWN_UTS },
        engineFiles: { HostnamePath: overrides.file ?? `${UTS_HOSTNAME}\n` },
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
  return inLang(utsLab.exercises.find((e) => e.id === exerciseId)?.hints[index] ?? '', 'en');
}

beforeEach(() => {
  // runCheck logs a check that could not run; keep the test output clean.
  vi.spyOn(log, 'error').mockImplementation(() => undefined);
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

  it('reads the file from the engine and the name from the kernel, never a program in the container', async () => {
    const fake = fakeCheckContext(utsEvidence({ file: 'x' }));
    vi.mocked(kernelHostname).mockClear();
    await runCheck(utsLab, 'file-is-not-the-name', fake.ctx, undefined);
    expect(fake.reads).toEqual(['isolated:readEngineFile:HostnamePath']);
    expect(kernelHostname).toHaveBeenCalledTimes(1);
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
