// The faults of issue 4, each against a real server and a real engine, each reporting what
// the learner saw (control messages and close codes, timed from the fault), how long
// recovery took, and what was left behind. Problems are collected, not thrown, so a report
// always shows the whole story; callers fail on `problems.length > 0`.
import { execFile, spawn } from 'node:child_process';
import { existsSync, openSync, readdirSync, readFileSync, readlinkSync, closeSync } from 'node:fs';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import type WebSocket from 'ws';
import type { SessionView } from '../../server/protocol/api-types.ts';
import { ApiRequestError, type ApiClient } from '../../server/protocol/api-client.ts';
import { TerminalDriver } from '../../server/verify/terminal-driver.ts';
import { sleep } from '../load/stats.ts';
import { describeLeftovers, leftoverCount, leftovers } from './leftovers.ts';
import { ServerProcess } from '../support/server-process.ts';
import { BlackholeProxy } from './tcp-proxy.ts';
import { Timeline } from './timeline.ts';

const run = promisify(execFile);

export interface FaultReport {
  fault: string;
  /** Control messages and close codes, "+seconds what", timed from the fault. */
  learnerSaw: string[];
  /** Named durations in ms. */
  timings: Record<string, number>;
  notes: string[];
  leftovers: string;
  problems: string[];
}

class Report {
  readonly learnerSaw: string[] = [];
  readonly timings: Record<string, number> = {};
  readonly notes: string[] = [];
  readonly problems: string[] = [];
  left = 'not checked';

  constructor(readonly fault: string) {}

  expect(ok: boolean, problem: string): void {
    if (!ok) this.problems.push(problem);
  }

  time(name: string, since: number): number {
    const ms = Math.round(performance.now() - since);
    this.timings[name] = ms;
    return ms;
  }

  async checkLeftovers(instance: string, sessionId?: string): Promise<void> {
    const left = await leftovers(instance, sessionId);
    this.left = describeLeftovers(left);
    this.expect(leftoverCount(left) === 0, `left behind: ${this.left}`);
  }

  done(): FaultReport {
    return {
      fault: this.fault,
      learnerSaw: this.learnerSaw,
      timings: this.timings,
      notes: this.notes,
      leftovers: this.left,
      problems: this.problems,
    };
  }
}

export function formatFaultReport(report: FaultReport): string[] {
  return [
    `== ${report.fault}: ${report.problems.length === 0 ? 'PASS' : 'FAIL'}`,
    '  the learner saw:',
    ...report.learnerSaw.map((line) => `    ${line}`),
    `  timings: ${Object.entries(report.timings)
      .map(([name, ms]) => `${name} ${ms} ms`)
      .join(', ')}`,
    ...report.notes.map((note) => `  note: ${note}`),
    `  leftovers: ${report.leftovers}`,
    ...report.problems.map((problem) => `  PROBLEM: ${problem}`),
  ];
}

interface Learner {
  api: ApiClient;
  session: SessionView;
  driver: TerminalDriver;
}

async function openTerminal(api: ApiClient, sessionId: string): Promise<TerminalDriver> {
  const driver = await TerminalDriver.open(api.terminalUrl(sessionId, 'isolated'), {
    ...api.terminalAuth,
    timeoutMs: 30_000,
  });
  // The replayed screen may already end in a prompt: wait for the attach to finish too.
  await driver.waitFor(() => driver.controls.some((c) => c.type === 'ready'), 'ready', 60_000);
  await driver.waitForPrompt(60_000);
  return driver;
}

async function startLearner(server: ServerProcess, name: string): Promise<Learner> {
  const api = server.api(name);
  const session = await api.startSession('uts');
  return { api, session, driver: await openTerminal(api, session.id) };
}

/** The engine id of one of a session's containers, by its name in the lab. */
async function containerId(instance: string, sessionId: string, name: string): Promise<string> {
  const list = await new Dockerode().listContainers({
    all: true,
    filters: {
      label: [
        `nslab.instance=${instance}`,
        `nslab.session=${sessionId}`,
        `nslab.container=${name}`,
      ],
    },
  });
  const id = list[0]?.Id;
  if (id === undefined) throw new Error(`no container "${name}" for session ${sessionId}`);
  return id;
}

