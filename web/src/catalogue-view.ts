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

/** Solo mode: after an escape lab, put the host back as it was (the VM itself: vagrant destroy). */
function resetHostPanel(): HTMLElement {
  const status = el('span', { className: 'reset-host-status', attrs: { role: 'status' } });
  const button = el('button', {
    className: 'reset-host',
    text: 'Reset the host',
    attrs: { type: 'button' },
  });
  button.addEventListener('click', () => {
    if (!window.confirm('End every open lab and remove everything nslab planted on this host?'))
      return;
    button.disabled = true;
    api.resetHost().then(
      ({ removed }) => {
        status.textContent = `Done: removed ${removed} container(s), engine(s), network(s), volume(s) and planted directories.`;
        button.disabled = false;
      },
      (error: unknown) => {
        status.textContent = error instanceof Error ? error.message : 'Reset failed.';
        button.disabled = false;
      },
    );
  });
  return el('section', { className: 'reset-host-panel' }, [
    el('h2', { text: 'After an escape' }),
    el('p', {
      text: 'Escape labs change the host on purpose. "Reset the host" ends every open lab and removes every container, throwaway engine, planted file and disk nslab made. To rebuild the whole VM: vagrant destroy -f && vagrant up.',
    }),
    el('div', { className: 'meta' }, [status, button]),
  ]);
}

const STATE_TEXT: Record<LabState, string> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  done: 'Done',
  revealed: 'Done, with help',
};

/** The lab's state in words: "In progress 1/3", "Done, with help (1 shown)". */
function stateBadge(progress: LabProgress | undefined): HTMLElement {
  const state = progress?.state ?? 'not-started';
  let text = STATE_TEXT[state];
  if (progress !== undefined && state === 'in-progress')
    text += ` ${progress.passed}/${progress.total}`;
  if (progress !== undefined && progress.revealed > 0) text += ` (${progress.revealed} shown)`;
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
    text: inProgress ? 'Continue' : 'Start',
    attrs: { type: 'button', 'data-lab': lab.id },
  });
  button.addEventListener('click', () => {
    button.disabled = true;
    button.textContent = 'Starting…';
    onStart(lab.id);
  });
  if (lab.unavailable !== undefined) {
    button.disabled = true;
    button.textContent = 'Not here';
  }
  const className = lab.unavailable === undefined ? 'lab-card' : 'lab-card unavailable-lab';
  return el('li', { className, attrs: { 'data-lab': lab.id } }, [
    el('h3', {}, [el('span', { className: 'step', text: `${step}` }), lab.title]),
    stateBadge(progress),
    el('p', { text: lab.summary }),
    ...(lab.unavailable === undefined
      ? []
      : [el('p', { className: 'unavailable', text: lab.unavailable })]),
    el('div', { className: 'meta' }, [el('span', { text: `about ${lab.minutes} min` }), button]),
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
    text: resuming ? `Continue: ${lab.title}` : `Start here: ${lab.title}`,
    attrs: { type: 'button', 'data-lab': lab.id },
  });
  button.addEventListener('click', () => {
    button.disabled = true;
    onStart(lab.id);
  });
  const done = progress.labs.filter((l) => l.state === 'done' || l.state === 'revealed').length;
  return [
    el('section', { className: 'suggestion', attrs: { 'aria-label': 'Where to go next' } }, [
      el('p', { text: `${done} of ${progress.labs.length} labs done.` }),
      button,
    ]),
  ];
}

function intro(me: Me): HTMLElement[] {
  return [
    el('h1', { text: 'Pick a lab' }),
    el('p', {
      className: 'lead',
      text: "Each lab gives you a real shell in a throwaway container, set up with that lesson's isolation settings. Checks read the evidence from the host, not from your screen.",
    }),
    el('p', {
      className: 'lead',
      text: 'The labs are numbered in a suggested order: namespaces first, then control groups, least privilege, and the escapes that build on all three. Any lab can be started on its own.',
    }),
    ...(me.mode === 'workshop'
      ? [
          el('p', {
            className: 'lead workshop',
            text: "Workshop: this machine is shared. Escape labs that run here land on your own seat, a Docker engine that runs as a Unix user of its own; the ones that would give the machine's root run only on your own VM.",
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
      el('span', { className: 'topic-name', text: `${index + 1}. ${topic}` }),
      el('span', {
        className: 'topic-meta',
        text: `${mine.length} labs, about ${minutes} min, ${done} done`,
      }),
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
