// The first page: the path through every lab, grouped by topic in the suggested order
// (namespaces, control groups, least privilege, audit, image provenance, escapes), each lab with its state and time.
import type {
  LabProgress,
  LabState,
  LabSummary,
  Me,
  ProgressView,
} from '../../server/protocol/api-types.ts';
import { api } from './api.ts';
import { el } from './dom.ts';
import { ui } from './i18n/i18n.ts';

/** Solo mode: after an escape lab, put the host back as it was (the VM itself: vagrant destroy). */
function resetHostPanel(): HTMLElement {
  const status = el('span', { className: 'reset-host-status', attrs: { role: 'status' } });
  const button = el('button', {
    className: 'reset-host',
    text: ui().resetHost,
    attrs: { type: 'button' },
  });
  button.addEventListener('click', () => {
    if (!window.confirm(ui().resetHostConfirm)) return;
    button.disabled = true;
    api.resetHost().then(
      ({ removed }) => {
        status.textContent = ui().resetHostDone(removed);
        button.disabled = false;
      },
      (error: unknown) => {
        status.textContent = error instanceof Error ? error.message : ui().resetFailed;
        button.disabled = false;
      },
    );
  });
  return el('section', { className: 'reset-host-panel' }, [
    el('h2', { text: ui().afterAnEscape }),
    el('p', { text: ui().afterAnEscapeText }),
    el('div', { className: 'meta' }, [status, button]),
  ]);
}

function stateText(state: LabState): string {
  const text = ui();
  const words: Record<LabState, string> = {
    'not-started': text.stateNotStarted,
    'in-progress': text.stateInProgress,
    done: text.stateDone,
    revealed: text.stateRevealed,
  };
  return words[state];
}

/** The lab's state in words: "In progress 1/3", "Done, with help (1 shown)". */
function stateBadge(progress: LabProgress | undefined): HTMLElement {
  const state = progress?.state ?? 'not-started';
  let text = stateText(state);
  if (progress !== undefined && state === 'in-progress')
    text += ` ${progress.passed}/${progress.total}`;
  if (progress !== undefined && progress.revealed > 0) text += ui().stateShown(progress.revealed);
  return el('span', { className: `lab-state ${state}`, text, attrs: { 'data-state': state } });
}

function labCard(
  lab: LabSummary,
  step: number,
  progress: LabProgress | undefined,
  onStart: (labId: string) => void,
): HTMLElement {
  const inProgress = progress?.state === 'in-progress';
  const button = el('button', {
    className: 'start',
    text: inProgress ? ui().continue : ui().start,
    attrs: { type: 'button', 'data-lab': lab.id },
  });
  button.addEventListener('click', () => {
    button.disabled = true;
    button.textContent = ui().starting;
    onStart(lab.id);
  });
  if (lab.unavailable !== undefined) {
    button.disabled = true;
    button.textContent = ui().notHere;
  }
  const className = lab.unavailable === undefined ? 'lab-card' : 'lab-card unavailable-lab';
  return el('li', { className, attrs: { 'data-lab': lab.id } }, [
    el('h3', {}, [el('span', { className: 'step', text: `${step}` }), lab.title]),
    stateBadge(progress),
    el('p', { text: lab.summary }),
    ...(lab.unavailable === undefined
      ? []
      : [el('p', { className: 'unavailable', text: lab.unavailable })]),
    el('div', { className: 'meta' }, [
      el('span', { text: ui().aboutMinutes(lab.minutes) }),
      button,
    ]),
  ]);
}

/** "Continue" on the lab in progress, or "Start here" on the next lab of the path. */
function suggestion(
  labs: LabSummary[],
  progress: ProgressView,
  onStart: (labId: string) => void,
): HTMLElement[] {
  const id = progress.resume ?? progress.next;
  const lab = labs.find((l) => l.id === id);
  if (lab === undefined) return [];
  const resuming = progress.resume !== undefined;
  const button = el('button', {
    className: 'start suggested-start',
    text: resuming ? ui().continueLab(lab.title) : ui().startHere(lab.title),
    attrs: { type: 'button', 'data-lab': lab.id },
  });
  button.addEventListener('click', () => {
    button.disabled = true;
    onStart(lab.id);
  });
  const done = progress.labs.filter((l) => l.state === 'done' || l.state === 'revealed').length;
  return [
    el('section', { className: 'suggestion', attrs: { 'aria-label': ui().whereNext } }, [
      el('p', { text: ui().labsDone(done, progress.labs.length) }),
      button,
    ]),
  ];
}

function intro(me: Me): HTMLElement[] {
  return [
    el('h1', { text: ui().pickALab }),
    el('p', { className: 'lead', text: ui().introShell }),
    el('p', { className: 'lead', text: ui().introOrder }),
    ...(me.mode === 'workshop'
      ? [
          el('p', {
            className: 'lead workshop',
            text: ui().introWorkshop,
          }),
        ]
      : []),
  ];
}

/** One stretch of the path: its labs numbered in the suggested order, with the time it takes. */
function topicSection(
  topic: string,
  index: number,
  labs: LabSummary[],
  byLab: ReadonlyMap<string, LabProgress>,
  onStart: (labId: string) => void,
): HTMLElement {
  const mine = labs.filter((lab) => lab.topic === topic);
  // Steps count along the whole path, whatever topic a lab is filed under.
  const step = (lab: LabSummary): number => labs.indexOf(lab) + 1;
  const minutes = mine.reduce((sum, lab) => sum + lab.minutes, 0);
  const done = mine.filter((lab) => {
    const state = byLab.get(lab.id)?.state;
    return state === 'done' || state === 'revealed';
  }).length;
  return el('section', { className: 'topic', attrs: { 'data-topic': topic } }, [
    el('h2', {}, [
      el('span', { className: 'topic-name', text: `${index + 1}. ${ui().topicName(topic)}` }),
      el('span', { className: 'topic-meta', text: ui().topicMeta(mine.length, minutes, done) }),
    ]),
    el(
      'ol',
      { className: 'labs' },
      mine.map((lab) => labCard(lab, step(lab), byLab.get(lab.id), onStart)),
    ),
  ]);
}

export function catalogueView(
  labs: LabSummary[],
  me: Me,
  progress: ProgressView,
  onStart: (labId: string) => void,
): HTMLElement {
  const topics = [...new Set(labs.map((lab) => lab.topic))];
  const byLab = new Map(progress.labs.map((p) => [p.labId, p]));
  return el('div', { className: 'catalogue' }, [
    ...intro(me),
    ...suggestion(labs, progress, onStart),
    ...topics.map((topic, index) => topicSection(topic, index, labs, byLab, onStart)),
    // Resetting ends every learner's labs: the token holder's button only.
    ...(me.instructor ? [resetHostPanel()] : []),
  ]);
}
