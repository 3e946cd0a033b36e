// The first page: every lab in the catalogue, grouped by topic.
import type { LabSummary, Me } from '../../server/protocol/api-types.ts';
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

export function catalogueView(
  labs: LabSummary[],
  me: Me,
  onStart: (labId: string) => void,
): HTMLElement {
  const topics = [...new Set(labs.map((lab) => lab.topic))];
  return el('div', { className: 'catalogue' }, [
    el('h1', { text: 'Pick a lab' }),
    el('p', {
      className: 'lead',
      text: "Each lab gives you a real shell in a throwaway container, set up with that lesson's isolation settings. Checks read the evidence from the host, not from your screen.",
    }),
    ...(me.mode === 'workshop'
      ? [
          el('p', {
            className: 'lead workshop',
            text: "Workshop: this machine is shared. Escape labs that run here land on your own seat, a Docker engine that runs as a Unix user of its own; the ones that would give the machine's root run only on your own VM.",
          }),
        ]
      : []),
    ...topics.map((topic) =>
      el('section', { className: 'topic' }, [
        el('h2', { text: topic }),
        el(
          'ul',
          { className: 'labs' },
          labs
            .filter((lab) => lab.topic === topic)
            .map((lab) => {
              const button = el('button', {
                className: 'start',
                text: 'Start',
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
              const className =
                lab.unavailable === undefined ? 'lab-card' : 'lab-card unavailable-lab';
              return el('li', { className, attrs: { 'data-lab': lab.id } }, [
                el('h3', { text: lab.title }),
                el('p', { text: lab.summary }),
                ...(lab.unavailable === undefined
                  ? []
                  : [el('p', { className: 'unavailable', text: lab.unavailable })]),
                el('div', { className: 'meta' }, [
                  el('span', { text: `about ${lab.minutes} min` }),
                  button,
                ]),
              ]);
            }),
        ),
      ]),
    ),
    // Resetting ends every learner's labs: the token holder's button only.
    ...(me.instructor ? [resetHostPanel()] : []),
  ]);
}
