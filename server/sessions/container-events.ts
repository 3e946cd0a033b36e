// What the engine says about a session's containers, told to the learner in words: an OOM
// kill, a container that died, one removed behind nslab's back, an engine that restarted.
import type { ContainerEvent } from '../docker/engine-events.ts';
import { log } from '../log.ts';
import type { Session } from './session.ts';

/** Ends a session for a reason; the manager's `end`. */
type EndSession = (id: string, reason: string) => Promise<void>;

export function explainContainerEvent(
  sessions: readonly Session[],
  event: ContainerEvent,
  end: EndSession,
): void {
  const session = sessions.find((s) => !s.isEnded && s.containerById(event.id) !== undefined);
  const container = session?.containerById(event.id);
  if (session === undefined || container === undefined) return;
  const name = container.plan.name;
  switch (event.action) {
    case 'oom':
      session.broadcast({
        type: 'notice',
        level: 'warn',
        message: `The kernel's OOM killer killed a process in "${name}": it hit its ${container.plan.memoryMb} MiB memory limit.`,
      });
      return;
    case 'die': {
      const code = event.exitCode === undefined ? '' : ` (exit code ${event.exitCode})`;
      container.terminal?.notify({
        type: 'notice',
        level: 'error',
        message: `The container "${name}" stopped${code}. Use "Reset lab" to start it again.`,
      });
      return;
    }
    case 'destroy':
      void end(session.id, `its container "${name}" was removed outside nslab`).catch(
        (error: unknown) =>
          log.error('ending a session after its container vanished failed', {
            session: session.id,
            error,
          }),
      );
      return;
    default: {
      const unhandled: never = event.action;
      log.debug('ignored container event', { action: String(unhandled) });
    }
  }
}

/** After the engine comes back (dockerd restart): end sessions whose containers are gone. */
export async function reconcileAfterRestart(
  sessions: readonly Session[],
  end: EndSession,
): Promise<void> {
  for (const session of sessions) {
    if (session.isEnded) continue;
    for (const container of session.containers.values()) {
      try {
        const info = await container.client.inspect(container.id);
        if (!info.State.Running) {
          container.terminal?.notify({
            type: 'notice',
            level: 'error',
            message: `The Docker engine restarted and "${container.plan.name}" stopped. Use "Reset lab" to start afresh.`,
          });
        }
      } catch {
        await end(session.id, 'the Docker engine lost its containers');
        break;
      }
    }
  }
}
