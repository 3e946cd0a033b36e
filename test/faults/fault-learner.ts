// A learner for a fault: a session of the uts lab with its isolated terminal open, and the
// probes a fault uses on it (which container, what an upgrade answers, a fresh shell works).
import Dockerode from 'dockerode';
import type { SessionView } from '../../server/protocol/api-types.ts';
import { ApiRequestError, type ApiClient } from '../../server/protocol/api-client.ts';
import { TerminalDriver } from '../../server/verify/terminal-driver.ts';
import type { ServerProcess } from '../support/server-process.ts';
import type { Report } from './fault-report.ts';

export interface Learner {
  api: ApiClient;
  session: SessionView;
  driver: TerminalDriver;
}

export async function openTerminal(api: ApiClient, sessionId: string): Promise<TerminalDriver> {
  const driver = await TerminalDriver.open(api.terminalUrl(sessionId, 'isolated'), {
    ...api.terminalAuth,
    timeoutMs: 30_000,
  });
  // The replayed screen may already end in a prompt: wait for the attach to finish too.
  await driver.waitFor(() => driver.controls.some((c) => c.type === 'ready'), 'ready', 60_000);
  await driver.waitForPrompt(60_000);
  return driver;
}

export async function startLearner(server: ServerProcess, name: string): Promise<Learner> {
  const api = server.api(name);
  const session = await api.startSession('uts');
  return { api, session, driver: await openTerminal(api, session.id) };
}

/** The engine id of one of a session's containers, by its name in the lab. */
export async function containerId(
  instance: string,
  sessionId: string,
  name: string,
): Promise<string> {
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

export function statusOf(error: unknown): string {
  if (error instanceof ApiRequestError) return `HTTP ${error.status} "${error.message}"`;
  return error instanceof Error ? error.message : String(error);
}

/** What a terminal upgrade answers, without throwing. */
export async function upgradeOutcome(api: ApiClient, sessionId: string): Promise<string> {
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
export async function provesWorking(
  report: Report,
  api: ApiClient,
  session: SessionView,
): Promise<void> {
  const driver = await openTerminal(api, session.id);
  const out = await driver.run('echo recovered-$((40+2))');
  report.expect(out === 'recovered-42', `the fresh shell printed ${JSON.stringify(out)}`);
  await driver.close();
}
