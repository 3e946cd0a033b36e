// Drops: (d) the learner's WebSocket vanishes, (d2) the link goes silent.
import type WebSocket from 'ws';
import { TerminalDriver } from '../../server/verify/terminal-driver.ts';
import { sleep } from '../load/stats.ts';
import type { ServerProcess } from '../support/server-process.ts';
import { Report, type FaultReport } from './fault-report.ts';
import { openTerminal, startLearner, statusOf } from './fault-learner.ts';
import { BlackholeProxy } from './tcp-proxy.ts';
import { Timeline } from './timeline.ts';

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
