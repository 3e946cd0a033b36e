// Smoke test of a provisioned VM, run on the host against the forwarded port: opens a
// session over the HTTP API with the token provisioning printed, opens the terminal
// WebSocket, types a command, passes a check, and ends the session.
//   npx tsx test/vm/smoke.ts http://127.0.0.1:PORT TOKEN [ORIGIN]
// ORIGIN is the Origin header a browser would send; the service in the VM allows the
// product's own address (http://127.0.0.1:8080), which is the default.
import { ApiClient } from '../../server/protocol/api-client.ts';
import { TerminalDriver } from '../../server/verify/terminal-driver.ts';
import { runScript } from '../support/run-script.ts';
import { stepLogger } from './steps.ts';

// Everything is slow under qemu's software emulation.
const SLOW_MS = 120_000;

async function main(): Promise<number> {
  const [origin, token, browserOrigin = 'http://127.0.0.1:8080'] = process.argv.slice(2);
  if (origin === undefined || token === undefined || token === '') {
    throw new Error('usage: smoke.ts ORIGIN TOKEN [BROWSER_ORIGIN]');
  }
  const step = stepLogger('smoke');
  const api = new ApiClient(origin, token);

  const labs = await api.labs();
  step(`GET /api/labs: ${labs.map((lab) => lab.id).join(', ')}`);
  if (!labs.some((lab) => lab.id === 'uts')) throw new Error('the uts lab is not in the catalogue');

  const session = await api.startSession('uts');
  step(`POST /api/sessions: session ${session.id}`);
  let driver: TerminalDriver | undefined;
  try {
    const fresh = await api.check(session.id, 'own-namespace', '0');
    if (fresh.passed) throw new Error('own-namespace passed on a fresh session');
    step(`check own-namespace, fresh: passed=${fresh.passed} (${fresh.reason})`);

    driver = await TerminalDriver.open(api.terminalUrl(session.id, 'isolated'), {
      token,
      origin: browserOrigin,
      timeoutMs: SLOW_MS,
    });
    await driver.waitForPrompt(SLOW_MS);
    step('terminal WebSocket open, shell prompt seen');

    const output = await driver.run('readlink /proc/self/ns/uts; hostname', SLOW_MS);
    step(`typed "readlink /proc/self/ns/uts; hostname": ${JSON.stringify(output)}`);
    const answer = /uts:\[(\d+)\]/.exec(output)?.[1];
    if (answer === undefined) throw new Error(`no namespace number in ${JSON.stringify(output)}`);
    if (!output.includes('nslab-uts')) throw new Error('the isolated container is not nslab-uts');

    const result = await api.check(session.id, 'own-namespace', answer);
    step(`check own-namespace with uts:[${answer}]: passed=${result.passed} (${result.reason})`);
    if (!result.passed) throw new Error(`the check failed: ${result.reason}`);
  } finally {
    await driver?.close();
    await api.endSession(session.id);
    step(`DELETE /api/sessions/${session.id}`);
  }
  step('PASS');
  return 0;
}

runScript('smoke', main);
