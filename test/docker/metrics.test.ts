// /metrics on a real workshop server and engine: a learner gets 403 and a stranger 401; the
// instructor's scrape moves as a session starts, its shell prompts, bytes cross the
// terminal, checks pass and fail, and the session ends.
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../server/protocol/api-client.ts';
import { TerminalDriver } from '../../server/verify/terminal-driver.ts';
import { statusOf } from '../support/api-status.ts';
import { startTestServer } from '../support/test-server.ts';

/** The value of one sample in Prometheus's text format; 0 when it is not there yet. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const have = (match[2] ?? '').split(',');
    if (wanted.every((pair) => have.includes(pair))) return Number(match[3]);
  }
  return 0;
}

describe('metrics', () => {
  it('refuses learners and strangers, and moves with a session, its terminal and checks', async () => {
    await using t = await startTestServer('test-metrics', 60_000, {
      mode: 'workshop',
      joinCode: 'test-metrics-code',
      pool: 'off',
    });
    const learner = await ApiClient.join(t.server.origin, t.server.config.joinCode);
    expect(await statusOf(learner.metrics())).toBe(403);
    expect(await statusOf(new ApiClient(t.server.origin).metrics())).toBe(401);
    const scrape = async (): Promise<string> => (await t.api.metrics()).text;
    const before = await scrape();
    expect(sample(before, 'nslab_sessions_active')).toBe(0);

    const session = await t.api.startSession('uts');
    const driver = await TerminalDriver.open(
      t.api.terminalUrl(session.id, 'isolated'),
      t.api.terminalAuth,
    );
    await driver.waitForPrompt();
    const typed = 'echo not-my-name > /etc/hostname';
    await driver.run(typed);
    expect(await t.api.check(session.id, 'file-is-not-the-name')).toMatchObject({ passed: true });
    expect((await t.api.check(session.id, 'own-namespace', '99999')).passed).toBe(false);

    const uts = { lab: 'uts', source: 'fresh' };
    await expect
      .poll(async () => sample(await scrape(), 'nslab_start_to_prompt_seconds_count', uts))
      .toBe(1);
    const during = await scrape();
    expect(sample(during, 'nslab_sessions_active')).toBe(1);
    expect(sample(during, 'nslab_containers')).toBe(session.terminals.length);
    expect(sample(during, 'nslab_sessions_started_total', uts)).toBe(1);
    expect(sample(during, 'nslab_start_to_prompt_seconds_sum', uts)).toBeGreaterThan(0);
    expect(sample(during, 'nslab_pool_sessions')).toBe(0);
    const check = (exercise: string, verdict: string) =>
      sample(during, 'nslab_check_results_total', { lab: 'uts', exercise, verdict });
    expect(check('file-is-not-the-name', 'passed')).toBe(1);
    expect(check('own-namespace', 'failed')).toBe(1);
    expect(
      sample(during, 'nslab_terminal_bytes_total', { direction: 'in' }),
    ).toBeGreaterThanOrEqual(typed.length);
    // The prompt and the echo of what was typed came back out.
    expect(sample(during, 'nslab_terminal_bytes_total', { direction: 'out' })).toBeGreaterThan(
      typed.length,
    );
    expect(sample(during, 'nslab_websocket_connections', { kind: 'terminal' })).toBe(1);

    await driver.close();
    await t.api.endSession(session.id);
    await expect
      .poll(async () => sample(await scrape(), 'nslab_websocket_connections', { kind: 'terminal' }))
      .toBe(0);
    const after = await scrape();
    expect(sample(after, 'nslab_sessions_active')).toBe(0);
    expect(sample(after, 'nslab_sessions_ended_total', { lab: 'uts', reason: 'learner' })).toBe(1);
    expect(await t.server.leftovers(session.id)).toEqual([]);
  }, 120_000);
});
