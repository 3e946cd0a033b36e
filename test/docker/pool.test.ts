// The warm pool on the real engine: sessions made ahead of any learner, their shells at a
// prompt; a Start takes one and the pool refills; two clicks never share one; each has its
// own secret; old ones are replaced; a broken one is dropped; stopping leaves nothing.
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../server/protocol/api-client.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const POOL_READY_MS = 60_000;

/** Another learner on the same server (solo mode names learners by a header for tests). */
function learner(t: TestServer, name: string): ApiClient {
  return new ApiClient(t.api.origin, t.api.token, name);
}

describe('warm pool', () => {
  it('hands a ready session to a Start, with its prompt already waiting, and refills', async () => {
    await using t = await startTestServer('test-pool-claim', 60_000, { pool: { uts: 2 } });
    const pool = t.server.pool;
    expect(pool).toBeDefined();
    if (pool === undefined) return;
    await expect.poll(() => pool.readyFor('uts'), { timeout: POOL_READY_MS }).toBe(2);
    // Made for nobody, but labelled with this instance like any session: a sweep finds them.
    expect(await t.server.leftovers()).toHaveLength(4);

    const started = performance.now();
    const session = await t.api.startSession('uts');
    const driver = await t.openTerminal(session.id, 'isolated');
    const clickToPrompt = performance.now() - started;
    expect(pool.claimed).toBe(1);
    expect(t.server.sessions.get(session.id).fromPool).toBe(true);
    // The prompt was printed before the click and comes back in the replay.
    expect(driver.controls.find((c) => c.type === 'ready')).toMatchObject({ replayed: true });
    expect(clickToPrompt).toBeLessThan(3_000);
    // The pooled session is the learner's like any other: checks read its containers.
    const check = await t.api.check(session.id, 'file-is-not-the-name');
    expect(check.passed).toBe(false);
    await driver.close();

    await expect.poll(() => pool.readyFor('uts'), { timeout: POOL_READY_MS }).toBe(2);
    await t.api.endSession(session.id);
    await expect.poll(() => t.server.leftovers(session.id)).toEqual([]);
  });

  it('never gives one pooled session to two learners, and gives each its own secret', async () => {
    await using t = await startTestServer('test-pool-race', 60_000, { pool: { uts: 1 } });
    const pool = t.server.pool;
    if (pool === undefined) throw new Error('no pool');
    await pool.whenReady('uts', POOL_READY_MS);
    const [a, b] = await Promise.all([
      t.api.startSession('uts'),
      learner(t, 'second-learner').startSession('uts'),
    ]);
    expect(a.id).not.toBe(b.id);
    expect(pool.claimed).toBe(1);
    const sa = t.server.sessions.get(a.id);
    const sb = t.server.sessions.get(b.id);
    expect([sa.fromPool, sb.fromPool].sort()).toEqual([false, true]);
    expect(sa.token).not.toBe(sb.token);
    const containers = new Set(
      [...sa.containers.values(), ...sb.containers.values()].map((c) => c.id),
    );
    expect(containers.size).toBe(4);
  });

  it('replaces a pooled session past its age with a fresh one', async () => {
    await using t = await startTestServer('test-pool-recycle', 60_000, {
      pool: { uts: 1 },
      poolMaxAgeMs: 4_000,
    });
    const pool = t.server.pool;
    if (pool === undefined) throw new Error('no pool');
    await pool.whenReady('uts', POOL_READY_MS);
    const first = await t.server.leftovers();
    // Recycled within an age and a check interval, and refilled.
    await expect
      .poll(
        async () => {
          const now = await t.server.leftovers();
          return now.length === 2 && !now.some((id) => first.includes(id));
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(true);
    expect(await t.server.leftovers()).toHaveLength(2);
  });

  it('drops a pooled session whose container died, and leaves nothing when the server stops', async () => {
    const t = await startTestServer('test-pool-kill', 60_000, { pool: { uts: 1 } });
    const pool = t.server.pool;
    if (pool === undefined) throw new Error('no pool');
    await pool.whenReady('uts', POOL_READY_MS);
    const [victim] = await t.server.leftovers();
    if (victim === undefined) throw new Error('no pooled container');
    await t.docker.getContainer(victim).remove({ force: true });
    await expect
      .poll(async () => (await t.server.leftovers()).includes(victim), { timeout: 10_000 })
      .toBe(false);
    await pool.whenReady('uts', POOL_READY_MS);
    const session = await t.api.startSession('uts');
    expect(t.server.sessions.get(session.id).containers.size).toBe(2);
    await t.server.stop();
    expect(await t.server.leftovers()).toEqual([]);
  });

  it('counts pooled sessions in the server cap and gives one up for a learner', async () => {
    await using t = await startTestServer('test-pool-cap', 60_000, {
      pool: { uts: 2 },
      maxSessions: 4,
    });
    const pool = t.server.pool;
    if (pool === undefined) throw new Error('no pool');
    await expect.poll(() => pool.readyFor('uts'), { timeout: POOL_READY_MS }).toBe(2);
    // Two live sessions of another lab plus the two pooled fill the cap; a third start makes
    // room by giving up a pooled session rather than refusing the learner.
    await learner(t, 'a').startSession('pid');
    await learner(t, 'b').startSession('pid');
    await learner(t, 'c').startSession('pid');
    expect(t.server.sessions.size).toBe(3);
    expect(t.server.sessions.size + pool.size).toBeLessThanOrEqual(4);
  });
});
