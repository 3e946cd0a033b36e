// The profile playground at the top of its lesson: the form, the exact `docker run` for the
// profile running now, Start, the docker-bench score and the probes. Start sends the form to
// the server, which vetted it or says which field it refused; a started profile replaces the
// container, so the page reopens the lab on it (its terminal and inspector follow).
import type { SessionView } from '../../server/protocol/api-types.ts';
import type { PlaygroundView } from '../../server/protocol/playground-types.ts';
import { api } from './api.ts';
import { el } from './dom.ts';
import { ui } from './i18n/i18n.ts';
import { playgroundForm } from './playground-form.ts';
import { probeMenu } from './playground-probes.ts';
import { benchScore } from './playground-score.ts';

function render(
  sessionId: string,
  view: PlaygroundView,
  element: HTMLElement,
  onStarted: (fresh: SessionView) => void,
): void {
  const form = playgroundForm(view);
  const start = el('button', {
    className: 'pg-start primary',
    text: ui().pgStart,
    attrs: { type: 'button' },
  });
  const error = el('div', { className: 'pg-error', attrs: { role: 'alert' } });
  start.addEventListener('click', () => {
    start.disabled = true;
    error.textContent = '';
    api
      .startPlayground(sessionId, form.read())
      .then(() => api.session(sessionId))
      .then(
        // The old terminal's "replaced" may have reopened the lab already.
        (fresh) => {
          if (element.isConnected) onStarted(fresh);
        },
        (failure: unknown) => {
          start.disabled = false;
          error.textContent = failure instanceof Error ? failure.message : ui().pgDidNotStart;
        },
      );
  });
  element.replaceChildren(
    el('h2', { text: ui().pgYourProfile }),
    form.element,
    el('div', { className: 'pg-actions' }, [start, error]),
    el('h3', { text: ui().pgRunningNow }),
    // Focusable: a keyboard must be able to scroll a line wider than the pane.
    el('pre', {
      className: 'docker-run pg-docker-run',
      text: view.dockerRun,
      attrs: { tabindex: '0', 'aria-label': ui().pgDockerRunLabel },
    }),
    benchScore(view.score),
    probeMenu(sessionId),
  );
}

export function playgroundPanel(
  sessionId: string,
  onStarted: (fresh: SessionView) => void,
): HTMLElement {
  const element = el('section', {
    className: 'playground',
    attrs: { 'aria-label': ui().pgLabel },
  });
  element.textContent = ui().pgLoading;
  api.playground(sessionId).then(
    (view) => render(sessionId, view, element, onStarted),
    (error: unknown) => {
      element.textContent = error instanceof Error ? error.message : ui().pgUnavailable;
    },
  );
  return element;
}
