// Issue 11's attacks on answers and ownership, through the real terminal and API: the plain
// container's root forging the remapped root's file (chown, setpriv), the /usr/bin swap in
// the remapped container, and brute forces of answer boxes, which the attempt limiter stops
// with a 429 that says when to try again, for the right answer too, across "Reset lab".
import { describe, expect, it } from 'vitest';
import { labs } from '../../labs/index.ts';
import { FIND_TENANT_HOST_UID } from '../../labs/user/user-lab.ts';
import { ANSWER_ATTEMPTS } from '../../server/checks/attempt-limiter.ts';
import { CAP_NAMES } from '../../server/host/capabilities.ts';
import { ApiRequestError, type ApiClient } from '../../server/protocol/api-client.ts';
import { startTestServer } from '../support/test-server.ts';
import { inLang } from '../../server/catalogue/lab-text.ts';
import { COPY_USR_BIN_TO_DEV } from './learner-attacks.ts';

/**
 * The issue's /usr/bin swap, for the user lab: /usr/bin becomes a symlink to a copy on /dev (a
 * tmpfs `docker diff` never reports) whose cat prints the uid map an old check wanted to read.
 */
const USR_BIN_SWAP = [
  COPY_USR_BIN_TO_DEV,
  String.raw`printf '#!/bin/sh
case "$1" in */uid_map) echo "0 100000 65536" ;; *) exec /dev/b/cat.real "$@" ;; esac
' > /dev/b/cat`,
  'rm -rf /usr/bin; /dev/b/ln -s /dev/b /usr/bin; true',
].join(' && ');

/** Submits guesses in order until the server refuses one; returns how many it judged, and the refusal. */
async function bruteForce(
  api: ApiClient,
  sessionId: string,
  exerciseId: string,
  guesses: readonly string[],
): Promise<{ judged: number; refusal: ApiRequestError | undefined }> {
  let judged = 0;
  for (const guess of guesses) {
    try {
      const result = await api.check(sessionId, exerciseId, guess);
      expect({ guess, passed: result.passed }).toEqual({ guess, passed: false });
      judged++;
    } catch (error) {
      if (error instanceof ApiRequestError && error.status === 429)
        return { judged, refusal: error };
      throw error;
    }
  }
  return { judged, refusal: undefined };
}

async function refused(promise: Promise<unknown>): Promise<ApiRequestError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiRequestError);
  expect((error as ApiRequestError).status).toBe(429);
  return error as ApiRequestError;
}

describe('answer attacks', () => {
  it("user/leave-a-file: plain root cannot forge the remapped root's file, and the /usr/bin swap fools no user check", async (ctx) => {
    await using t = await startTestServer('test-user-attacks');
    const user = labs.find((l) => l.id === 'user');
    const unavailable = user?.unavailable?.(t.server.facts);
    if (unavailable !== undefined) ctx.skip(inLang(unavailable, 'en'));
    const session = await t.api.startSession('user');
    const plain = await t.openTerminal(session.id, 'plain');
    const remapped = await t.openTerminal(session.id, 'remapped');

    // The attack of the issue, and its variants: all refused by the read-only drop box.
    const chown = await plain.run(
      'touch /shared/drop/f && chown 100000:100000 /shared/drop/f; echo "rc=$?"',
    );
    expect(chown).toMatch(/Read-only file system/);
    expect(
      await plain.run('setpriv --reuid=100000 --regid=100000 --clear-groups touch /shared/drop/g'),
    ).toMatch(/Read-only file system/);
    // Plain root could forge the owner anywhere it may write: that is why the box is closed to it.
    expect(
      await plain.run('touch /shared/f && chown 100000:100000 /shared/f && stat -c %u /shared/f'),
    ).toMatch(/^100000$/m);
    expect(await plain.run('mv /shared/f /shared/drop/ 2>&1; ls /shared/drop | wc -l')).toMatch(
      /^0$/m,
    );
    expect((await t.api.check(session.id, 'leave-a-file')).passed).toBe(false);

    // The /usr/bin swap in the remapped container: cat now prints whatever uid_map it likes.
    await remapped.run(USR_BIN_SWAP, 120_000);
    expect(await remapped.run('cat /proc/self/uid_map')).toMatch(/0 100000 65536/);
    const inside = /^\s*(\d+)\s*$/m.exec(
      await remapped.run("ps -o uid= -p $(pgrep -f '^nslab-tenant')"),
    )?.[1];
    for (const answer of ['100000', inside ?? '0', '0']) {
      expect((await t.api.check(session.id, 'host-uid', answer)).passed).toBe(false);
    }

    // The honest ways still pass, swap or no swap: the checks read the host.
    const hostUid = /^(\d+)$/m.exec(await remapped.run(FIND_TENANT_HOST_UID))?.[1];
    expect((await t.api.check(session.id, 'host-uid', hostUid)).passed).toBe(true);
    await remapped.run('touch /shared/drop/hello');
    expect((await t.api.check(session.id, 'leave-a-file')).passed).toBe(true);
    await Promise.all([plain.close(), remapped.close()]);
  });

  it('uts/own-namespace: guessing namespace numbers is stopped, the right one too, across "Reset lab"', async () => {
    await using t = await startTestServer('test-brute-uts');
    const session = await t.api.startSession('uts');
    const isolated = await t.openTerminal(session.id, 'isolated');
    const truth = Number(
      /uts:\[(\d+)\]/.exec(await isolated.run('readlink /proc/self/ns/uts'))?.[1],
    );
    await isolated.close();
    // The brute force walked 402 numbers near the host's; the truth is among them.
    const guesses = Array.from({ length: 400 }, (_, i) => String(truth - 200 + i)).filter(
      (g) => g !== String(truth),
    );
    const { judged, refusal } = await bruteForce(t.api, session.id, 'own-namespace', guesses);
    expect(judged).toBe(ANSWER_ATTEMPTS.free + 1);
    expect(refusal?.message).toMatch(/try again in 60 seconds/);
    await refused(t.api.check(session.id, 'own-namespace', String(truth)));

    const fresh = await t.api.reset(session.id);
    const again = await t.openTerminal(fresh.id, 'isolated');
    const freshTruth = /uts:\[(\d+)\]/.exec(await again.run('readlink /proc/self/ns/uts'))?.[1];
    await again.close();
    await refused(t.api.check(fresh.id, 'own-namespace', freshTruth));
    // An exercise without a box is never held back.
    expect((await t.api.check(fresh.id, 'file-is-not-the-name')).passed).toBe(false);
  });

  it('capabilities/decode: trying every capability name is stopped before the right one', async () => {
    await using t = await startTestServer('test-brute-caps');
    const session = await t.api.startSession('capabilities');
    const decode = labs
      .find((l) => l.id === 'capabilities')
      ?.exercises.find((e) => e.id === 'decode');
    const step = decode?.solution.find((s) => s.capture !== undefined);
    const terminal = await t.openTerminal(session.id, step?.terminal ?? 'default');
    const truth = step?.capture?.exec(await terminal.run(step.input))?.[1] ?? '';
    await terminal.close();
    expect(truth).toMatch(/^cap_/);
    const guesses = [...CAP_NAMES.filter((name) => name !== truth), truth];
    const { judged, refusal } = await bruteForce(t.api, session.id, 'decode', guesses);
    expect(judged).toBe(ANSWER_ATTEMPTS.free + 1);
    expect(refusal?.status).toBe(429);
    await refused(t.api.check(session.id, 'decode', truth));
  });
});
