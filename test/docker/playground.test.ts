// The profile playground on a real engine: forged requests (an extra field, a bind, an
// image, privileged, a device, a limit out of range, a wrong type) get a 400 that names the
// field and no container appears; a started profile replaces the container and the session's
// end removes it; a workshop refuses the escape-prone options; `verify` proves the lab both
// ways (a fresh session and an almost hardened profile fail, the reference profiles pass).
import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../server/protocol/api-client.ts';
import type { PlaygroundRequest } from '../../server/protocol/playground-types.ts';
import { formatVerdict } from '../../server/verify/verify-lab.ts';
import { verifyLabs } from '../../server/verify/verify-labs.ts';
import { labelled, startTestServer } from '../support/test-server.ts';
import { HARDENED_NOBODY as PROFILE } from '../support/playground-request.ts';

/** The status and message a request was refused with. */
async function refused(request: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await request;
  } catch (error) {
    if (!(error instanceof ApiRequestError)) throw error;
    return { status: error.status, message: error.message };
  }
  throw new Error('the request was accepted');
}

describe('the profile playground on a real engine', () => {
  it('refuses forged requests by field and creates no container for them', async () => {
    const instance = 'test-play-forged';
    await using t = await startTestServer(instance, 60_000, { pool: 'off' });
    const session = await t.api.startSession('playground');
    const ids = async (): Promise<string[]> =>
      (await labelled(t.docker, instance)).map((c) => c.Id).sort();
    const before = await ids();
    expect(before).toHaveLength(1);
    const forged: [string, Record<string, unknown>][] = [
      ['extra', { ...PROFILE, extra: true }],
      ['binds', { ...PROFILE, binds: ['/:/host'] }],
      ['image', { ...PROFILE, image: 'nslab/base:latest' }],
      ['privileged', { ...PROFILE, privileged: true }],
      ['devices', { ...PROFILE, devices: ['/dev/sda'] }],
      ['HostConfig', { ...PROFILE, HostConfig: { Privileged: true } }],
      ['memoryMb', { ...PROFILE, memoryMb: 100_000 }],
      ['pidsLimit', { ...PROFILE, pidsLimit: -1 }],
      ['readOnly', { ...PROFILE, readOnly: 'yes' }],
      ['capAdd', { ...PROFILE, capAdd: ['SYS_MODULE'] }],
      ['seccomp', { ...PROFILE, seccomp: '../../etc/shadow' }],
    ];
    for (const [field, body] of forged) {
      const answer = await refused(
        t.api.request('POST', `/api/sessions/${session.id}/playground`, body),
      );
      expect(answer.status, field).toBe(400);
      expect(answer.message, field).toContain(`Field "${field}"`);
    }
    expect(await ids()).toEqual(before);

    // A real profile replaces the container: one container, a new one, gone with the session.
    const view = await t.api.startPlayground(session.id, PROFILE);
    expect(view.score.passed).toBe(view.score.applicable);
    expect(view.dockerRun).toContain('--cap-drop ALL');
    const after = await ids();
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
    const again = await t.api.startPlayground(session.id, { ...PROFILE, capDrop: ['CHOWN'] });
    expect(again.score.passed).toBe(again.score.applicable);
    expect(await ids()).toHaveLength(1);
    const chown = await t.api.playgroundProbe(session.id, 'chown');
    expect(chown.outcome).toBe('blocked');
    // "Show me" starts the reference profile as Start would, and its check then passes.
    const shown = await t.api.skip(session.id, 'root-no-chown');
    expect(shown.passed, shown.reason).toBe(true);
    expect(await ids()).toHaveLength(1);

    // Other labs have no playground; probes are a fixed menu.
    const uts = await t.api.startSession('uts');
    expect((await refused(t.api.playground(uts.id))).status).toBe(404);
    const bogus = t.api.request('POST', `/api/sessions/${session.id}/playground/probes/rm-rf`);
    expect((await refused(bogus)).status).toBe(404);
    await t.api.endSession(uts.id);
    await t.api.endSession(session.id);
    expect(await labelled(t.docker, instance)).toEqual([]);
  }, 120_000);

  it('refuses the escape-prone options in a workshop, saying why', async () => {
    const instance = 'test-play-workshop';
    await using t = await startTestServer(instance, 60_000, {
      mode: 'workshop',
      joinCode: 'test-play-join',
      pool: 'off',
    });
    const session = await t.api.startSession('playground');
    const before = (await labelled(t.docker, instance)).map((c) => c.Id);
    const soloOnly: [string, Partial<PlaygroundRequest>][] = [
      ['share', { share: ['pid'] }],
      ['share', { share: ['net'] }],
      ['capAdd', { capAdd: ['SYS_ADMIN'] }],
      ['capAdd', { capAdd: ['SYS_PTRACE'] }],
      ['seccomp', { seccomp: 'unconfined' }],
    ];
    for (const [field, change] of soloOnly) {
      const answer = await refused(t.api.startPlayground(session.id, { ...PROFILE, ...change }));
      expect(answer.status).toBe(400);
      expect(answer.message).toMatch(new RegExp(`^Field "${field}".*solo mode`));
    }
    expect((await labelled(t.docker, instance)).map((c) => c.Id)).toEqual(before);
    await t.api.endSession(session.id);
  }, 120_000);

  it('proves the playground lab both ways', async () => {
    const verdicts = await verifyLabs(['playground'], (verdict) =>
      process.stdout.write(`${formatVerdict(verdict)}\n`),
    );
    expect(verdicts.filter((v) => !v.ok).map(formatVerdict)).toEqual([]);
  }, 300_000);
});
