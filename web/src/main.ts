// The browser app: the catalogue, or a running lab when the URL names a live session
// (so a refresh resumes the same shells instead of starting new ones).
import type { SessionView } from '../../server/protocol/api-types.ts';
import { api } from './api.ts';
import { catalogueView } from './catalogue-view.ts';
import { el } from './dom.ts';
import { labView, type LabViewHandle } from './lab-view.ts';

const app = document.getElementById('app') as HTMLElement;
const status = document.getElementById('session-status') as HTMLElement;
let current: LabViewHandle | undefined;

function setStatus(text: string, tone: 'ok' | 'warn' | 'bad' | 'none'): void {
  status.textContent = text;
  status.dataset.tone = tone;
}

function showError(message: string): void {
  app.prepend(el('div', { className: 'error-banner', attrs: { role: 'alert' }, text: message }));
}

async function showCatalogue(): Promise<void> {
  current?.dispose();
  current = undefined;
  history.replaceState(null, '', '/');
  setStatus('', 'none');
  const [labs, me] = await Promise.all([api.labs(), api.me()]);
  app.replaceChildren(
    catalogueView(labs, me, (labId) => {
      api.startSession(labId).then(
        (session) => {
          history.pushState(null, '', `/#session=${session.id}`);
          showLab(session);
        },
        (error: unknown) => {
          void showCatalogue().then(() =>
            showError(error instanceof Error ? error.message : 'The lab could not start.'),
          );
        },
      );
    }),
  );
}

function showLab(session: SessionView): void {
  current?.dispose();
  current = labView(
    session,
    setStatus,
    () => void showCatalogue(),
    (fresh) => {
      history.replaceState(null, '', `/#session=${fresh.id}`);
      showLab(fresh);
    },
  );
  app.replaceChildren(current.element);
  current.start();
  document.title = `nslab: ${session.lab.title}`;
}

async function route(): Promise<void> {
  const sessionId = /^#session=([A-Za-z0-9_-]{22})$/.exec(location.hash)?.[1];
  if (sessionId === undefined) return showCatalogue();
  try {
    showLab(await api.session(sessionId));
  } catch {
    await showCatalogue();
    showError('That session has ended. Pick a lab to start a new one.');
  }
}

window.addEventListener('popstate', () => void route());
void route();
