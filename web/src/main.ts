// The browser app: the catalogue, or a running lab when the URL names a live session
// (so a refresh resumes the same shells instead of starting new ones), the control room or
// the glossary. Switching language re-renders whatever is shown; a running lab is fetched
// again in the new language and its terminals reattach to the same shells.
import { SESSION_ID_PATTERN, type SessionView } from '../../server/protocol/api-types.ts';
import { PAGE_PATH } from '../../server/protocol/routes.ts';
import { api } from './api.ts';
import { catalogueView } from './catalogue-view.ts';
import { controlRoomView, type ControlRoomHandle } from './control-room-view.ts';
import { el } from './dom.ts';
import { glossaryView } from './glossary-view.ts';
import { ui } from './i18n/i18n.ts';
import { languageSwitch } from './language-switch.ts';
import { labView, type LabViewHandle } from './lab-view.ts';
import { nameForm } from './name-form.ts';

const app = document.getElementById('app') as HTMLElement;
const status = document.getElementById('session-status') as HTMLElement;
let current: LabViewHandle | ControlRoomHandle | undefined;
/** A running lab's address is the page's, with this and the session id as its fragment. */
const SESSION_HASH = '#session=';
/** The instructor's control room lives at the page's address with this fragment. */
const CONTROL_ROOM_HASH = '#control-room';
/** The glossary of terms, in both languages. */
const GLOSSARY_HASH = '#glossary';

/** The top bar's own words, in the page's language. */
function labelTopBar(): void {
  const text = ui();
  const tagline = document.querySelector('.tagline');
  if (tagline !== null) tagline.textContent = text.tagline;
  const glossary = document.getElementById('glossary-link');
  if (glossary !== null) glossary.textContent = text.glossaryLink;
  const controlRoom = document.querySelector('.control-room-link');
  if (controlRoom !== null) controlRoom.textContent = text.controlRoomLink;
}

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
  document.title = ui().pageTitle;
  const [labs, me, progress] = await Promise.all([api.labs(), api.me(), api.progress()]);
  if (me.mode === 'workshop' && !me.instructor && me.displayName === undefined) {
    app.replaceChildren(nameForm(() => void showCatalogue()));
    return;
  }
  if (me.instructor && document.querySelector('.control-room-link') === null)
    status.before(
      el('a', {
        className: 'control-room-link',
        text: ui().controlRoomLink,
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
        showError(error instanceof Error ? error.message : ui().labCouldNotStart),
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
  document.title = ui().labPageTitle(session.lab.title);
}

function showControlRoom(): void {
  current?.dispose();
  current = controlRoomView();
  app.replaceChildren(current.element);
  document.title = ui().controlRoomPageTitle;
}

function showGlossary(): void {
  current?.dispose();
  current = undefined;
  setStatus('', 'none');
  app.replaceChildren(glossaryView(() => void showCatalogue()));
  document.title = ui().glossaryPageTitle;
}

async function route(): Promise<void> {
  if (location.hash === CONTROL_ROOM_HASH) return showControlRoom();
  if (location.hash === GLOSSARY_HASH) return showGlossary();
  const sessionId = location.hash.startsWith(SESSION_HASH)
    ? location.hash.slice(SESSION_HASH.length)
    : '';
  if (!SESSION_ID_PATTERN.test(sessionId)) return showCatalogue();
  try {
    showLab(await api.session(sessionId));
  } catch {
    await showCatalogue();
    showError(ui().sessionEndedPickAnother);
  }
}

const switcher = document.getElementById('lang-switch');
if (switcher !== null)
  switcher.replaceWith(
    languageSwitch(() => {
      labelTopBar();
      void route();
    }),
  );
labelTopBar();
window.addEventListener('popstate', () => void route());
void route();
