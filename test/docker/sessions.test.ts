// Sessions against the real engine: what a learner's container looks like from the host,
// and that it goes away on every path (end, grace period, server stop).
import { describe, expect, it } from 'vitest';
import { apiPath } from '../../server/protocol/routes.ts';
import { labelled, startTestServer } from '../support/test-server.ts';

describe('sessions on the real engine', () => {
  it('creates each lab container with labels, limits, no socket and no network', async () => {
    await using t = await startTestServer('test-sessions');
    const session = await t.api.startSession('uts');
    expect(session.terminals.map((x) => x.name)).toEqual(['isolated', 'host-uts']);
    const containers = await labelled(t.docker, 'test-sessions', session.id);
    expect(containers).toHaveLength(2);
    for (const info of containers) {
      const inspect = await t.docker.getContainer(info.Id).inspect();
      expect(inspect.Config.Labels).toMatchObject({
        'nslab.session': session.id,
        'nslab.lab': 'uts',
      });
      expect(inspect.HostConfig.Memory).toBe(128 * 1024 * 1024);
      expect(inspect.HostConfig.MemorySwap).toBe(128 * 1024 * 1024);
      expect(inspect.HostConfig.PidsLimit).toBe(128);
      expect(inspect.HostConfig.NanoCpus).toBe(0.5e9);
      expect(inspect.HostConfig.NetworkMode).toBe('none');
      expect(inspect.HostConfig.Privileged).toBe(false);
      expect(inspect.HostConfig.LogConfig?.Config).toMatchObject({ 'max-size': '1m' });
      const sources = inspect.Mounts.map((m) => m.Source);
      expect(sources.some((s) => s.includes('docker.sock'))).toBe(false);
    }
    const isolated = await t.docker
      .getContainer(containers.find((c) => c.Labels['nslab.container'] === 'isolated')?.Id ?? '')
      .inspect();
    expect(isolated.Config.Hostname).toBe('nslab-uts');
    expect(session.terminals[0]?.dockerRun).toContain('--hostname nslab-uts');
    expect(session.terminals[1]?.dockerRun).toContain('--uts=host');

    await t.api.endSession(session.id);
    expect(await labelled(t.docker, 'test-sessions', session.id)).toEqual([]);
    await expect(t.api.check(session.id, 'own-namespace', '1')).rejects.toMatchObject({
      status: 404,
    });
  });

  it('ends a session nobody reconnects to after the grace period, and keeps one that does', async () => {
    await using t = await startTestServer('test-grace', 5_000);
    // The kept session's terminal opens before the other session starts: a session with no
    // terminal yet is in its grace period too, and a start on a loaded machine took seconds.
    const kept = await t.api.startSession('uts');
    const terminal = await t.openTerminal(kept.id, 'isolated');
    const dropped = await t.api.startSession('uts');
    await terminal.close();
    // Reconnect within the grace period: same shell, earlier output replayed. The grace is
    // generous against a loaded machine, whose upgrade alone once took over a second.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const again = await t.openTerminal(kept.id, 'isolated');
    await expect
      .poll(() => labelled(t.docker, 'test-grace', dropped.id), { timeout: 15_000, interval: 250 })
      .toEqual([]);
    expect(await labelled(t.docker, 'test-grace', kept.id)).toHaveLength(2);
    await again.close();
    await expect
      .poll(() => labelled(t.docker, 'test-grace', kept.id), { timeout: 15_000, interval: 250 })
      .toEqual([]);
  });

  it('leaves nothing on the engine when the server stops', async () => {
    const t = await startTestServer('test-stop');
    await t.api.startSession('uts');
    await t.api.startSession('uts');
    expect(await labelled(t.docker, 'test-stop')).toHaveLength(4);
    await t.server.stop();
    expect(await labelled(t.docker, 'test-stop')).toEqual([]);
  });

  it('refuses bad lab ids without touching the engine', async () => {
    await using t = await startTestServer('test-badinput');
    for (const labId of ['../uts', '%2e%2e%2futs', 'UTS', 'nope', '']) {
      await expect(t.api.startSession(labId)).rejects.toMatchObject({ status: 404 });
    }
    await expect(
      t.api.request('POST', apiPath('startSession'), { labId: 'uts', image: 'alpine' }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      t.api.request('POST', apiPath('startSession'), { labId: 'uts', privileged: true }),
    ).rejects.toMatchObject({ status: 400 });
    expect(await labelled(t.docker, 'test-badinput')).toEqual([]);
  });
});
