// The probe menu: each button asks the server to run one fixed command in the playground
// container and shows what happened and which setting stopped it. Not graded: the learner
// is root in there and could make any probe print anything.
import {
  PROBE_IDS,
  PROBE_TITLES,
  type ProbeId,
  type ProbeResultView,
} from '../../server/protocol/playground-types.ts';
import { api } from './api.ts';
import { el } from './dom.ts';

function showResult(slot: HTMLElement, r: ProbeResultView): void {
  slot.className = `probe-result ${r.outcome}`;
  slot.replaceChildren(
    el('div', {}, [
      el('strong', { text: r.outcome === 'succeeded' ? 'It worked. ' : 'Blocked. ' }),
      r.outcome === 'succeeded'
        ? 'Nothing in the profile stopped it.'
        : `Stopped by: ${r.stoppedBy}`,
    ]),
    el('code', { className: 'probe-command', text: `$ ${r.command}` }),
    el('pre', { className: 'probe-output', text: r.output === '' ? '(no output)' : r.output }),
  );
}

function probeRow(sessionId: string, id: ProbeId): HTMLElement {
  const button = el('button', {
    className: 'probe',
    text: PROBE_TITLES[id],
    attrs: { type: 'button', 'data-probe': id },
  });
  const slot = el('div', { className: 'probe-result', attrs: { 'aria-live': 'polite' } });
  button.addEventListener('click', () => {
    button.disabled = true;
    slot.textContent = 'Running…';
    api
      .playgroundProbe(sessionId, id)
      .then(
        (result) => showResult(slot, result),
        (error: unknown) => {
          slot.className = 'probe-result error';
          slot.textContent = error instanceof Error ? error.message : 'The probe failed.';
        },
      )
      .finally(() => {
        button.disabled = false;
      });
  });
  return el('li', { className: 'probe-row' }, [button, slot]);
}

export function probeMenu(sessionId: string): HTMLElement {
  return el('section', { className: 'pg-probes', attrs: { 'aria-label': 'Probes' } }, [
    el('h3', { text: 'Probes' }),
    el('p', {
      className: 'pg-note',
      text: 'Each runs a fixed command in your container as the profile’s user. Shown, not graded.',
    }),
    el(
      'ul',
      { className: 'probe-list' },
      PROBE_IDS.map((id) => probeRow(sessionId, id)),
    ),
  ]);
}
