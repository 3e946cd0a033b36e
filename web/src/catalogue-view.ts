// The first page: every lab in the catalogue, grouped by topic.
import type { LabSummary } from '../../server/protocol/api-types.ts';
import { el } from './dom.ts';

export function catalogueView(labs: LabSummary[], onStart: (labId: string) => void): HTMLElement {
  const topics = [...new Set(labs.map((lab) => lab.topic))];
  return el('div', { className: 'catalogue' }, [
    el('h1', { text: 'Pick a lab' }),
    el('p', {
      className: 'lead',
      text: "Each lab gives you a real shell in a throwaway container, set up with that lesson's isolation settings. Checks read the evidence from the host, not from your screen.",
    }),
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
              return el('li', { className: 'lab-card', attrs: { 'data-lab': lab.id } }, [
                el('h3', { text: lab.title }),
                el('p', { text: lab.summary }),
                el('div', { className: 'meta' }, [
                  el('span', { text: `about ${lab.minutes} min` }),
                  button,
                ]),
              ]);
            }),
        ),
      ]),
    ),
  ]);
}
