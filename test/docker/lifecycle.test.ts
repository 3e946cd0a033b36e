// Session lifecycle against the real engine: clocks, caps, ownership, and the words a
// learner gets when a container dies or disappears behind nslab's back.
import Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { NslabServer } from '../../server/nslab-server.ts';
import { ApiClient } from '../../server/protocol/api-client.ts';
import { TerminalDriver } from '../../server/verify/terminal-driver.ts';
import type { ServerControl } from '../../server/protocol/terminal-messages.ts';

const FAST_CLOCK = { lifetimeMs: 60_000, idleMs: 2_000, extendMs: 30_000, maxExtensions: 1 };

function noticeOrExit(controls: ServerControl[]): string[] {
  return controls.flatMap((c) =>
    c.type === 'notice' ? [c.message] : c.type === 'exit' ? [c.reason] : [],
  );
}

describe('session lifecycle', () => {
  it('ends an idle session and tells the learner why; typing keeps it alive', async () => {
    await using server = await NslabServer.start({
      config: { port: 0, instance: 'test-idle', clock: FAST_CLOCK },
    });
    const api = new ApiClient(server.origin, server.config.token);
    const session = await api.startSession('uts');
    const driver = await TerminalDriver.open(
      api.terminalUrl(session.id, 'isolated'),
      api.terminalAuth,
    );
    await driver.waitForPrompt();
    // The lab's other terminal, opened by a page that reads Chinese (`?lang=zh`).
    const zhApi = new ApiClient(server.origin, server.config.token);
    zhApi.lang = 'zh';
    const zhDriver = await TerminalDriver.open(
      zhApi.terminalUrl(session.id, 'host-uts'),
      zhApi.terminalAuth,
    );
    expect(driver.controls.some((c) => c.type === 'status')).toBe(true);
    // Keystrokes every 500 ms for 3 s: longer than the idle timeout, and the session lives.
    for (let i = 0; i < 6; i++) {
      driver.send(' ');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(await server.leftovers(session.id)).toHaveLength(2);
    const quietSince = Date.now();
    await driver.waitFor(() => driver.closeInfo !== undefined, 'the session to end', 8_000);
    const endedAfter = Date.now() - quietSince;
    expect(endedAfter).toBeLessThan(2_000 + 2_000);
    expect(driver.closeInfo?.code).toBe(4000);
    expect(noticeOrExit(driver.controls).join(' ')).toMatch(/idle timeout/);
    // Each socket hears why in its own page's language.
    await zhDriver.waitFor(() => zhDriver.closeInfo !== undefined, 'the Chinese terminal to end');
    expect(noticeOrExit(zhDriver.controls)).toContain(
      '会话已结束：有一段时间没人输入了（空闲超时）。',
    );
    // The learner is told first; the containers go right after.
    await expect.poll(() => server.leftovers(session.id), { timeout: 10_000 }).toEqual([]);
  });

  it('extends while quota allows, then refuses with 409', async () => {
    await using server = await NslabServer.start({
      config: { port: 0, instance: 'test-extend', clock: { ...FAST_CLOCK, idleMs: 60_000 } },
    });
    const api = new ApiClient(server.origin, server.config.token);
    const session = await api.startSession('uts');
    const extended = await api.extend(session.id);
    expect(extended.endsAt - session.endsAt).toBeGreaterThanOrEqual(30_000);
    expect(extended.canExtend).toBe(false);
    await expect(api.extend(session.id)).rejects.toMatchObject({ status: 409 });
  });

  it('caps sessions per learner with a clear 409 and keeps learners apart', async () => {
    await using server = await NslabServer.start({
      config: { port: 0, instance: 'test-caps', maxSessionsPerLearner: 2 },
    });
    const alice = new ApiClient(server.origin, server.config.token, 'alice-learner-1');
    const bob = new ApiClient(server.origin, server.config.token, 'bob-learner-22');
    const [a1] = await Promise.all([alice.startSession('uts'), alice.startSession('uts')]);
    await expect(alice.startSession('uts')).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/most one learner/) as unknown,
    });
    // Bob is not affected by Alice's cap, and cannot see or touch Alice's session.
    const b1 = await bob.startSession('uts');
    await expect(bob.check(a1.id, 'own-namespace', '1')).rejects.toMatchObject({
      status: 404,
    });
    await expect(bob.endSession(a1.id)).rejects.toMatchObject({ status: 404 });
    await expect(
      TerminalDriver.open(bob.terminalUrl(a1.id, 'isolated'), bob.terminalAuth),
    ).rejects.toThrow(/404/);
    expect(await server.leftovers(a1.id)).toHaveLength(2);
    await bob.endSession(b1.id);
  });

  it('tells the learner within 2 s when a container is killed, and ends the session when one is removed', async () => {
    await using server = await NslabServer.start({ config: { port: 0, instance: 'test-death' } });
    const api = new ApiClient(server.origin, server.config.token);
    const docker = new Dockerode();
    const session = await api.startSession('uts');
    const driver = await TerminalDriver.open(
      api.terminalUrl(session.id, 'isolated'),
      api.terminalAuth,
    );
    await driver.waitForPrompt();
    let isolated = '';
    for (const id of await server.leftovers(session.id)) {
      const info = await docker.getContainer(id).inspect();
      if (info.Config.Labels['nslab.container'] === 'isolated') isolated = id;
    }
    expect(isolated).not.toBe('');
    let started = Date.now();
    await docker.getContainer(isolated).kill();
    await driver.waitFor(
      () => noticeOrExit(driver.controls).some((m) => /stopped/.test(m)),
      'a notice',
      2_000,
    );
    expect(Date.now() - started).toBeLessThan(2_000);

    const other2 = await api.startSession('uts');
    const watcher = await TerminalDriver.open(
      api.terminalUrl(other2.id, 'isolated'),
      api.terminalAuth,
    );
    await watcher.waitForPrompt();
    const ids = await server.leftovers(other2.id);
    started = Date.now();
    await docker.getContainer(ids[0] ?? '').remove({ force: true });
    await watcher.waitFor(() => watcher.closeInfo !== undefined, 'the session to end', 2_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(noticeOrExit(watcher.controls).join(' ')).toMatch(/removed outside nslab/);
    await expect.poll(() => server.leftovers(other2.id)).toEqual([]);
  });

  it("resets a lab to a fresh session and runs an exercise's reference solution on request", async () => {
    await using server = await NslabServer.start({ config: { port: 0, instance: 'test-reset' } });
    const api = new ApiClient(server.origin, server.config.token);
    const first = await api.startSession('uts');
    const skipped = await api.skip(first.id, 'file-is-not-the-name');
    expect(skipped.passed).toBe(true);
    expect(skipped.reason).toMatch(/^Skipped/);
    const fresh = await api.reset(first.id);
    expect(fresh.id).not.toBe(first.id);
    expect(await server.leftovers(first.id)).toEqual([]);
    // The fresh session starts over: the skipped exercise fails again.
    expect((await api.check(fresh.id, 'file-is-not-the-name')).passed).toBe(false);
    const answered = await api.skip(fresh.id, 'own-namespace');
    expect(answered.passed).toBe(true);
  });

  it('resets the host: every session ends and nothing of the instance is left', async () => {
    await using server = await NslabServer.start({
      config: { port: 0, instance: 'test-reset-host' },
    });
    const api = new ApiClient(server.origin, server.config.token);
    const user = await api.startSession('user');
    await api.startSession('uts');
    const terminal = await TerminalDriver.open(api.terminalUrl(user.id, 'plain'), api.terminalAuth);
    await terminal.waitForPrompt();
    expect((await server.leftovers()).length).toBeGreaterThanOrEqual(4);
    const { removed } = await api.resetHost();
    expect(removed).toBeGreaterThanOrEqual(0);
    await terminal.waitFor(() => terminal.closeInfo !== undefined, 'the terminal to close');
    expect(noticeOrExit(terminal.controls).join(' ')).toMatch(/reset the host/);
    expect(await server.leftovers()).toEqual([]);
    await expect(api.check(user.id, 'host-uid', '0')).rejects.toMatchObject({ status: 404 });
  });
});