function statusOf(error: unknown): string {
  if (error instanceof ApiRequestError) return `HTTP ${error.status} "${error.message}"`;
  return error instanceof Error ? error.message : String(error);
}

/** What a terminal upgrade answers, without throwing. */
async function upgradeOutcome(api: ApiClient, sessionId: string): Promise<string> {
  try {
    const driver = await TerminalDriver.open(api.terminalUrl(sessionId, 'isolated'), {
      ...api.terminalAuth,
      timeoutMs: 10_000,
    });
    await driver.close();
    return 'upgrade accepted';
  } catch (error) {
    return statusOf(error);
  }
}

/** After the fault: the learner starts afresh (Reset, or a new session) and types again. */
async function provesWorking(report: Report, api: ApiClient, session: SessionView): Promise<void> {
  const driver = await openTerminal(api, session.id);
  const out = await driver.run('echo recovered-$((40+2))');
  report.expect(out === 'recovered-42', `the fresh shell printed ${JSON.stringify(out)}`);
  await driver.close();
}

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

// (d) ------------------------------------------------------------------------------------

/** The learner's side of the WebSocket vanishes (terminate: no close frame), then reconnects. */
export async function faultWebSocketDrop(server: ServerProcess): Promise<FaultReport> {
  const report = new Report('(d) WebSocket dropped by the client (terminate), then reconnected');
  const { api, session, driver } = await startLearner(server, 'fault-drop-learner');
  const mark = `m${Math.random().toString(36).slice(2, 10)}`;
  await driver.run(`MARK=${mark}; echo before-drop-$MARK`);
  const pid = await driver.run('echo $$');
  const timeline = new Timeline(driver);
  timeline.mark();
  const t0 = performance.now();
  // The driver keeps its socket private; a dropped connection is exactly a terminate().
  (driver as unknown as { ws: WebSocket }).ws.terminate();
  await timeline
    .waitFor(/^close/, 5_000)
    .catch((error: unknown) => report.problems.push(statusOf(error)));
  await timeline.stop();
  report.learnerSaw.push(...timeline.lines().map((line) => `${line} (on the dropped socket)`));
  // A browser retries after a short back-off.
  await sleep(500);
  const t1 = performance.now();
  const again = await TerminalDriver.open(api.terminalUrl(session.id, 'isolated'), {
    ...api.terminalAuth,
    timeoutMs: 30_000,
  });
  await again.waitFor(() => again.controls.some((c) => c.type === 'ready'), 'ready', 30_000);
  report.time('reconnect to ready', t1);
  report.time('drop to ready (incl. the 500 ms back-off)', t0);
  report.learnerSaw.push(
    ...again.controls.map((c) => `on reconnect: ${JSON.stringify(c).slice(0, 160)}`),
  );
  const ready = again.controls.find((c) => c.type === 'ready');
  report.expect(
    ready?.type === 'ready' && ready.replayed,
    `expected ready with replayed=true, got ${JSON.stringify(ready)}`,
  );
  const replayed = again.text.includes(`before-drop-${mark}`);
  report.learnerSaw.push(`replayed screen contains the output from before the drop: ${replayed}`);
  report.expect(replayed, 'the replay does not contain the earlier output');
  const pidAfter = await again.run('echo $$');
  const markAfter = await again.run('echo $MARK');
  report.learnerSaw.push(`shell pid before ${pid}, after ${pidAfter}; $MARK after: ${markAfter}`);
  report.expect(
    pidAfter === pid && markAfter === mark,
    'the reconnect did not resume the same shell',
  );
  await again.close();
  await api.endSession(session.id);
  await report.checkLeftovers(server.instance);
  return report.done();
}

/**
 * A silent loss (no FIN, no close frame: the link just goes dead) through a relay. Only the
 * server's heartbeat (ping every 15 s, dropped when a pong is missing) notices; the learner
 * then reconnects and gets the same shell. Takes 15-30 s, so only the developer script runs it.
 */
