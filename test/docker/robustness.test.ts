// Short versions of the proof scripts (npm run test:load, test:fuzz, test:faults): a small
// load with 0 errors and 0 leaks, the full 10k-frame fuzz, and the faults that only touch
// this test's own containers. Each runs the real `nslab serve` as a child process.
// The dockerd restart (fault a) stops every container on the engine, other people's too, so
// it runs only when asked: NSLAB_TEST_DOCKERD_RESTART=1 (and always in `npm run test:faults`).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  faultDockerdRestart,
  faultDockerKill,
  faultServerKill,
  faultWebSocketDrop,
  formatFaultReport,
} from '../faults/faults.ts';
import { describeLeftovers, leftovers } from '../faults/leftovers.ts';
import { ServerProcess } from '../support/server-process.ts';
import { formatFuzzReport, runFuzz } from '../fuzz/fuzz.ts';
import { runLoad } from '../load/load-run.ts';

const token = (): string => randomBytes(18).toString('base64url');

describe('robustness', () => {
  it('carries 5 concurrent learners for 20 s with no error and nothing left behind', async () => {
    const instance = 'test-robust-load';
    await using server = await ServerProcess.start({
      instance,
      token: token(),
      env: { NSLAB_MAX_SESSIONS: '5', NSLAB_MAX_SESSIONS_PER_LEARNER: '1' },
    });
    const result = await runLoad({
      api: (learner) => server.api(learner),
      learners: 5,
      seconds: 20,
    });
    expect(result.errors).toEqual([]);
    expect(result.sessionsCompleted).toBeGreaterThanOrEqual(5);
    expect(result.echo.count).toBeGreaterThan(0);
    expect(describeLeftovers(await leftovers(instance))).toBe('nothing left behind');
    expect(server.errorLines()).toEqual([]);
    expect(server.alive).toBe(true);
  }, 120_000);

  it('survives 10k random frames and every kind of bad input while another learner types', async () => {
    const instance = 'test-robust-fuzz';
    await using server = await ServerProcess.start({ instance, token: token() });
    const report = await runFuzz(server, { frames: 10_000 });
    // The seed and every case are in the message when something fails.
    expect(report.problems, formatFuzzReport(report).join('\n')).toEqual([]);
    expect(report.frames.sent).toBe(10_000);
    expect(report.bystander.failures).toEqual([]);
    expect(report.serverErrorLines).toEqual([]);
    expect(describeLeftovers(await leftovers(instance))).toBe('nothing left behind');
  }, 120_000);

  it('tells the learner about a killed container at once and recovers on Reset; a dropped WebSocket resumes the same shell', async () => {
    const instance = 'test-robust-faults';
    await using server = await ServerProcess.start({ instance, token: token() });
    const killed = await faultDockerKill(server);
    expect(killed.problems, formatFaultReport(killed).join('\n')).toEqual([]);
    expect(killed.learnerSaw.join('\n')).toMatch(
      /notice\(error\): The container "isolated" stopped/,
    );
    expect(killed.timings['kill to notice']).toBeLessThan(2_000);
    const dropped = await faultWebSocketDrop(server);
    expect(dropped.problems, formatFaultReport(dropped).join('\n')).toEqual([]);
    expect(server.errorLines()).toEqual([]);
  }, 120_000);

  it('a SIGKILLed server leaves its containers; the restarted one sweeps them and serves again', async () => {
    const report = await faultServerKill('test-robust-crash', token());
    expect(report.problems, formatFaultReport(report).join('\n')).toEqual([]);
    expect(report.learnerSaw[0]).toMatch(/close 1006/);
  }, 120_000);

  it.skipIf(process.env.NSLAB_TEST_DOCKERD_RESTART !== '1')(
    'reconciles after dockerd restarts mid-session (opt-in: it stops every container on the engine)',
    async () => {
      const instance = 'test-robust-dockerd';
      await using server = await ServerProcess.start({ instance, token: token() });
      const report = await faultDockerdRestart(server);
      expect(report.problems, formatFaultReport(report).join('\n')).toEqual([]);
    },
    240_000,
  );
});
