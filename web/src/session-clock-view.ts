// The session's countdown in the lab header: time left (the earlier of the lifetime and the
// idle timeout), a warning when little is left, and an Extend button while quota allows.
// Server times arrive with the server's "now", so a skewed browser clock does not matter.
import type { SessionView } from '../../server/protocol/api-types.ts';
import { api } from './api.ts';
import { el } from './dom.ts';
import { ui } from './i18n/i18n.ts';
import type { SessionMessage } from './terminal-view.ts';

const WARN_MS = 5 * 60_000;

function format(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}

export interface SessionClockHandle {
  element: HTMLElement;
  update(message: Extract<SessionMessage, { type: 'status' }>): void;
  /** The learner typed: the idle deadline moves. */
  activity(): void;
  dispose(): void;
}

export function sessionClockView(session: SessionView): SessionClockHandle {
  let skew = session.now - Date.now();
  let endsAt = session.endsAt;
  let idleEndsAt = session.idleEndsAt;
  let lastLocalActivity = 0;
  const label = el('span', { className: 'clock-label' });
  const text = ui();
  const extend = el('button', {
    className: 'extend',
    text: text.extend,
    attrs: { type: 'button' },
  });
  extend.disabled = !session.canExtend;
  const element = el(
    'div',
    { className: 'session-clock', attrs: { role: 'timer', 'aria-live': 'off' } },
    [label, extend],
  );
  const render = (): void => {
    const now = Date.now() + skew;
    const idleEnd = Math.max(idleEndsAt, lastLocalActivity + skew + session.idleMs);
    const left = Math.min(endsAt, idleEnd) - now;
    const ifIdle = idleEnd < endsAt ? text.withoutTyping : '';
    label.textContent = `${text.endsIn(format(left))}${ifIdle}`;
    element.dataset.warn = String(left < WARN_MS);
    element.title = left < WARN_MS ? text.endsSoonTitle : text.timeLeftTitle;
  };
  extend.addEventListener('click', () => {
    extend.disabled = true;
    api.extend(session.id).then(
      (view) => {
        skew = view.now - Date.now();
        endsAt = view.endsAt;
        idleEndsAt = view.idleEndsAt;
        extend.disabled = !view.canExtend;
        render();
      },
      (error: unknown) => {
        label.textContent = error instanceof Error ? error.message : text.couldNotExtend;
      },
    );
  });
  render();
  const timer = setInterval(render, 1000);
  return {
    element,
    update: (message) => {
      skew = message.now - Date.now();
      endsAt = message.endsAt;
      idleEndsAt = message.idleEndsAt;
      extend.disabled = !message.canExtend;
      render();
    },
    activity: () => {
      lastLocalActivity = Date.now();
    },
    dispose: () => clearInterval(timer),
  };
}