export async function faultSilentDrop(server: ServerProcess): Promise<FaultReport> {
  const report = new Report(
    '(d2) WebSocket link goes silent (no FIN), heartbeat drops it, reconnect',
  );
  const api = server.api('fault-silent-learner');
  const session = await api.startSession('uts');
  await using proxy = await BlackholeProxy.start(Number(new URL(server.origin).port));
  const viaProxy = api.terminalUrl(session.id, 'isolated').replace(/:\d+\//, `:${proxy.port}/`);
  const driver = await TerminalDriver.open(viaProxy, { ...api.terminalAuth, timeoutMs: 30_000 });
  await driver.waitForPrompt(60_000);
  await driver.run('echo before-silence');
  const t0 = performance.now();
  proxy.blackhole();
  const deadline = t0 + 45_000;
  while (proxy.upstreamClosedAt.length === 0 && performance.now() < deadline) await sleep(100);
  const closedAt = proxy.upstreamClosedAt[0];
  if (closedAt === undefined) {
    report.problems.push('the server did not drop the silent peer within 45 s');
  } else {
    report.timings['silence to the server dropping the peer (heartbeat)'] = Math.round(
      closedAt - t0,
    );
    report.expect(closedAt - t0 <= 31_000, 'the heartbeat took longer than two 15 s periods');
  }
  report.learnerSaw.push('nothing on the silent link (as with a dead network)');
  const t1 = performance.now();
  const again = await openTerminal(api, session.id);
  report.time('reconnect to prompt', t1);
  const ready = again.controls.find((c) => c.type === 'ready');
  report.learnerSaw.push(`on reconnect: ${JSON.stringify(ready)}`);
  report.expect(again.text.includes('before-silence'), 'the replay lacks the earlier output');
  report.expect(
    (await again.run('echo still-$((1+1))')) === 'still-2',
    'the resumed shell does not answer',
  );
  await again.close();
  await api.endSession(session.id);
  await report.checkLeftovers(server.instance);
  return report.done();
}

// (a) ------------------------------------------------------------------------------------

export interface DaemonProcess {
  pid: number;
  exe: string;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  /** Where its stdout/stderr went (a log file), reused for the restarted daemon. */
  logPath: string | undefined;
}

/** The main dockerd: the one not serving a socket under /run/nslab (the userns engine does). */
export function findMainDockerd(): DaemonProcess {
  const found: DaemonProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'dockerd') continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (argv.some((arg) => arg.includes('unix:///run/nslab'))) continue;
      const env = Object.fromEntries(
        readFileSync(`/proc/${entry}/environ`, 'utf8')
          .split('\0')
          .filter((kv) => kv.includes('='))
          .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      );
      const out = readlinkSync(`/proc/${entry}/fd/1`);
      found.push({
        pid: Number(entry),
        exe: readlinkSync(`/proc/${entry}/exe`),
        argv,
        cwd: readlinkSync(`/proc/${entry}/cwd`),
        env,
        logPath: out.startsWith('/') && !out.startsWith('/dev/') ? out : undefined,
      });
    } catch {
      // The process ended while we looked.
    }
  }
  if (found.length !== 1)
    throw new Error(
      `expected exactly one main dockerd, found ${found.length}: ${found.map((d) => d.pid).join(', ')}`,
    );
  const [daemon] = found;
  if (daemon === undefined) throw new Error('unreachable');
  return daemon;
}

async function engineAnswers(): Promise<boolean> {
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

/** Starts dockerd again exactly as it ran (same binary, arguments, directory, environment, log). */
export function startDaemonLike(daemon: DaemonProcess): number {
  const log = openSync(daemon.logPath ?? '/var/log/nslab-dockerd.log', 'a');
  const child = spawn(daemon.exe, daemon.argv.slice(1), {
    argv0: daemon.argv[0] ?? 'dockerd',
    cwd: daemon.cwd,
    env: daemon.env,
    detached: true,
    stdio: ['ignore', log, log],
  });
  child.unref();
  closeSync(log);
  return child.pid ?? -1;
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
  const userns = existsSync('/run/nslab/userns-engine/docker.sock')
    ? await new Dockerode({ socketPath: '/run/nslab/userns-engine/docker.sock' }).ping().then(
        () => 'answers',
        () => 'does not answer',
      )
    : 'not running here';
  report.notes.push(`the userns engine (left alone) ${userns}`);
  await api.endSession(fresh.id);
  await report.checkLeftovers(server.instance);
  return report.done();
}
