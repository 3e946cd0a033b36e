// nslab's side of every comparison, driven as the page drives it: POST /api/sessions (the
// click), then every terminal's WebSocket at once (the page opens them all), then a prompt
// in each. Ending a session waits for its teardown (the API answers after the containers go).
import type { ApiClient } from '../../server/protocol/api-client.ts';
import type { SessionView } from '../../server/protocol/api-types.ts';
import { GatewayShell } from './gateway-shell.ts';

export interface LabSession {
  api: ApiClient;
  view: SessionView;
  shells: GatewayShell[];
  /** Click to a prompt in every terminal, ms. */
  startMs: number;
  /** The POST alone, ms. */
  postMs: number;
}

export async function startLab(api: ApiClient, labId: string): Promise<LabSession> {
  const started = performance.now();
  const view = await api.startSession(labId);
  const postMs = performance.now() - started;
  const opened = await Promise.allSettled(
    view.terminals.map((t) => GatewayShell.open(api, view.id, t.name)),
  );
  // In the lab's order: shells[0] is the lab's first terminal.
  const shells = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  try {
    const refused = opened.find((r) => r.status === 'rejected');
    if (refused !== undefined) throw refused.reason;
    await Promise.all(shells.map((shell) => shell.waitForPrompt()));
  } catch (error) {
    await endLab({ api, view, shells, startMs: NaN, postMs });
    throw error;
  }
  return { api, view, shells, startMs: performance.now() - started, postMs };
}

export async function endLab(session: LabSession): Promise<void> {
  await Promise.all(session.shells.map((s) => s.close()));
  await session.api.endSession(session.view.id).catch(() => undefined);
}
