// (a) The main dockerd restarted mid-session.
import { existsSync } from 'node:fs';
import Dockerode from 'dockerode';
import { sleep } from '../load/stats.ts';
import type { ServerProcess } from '../support/server-process.ts';
import { engineAnswers, findMainDockerd, startDaemonLike, type DaemonProcess } from './dockerd.ts';
import { Report, type FaultReport } from './fault-report.ts';
import { provesWorking, startLearner, statusOf } from './fault-learner.ts';
import { Timeline } from './timeline.ts';

/** Starts dockerd as it ran and waits until `docker info` answers (120 s at most). */
async function restartDaemon(report: Report, daemon: DaemonProcess, t0: number): Promise<void> {
  const t1 = performance.now();
  const newPid = startDaemonLike(daemon);
  while (!(await engineAnswers())) {
    if (performance.now() - t1 > 120_000)
      throw new Error(
        `dockerd did not come back within 120 s; start it by hand: cd ${daemon.cwd} && setsid ${daemon.argv.join(' ')} >>${daemon.logPath ?? '/var/log/nslab-dockerd.log'} 2>&1 &`,
      );
    await sleep(250);
  }
  report.time('start to `docker info` answering', t1);
  report.time('SIGTERM to engine answering again', t0);
  report.notes.push(`dockerd restarted as pid ${newPid}`);
}

/** Whether the userns engine (which the fault leaves alone) still answers. */
async function usernsEngine(): Promise<string> {
  return existsSync('/run/nslab/userns-engine/docker.sock')
    ? await new Dockerode({ socketPath: '/run/nslab/userns-engine/docker.sock' }).ping().then(
        () => 'answers',
        () => 'does not answer',
      )
    : 'not running here';
}

/**
 * (a) SIGTERM the main dockerd mid-session and start it again. Without live-restore every
 * container on the engine stops, other people's too: only the developer script runs this.
 */
export async function faultDockerdRestart(server: ServerProcess): Promise<FaultReport> {
  const report = new Report('(a) dockerd restarted mid-session');
  const daemon = findMainDockerd();
  report.notes.push(
    `main dockerd pid ${daemon.pid}: ${daemon.argv.join(' ')} (cwd ${daemon.cwd}, log ${daemon.logPath ?? 'none'})`,
  );
  const { api, session, driver } = await startLearner(server, 'fault-dockerd-learner');
  await driver.run('echo before-restart');
  const running = await new Dockerode().listContainers({ filters: { status: ['running'] } });
  report.notes.push(
    `${running.length} container(s) were running on the main engine (all will stop)`,
  );
  const timeline = new Timeline(driver);
  timeline.mark();
  const t0 = performance.now();
  process.kill(daemon.pid, 'SIGTERM');
  while (existsSync(`/proc/${daemon.pid}`) && performance.now() - t0 < 120_000) await sleep(100);
  report.time('SIGTERM to dockerd exited', t0);
  // A learner who clicks Start while the engine is down.
  const during = await server
    .api('fault-dockerd-other')
    .startSession('uts')
    .then(
      () => 'a session started (unexpected)',
      (error: unknown) => statusOf(error),
    );
  report.learnerSaw.push(`another learner's Start while dockerd was down: ${during}`);
  report.expect(/HTTP 503/.test(during), `Start during the outage answered ${during}`);
  await restartDaemon(report, daemon, t0);
  try {
    const reconcileMs = await timeline.waitFor(/engine restarted/, 20_000);
    report.timings['SIGTERM to the reconcile notice'] = Math.round(reconcileMs);
  } catch (error) {
    report.problems.push(`no reconcile notice: ${statusOf(error)}`);
  }
  const t2 = performance.now();
  const fresh = await api.reset(session.id);
  await provesWorking(report, api, fresh);
  report.time('Reset to a working prompt', t2);
  report.time('SIGTERM to a working prompt', t0);
  await timeline.waitFor(/^close/, 5_000).catch(() => undefined);
  await timeline.stop();
  report.learnerSaw.unshift(...timeline.lines());
  report.notes.push(`the userns engine (left alone) ${await usernsEngine()}`);
  await api.endSession(fresh.id);
  await report.checkLeftovers(server.instance);
  return report.done();
}
