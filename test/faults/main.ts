// Fault test a developer runs:  npm run test:faults [-- --skip-dockerd]
// (a) restart the main dockerd mid-session, (b) `docker kill` a learner's container,
// (c) kill -9 the server and start it again, (d) drop and restore a WebSocket, plus (d2) a
// silent link that only the heartbeat notices. Prints what the learner saw, recovery times
// and leftovers for each; exits non-zero on any problem.
// (a) stops EVERY container on the main engine (no live-restore), other people's too.
import { randomBytes } from 'node:crypto';
import {
  faultDockerdRestart,
  faultDockerKill,
  faultServerKill,
  faultSilentDrop,
  faultWebSocketDrop,
  formatFaultReport,
  type FaultReport,
} from './faults.ts';
import { removeEmptyInstanceDir } from './leftovers.ts';
import { ServerProcess } from '../support/server-process.ts';
import { runScript } from '../support/run-script.ts';

const out = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const skipDockerd = process.argv.includes('--skip-dockerd');
  const instance = `faults-${process.pid}`;
  const token = randomBytes(18).toString('base64url');
  const reports: FaultReport[] = [];
  const record = (report: FaultReport): void => {
    reports.push(report);
    for (const line of formatFaultReport(report)) out(line);
  };
  {
    await using server = await ServerProcess.start({ instance, token });
    record(await faultDockerKill(server));
    record(await faultWebSocketDrop(server));
    record(await faultSilentDrop(server));
    if (skipDockerd) {
      out('== (a) dockerd restart: skipped (--skip-dockerd)');
    } else {
      out('(a) restarts the main dockerd now: every container on it stops.');
      record(await faultDockerdRestart(server));
    }
    const errors = server.errorLines();
    out(`server ERROR log lines: ${errors.length}`);
    for (const line of errors.slice(0, 10)) out(`  ${line.slice(0, 300)}`);
  }
  record(await faultServerKill(`${instance}-crash`, token));
  await removeEmptyInstanceDir(instance);
  await removeEmptyInstanceDir(`${instance}-crash`);
  const failed = reports.filter((r) => r.problems.length > 0);
  out(failed.length === 0 ? 'PASS' : `FAIL: ${failed.map((r) => r.fault).join('; ')}`);
  return failed.length === 0 ? 0 : 1;
}

runScript('faults', main);
