// Kills: (b) `docker kill` of a learner's container, (c) kill -9 of the server.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sleep } from '../load/stats.ts';
import { describeLeftovers, leftoverCount, leftovers } from './leftovers.ts';
import { ServerProcess } from '../support/server-process.ts';
import { Report, type FaultReport } from './fault-report.ts';
import {
  containerId,
  provesWorking,
  startLearner,
  statusOf,
  upgradeOutcome,
} from './fault-learner.ts';
import { Timeline } from './timeline.ts';

const run = promisify(execFile);

// (b) ------------------------------------------------------------------------------------

/** `docker kill` the learner's container: a notice within 2 s, then Reset gives a fresh lab. */
export async function faultDockerKill(server: ServerProcess): Promise<FaultReport> {
  const report = new Report('(b) docker kill of a learner container');
  const { api, session, driver } = await startLearner(server, 'fault-kill-learner');
  await driver.run('echo before-kill');
  const timeline = new Timeline(driver);
  const id = await containerId(server.instance, session.id, 'isolated');
  timeline.mark();
  const t0 = performance.now();
  await run('docker', ['kill', id]);
  report.time('docker kill returned', t0);
  try {
    const noticeMs = await timeline.waitFor(/^notice.*stopped/, 10_000);
    report.timings['kill to notice'] = Math.round(noticeMs);
    report.expect(noticeMs < 2_000, `the notice came after ${Math.round(noticeMs)} ms (> 2 s)`);
  } catch (error) {
    report.problems.push(statusOf(error));
  }
  await sleep(1_000);
  // The learner types into the dead terminal: what do they get?
  driver.send('x');
  await timeline.waitFor(/^error|^exit|^notice.*(could not|restart)/, 5_000).catch(() => undefined);
  await sleep(500);
  const t1 = performance.now();
  const fresh = await api.reset(session.id);
  await provesWorking(report, api, fresh);
  report.time('Reset to a working prompt', t1);
  report.time('kill to a working prompt (incl. the 1.5 s the learner waited)', t0);
  await timeline.waitFor(/^close/, 5_000).catch(() => undefined);
  await timeline.stop();
  report.learnerSaw.push(...timeline.lines());
  report.expect(
    (await leftovers(server.instance, session.id)).containers.length === 0,
    'the killed session still has containers after Reset',
  );
  await api.endSession(fresh.id);
  await report.checkLeftovers(server.instance);
  return report.done();
}

// (c) ------------------------------------------------------------------------------------

/** kill -9 the server mid-session, start it again: the sweep removes what it left. */
export async function faultServerKill(instance: string, token: string): Promise<FaultReport> {
  const report = new Report('(c) kill -9 of the server, then start it again');
  const first = await ServerProcess.start({ instance, token });
  const learner = 'fault-crash-learner';
  const { session, driver } = await startLearner(first, learner);
  await driver.run('echo before-crash');
  const timeline = new Timeline(driver);
  timeline.mark();
  const t0 = performance.now();
  await first.kill9();
  report.time('kill -9 to process gone', t0);
  try {
    const closeMs = await timeline.waitFor(/^close/, 5_000);
    report.timings['kill to WebSocket close'] = Math.round(closeMs);
  } catch (error) {
    report.problems.push(statusOf(error));
  }
  const orphans = await leftovers(instance);
  report.notes.push(
    `between the crash and the restart the engine held ${orphans.containers.length} container(s) of the dead server: ${orphans.containers.join(', ')}`,
  );
  report.expect(
    orphans.containers.length === 2,
    'expected the 2 containers of the crashed session',
  );
  const t1 = performance.now();
  const second = await ServerProcess.start({ instance, token });
  try {
    report.time('restart to ready (includes the start-up sweep)', t1);
    await afterRestart(report, second, { learner, sessionId: session.id, timeline, t0 });
  } finally {
    const exit = await second.stop();
    report.expect(
      exit.code === 0,
      `the restarted server exited with ${JSON.stringify(exit)} on SIGTERM`,
    );
  }
  const afterStop = await leftovers(instance);
  report.expect(leftoverCount(afterStop) === 0, `left after stop: ${describeLeftovers(afterStop)}`);
  return report.done();
}

/** On the restarted server: swept, the old session gone, a new one works. */
async function afterRestart(
  report: Report,
  second: ServerProcess,
  crashed: { learner: string; sessionId: string; timeline: Timeline; t0: number },
): Promise<void> {
  const { learner, timeline, t0 } = crashed;
  const session = { id: crashed.sessionId };
  const instance = second.instance;
  const swept = await leftovers(instance);
  report.notes.push(`right after the restart: ${describeLeftovers(swept)}`);
  report.expect(
    leftoverCount(swept) === 0,
    `the restarted server did not sweep: ${describeLeftovers(swept)}`,
  );
  const api = second.api(learner);
  // The page reconnects (same token, same learner cookie) and asks for its old session.
  const old = await api.session(session.id).then(
    () => 'the old session still answers',
    (error: unknown) => statusOf(error),
  );
  report.learnerSaw.push(...timeline.lines());
  await timeline.stop();
  report.learnerSaw.push(`after the restart, GET of the old session: ${old}`);
  report.learnerSaw.push(
    `after the restart, the old terminal's WebSocket: ${await upgradeOutcome(api, session.id)}`,
  );
  report.expect(/HTTP 404/.test(old), `the old session answered ${old}`);
  const t2 = performance.now();
  const fresh = await api.startSession('uts');
  await provesWorking(report, api, fresh);
  report.time('new session to a working prompt', t2);
  report.time('kill to a working prompt on the restarted server', t0);
  await api.endSession(fresh.id);
  await report.checkLeftovers(instance);
}
