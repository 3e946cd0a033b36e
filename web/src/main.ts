// The browser app: the catalogue, or a running lab when the URL names a live session
// (so a refresh resumes the same shells instead of starting new ones).
import { SESSION_ID_PATTERN, type SessionView } from '../../server/protocol/api-types.ts';
import { PAGE_PATH } from '../../server/protocol/routes.ts';
import { api } from './api.ts';
import { catalogueView } from './catalogue-view.ts';
import { controlRoomView, type ControlRoomHandle } from './control-room-view.ts';
import { el } from './dom.ts';
import { labView, type LabViewHandle } from './lab-view.ts';
import { nameForm } from './name-form.ts';

const app = document.getElementById('app') as HTMLElement;
const status = document.getElementById('session-status') as HTMLElement;
let current: LabViewHandle | ControlRoomHandle | undefined;
/** A running lab's address is the page's, with this and the session id as its fragment. */
const SESSION_HASH = '#session=';
/** The instructor's control room lives at the page's address with this fragment. */
const CONTROL_ROOM_HASH = '#control-room';

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
  history.replaceState(null, '', PAGE_PATH);
  setStatus('', 'none');
  const [labs, me, progress] = await Promise.all([api.labs(), api.me(), api.progress()]);
  if (me.mode === 'workshop' && !me.instructor && me.displayName === undefined) {
    app.replaceChildren(nameForm(() => void showCatalogue()));
    return;
  }
  if (me.instructor && document.querySelector('.control-room-link') === null)
    status.before(
      el('a', {
        className: 'control-room-link',
        text: 'Control room',
        attrs: { href: CONTROL_ROOM_HASH },
      }),
    );
  app.replaceChildren(catalogueView(labs, me, progress, startLab));
}

function startLab(labId: string): void {
  api.startSession(labId).then(
    (session) => {
      history.pushState(null, '', `${PAGE_PATH}${SESSION_HASH}${session.id}`);
      showLab(session);
    },
    (error: unknown) => {
      void showCatalogue().then(() =>
        showError(error instanceof Error ? error.message : 'The lab could not start.'),
      );
    },
  );
}

function showLab(session: SessionView): void {
  current?.dispose();
  const view = labView(
    session,
    setStatus,
    () => void showCatalogue(),
    (fresh) => {
      history.replaceState(null, '', `${PAGE_PATH}${SESSION_HASH}${fresh.id}`);
      showLab(fresh);
    },
    // The finished lab's containers go first: a learner may hold only a few sessions at once.
    (labId) => void api.endSession(session.id).finally(() => startLab(labId)),
  );
  current = view;
  app.replaceChildren(view.element);
  view.start();
  document.title = `nslab: ${session.lab.title}`;
}

function showControlRoom(): void {
  current?.dispose();
  current = controlRoomView();
  app.replaceChildren(current.element);
  document.title = 'nslab: control room';
}

async function route(): Promise<void> {
  if (location.hash === CONTROL_ROOM_HASH) return showControlRoom();
  const sessionId = location.hash.startsWith(SESSION_HASH)
    ? location.hash.slice(SESSION_HASH.length)
    : '';
  if (!SESSION_ID_PATTERN.test(sessionId)) return showCatalogue();
  try {
    showLab(await api.session(sessionId));
  } catch {
    await showCatalogue();
    showError('That session has ended. Pick a lab to start a new one.');
  }
}

window.addEventListener('popstate', () => void route());
void route();
