// What the engine says about a session's containers, told to the learner in words: an OOM
// kill, a container that died, one removed behind nslab's back, an engine that restarted.
import type { ContainerEvent } from '../docker/engine-events.ts';
import { message, type ServerMessage } from '../errors/server-message.ts';
import { log } from '../log.ts';
import { END_REASONS } from './end-reasons.ts';
import type { Session } from './session.ts';

/** Ends a session for a reason; the manager's `end`. */
type EndSession = (id: string, reason: ServerMessage) => Promise<void>;

const OOM = message(
  'notice_oom',
  'The kernel\'s OOM killer killed a process in "{{name}}": it hit its {{mib}} MiB memory limit.',
  '内核的 OOM killer 杀掉了 "{{name}}" 里的一个进程：它碰到了 {{mib}} MiB 的内存上限。',
);
const STOPPED = message(
  'notice_stopped',
  'The container "{{name}}" stopped. Use "Reset lab" to start it again.',
  '容器 "{{name}}" 停止了。用“重置实验”重新启动它。',
);
const STOPPED_WITH_CODE = message(
  'notice_stopped_code',
  'The container "{{name}}" stopped (exit code {{code}}). Use "Reset lab" to start it again.',
  '容器 "{{name}}" 停止了（退出码 {{code}}）。用“重置实验”重新启动它。',
);
const ENGINE_RESTARTED = message(
  'notice_engine_restarted',
  'The Docker engine restarted and "{{name}}" stopped. Use "Reset lab" to start afresh.',
  'Docker 引擎重启了，"{{name}}" 停止了。用“重置实验”重新开始。',
);

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
        message: OOM({ name, mib: container.plan.memoryMb }),
      });
      return;
    case 'die': {
      const code = event.exitCode;
      container.terminal?.notify({
        type: 'notice',
        level: 'error',
        message: code === undefined ? STOPPED({ name }) : STOPPED_WITH_CODE({ name, code }),
      });
      return;
    }
    case 'destroy':
      void end(session.id, END_REASONS.containerRemoved({ name })).catch((error: unknown) =>
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
            message: ENGINE_RESTARTED({ name: container.plan.name }),
          });
        }
      } catch {
        await end(session.id, END_REASONS.engineLost());
        break;
      }
    }
  }
}
