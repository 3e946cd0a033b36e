// Smoke test of a VM provisioned in workshop mode (NSLAB_MODE=workshop vagrant provision),
// run on the host against the forwarded port, as a learner who has only the join address:
// the learner is not the instructor, may not reset the host, is refused the escapes that give
// the machine's root, and gets the docker.sock escape on a rootless engine of their own seat.
//   npx tsx test/vm/smoke-workshop.ts http://127.0.0.1:PORT JOIN_CODE [ORIGIN]
import { ApiClient } from '../../server/protocol/api-client.ts';
import { TerminalDriver } from '../../server/verify/terminal-driver.ts';
import { statusOf as status } from '../support/api-status.ts';
import { runScript } from '../support/run-script.ts';
import { stepLogger } from './steps.ts';

// Under qemu's emulation a seat's first start (user, rootless engine, image copy) takes minutes.
const SLOW_MS = 300_000;

async function main(): Promise<number> {
  const [origin, joinCode, browserOrigin = 'http://127.0.0.1:8080'] = process.argv.slice(2);
  if (origin === undefined || joinCode === undefined || joinCode === '') {
    throw new Error('usage: smoke-workshop.ts ORIGIN JOIN_CODE [BROWSER_ORIGIN]');
  }
  const step = stepLogger('smoke-workshop');
  const learner = await ApiClient.join(origin, joinCode);
  step('followed the join address: a signed learner cookie, no token');

  const me = await learner.me();
  step(`GET /api/me: ${JSON.stringify(me)}`);
  if (me.mode !== 'workshop' || me.instructor)
    throw new Error('the learner is not a plain learner');

  const reset = await status(learner.resetHost());
  step(`POST /api/host/reset as the learner: HTTP ${reset}`);
  if (reset !== 403) throw new Error(`a learner reset the host (HTTP ${reset})`);

  const rootGiving = await status(learner.startSession('escape-host-pid'));
  step(`POST /api/sessions escape-host-pid as the learner: HTTP ${rootGiving}`);
  if (rootGiving !== 409) throw new Error(`a root-giving escape was started (HTTP ${rootGiving})`);

  const session = await learner.startSession('escape-docker-sock');
  step(`POST /api/sessions escape-docker-sock: session ${session.id} on the learner's seat`);
  let driver: TerminalDriver | undefined;
  try {
    driver = await TerminalDriver.open(learner.terminalUrl(session.id, 'with-socket'), {
      ...learner.terminalAuth,
      origin: browserOrigin,
      timeoutMs: SLOW_MS,
    });
    await driver.waitForPrompt(SLOW_MS);
    step('terminal WebSocket open, shell prompt seen');
    const info = await driver.run(
      `curl -s --unix-socket /var/run/docker.sock http://localhost/info | grep -o 'name=rootless'`,
      SLOW_MS,
    );
    step(`the engine behind the mounted socket: ${JSON.stringify(info)}`);
    if (info !== 'name=rootless') throw new Error('the docker.sock lab is not on a rootless seat');
  } finally {
    await driver?.close();
    await learner.endSession(session.id);
    step(`DELETE /api/sessions/${session.id}`);
  }
  step('PASS');
  return 0;
}

runScript('smoke-workshop', main);
