// The probe menu: each button asks the server to run one fixed command in the playground
// container and shows what happened and which setting stopped it. Not graded: the learner
// is root in there and could make any probe print anything.
import {
  PROBE_IDS,
  type ProbeId,
  type ProbeResultView,
} from '../../server/protocol/playground-types.ts';
import { api } from './api.ts';
import { el } from './dom.ts';
import { ui } from './i18n/i18n.ts';
import type { Messages } from './i18n/en.ts';

/** What each probe tries, as the menu names it (the server's result says the same in words). */
const TITLES = {
  mount: 'pgProbeMount',
  'raw-socket': 'pgProbeRawSocket',
  chown: 'pgProbeChown',
  'host-processes': 'pgProbeHostProcesses',
  'write-root': 'pgProbeWriteRoot',
} as const satisfies Record<ProbeId, keyof Messages>;

function showResult(slot: HTMLElement, r: ProbeResultView): void {
  slot.className = `probe-result ${r.outcome}`;
  slot.replaceChildren(
    el('div', {}, [
      el('strong', { text: r.outcome === 'succeeded' ? ui().pgProbeWorked : ui().pgProbeBlocked }),
      r.outcome === 'succeeded' ? ui().pgProbeNothingStopped : ui().pgProbeStoppedBy(r.stoppedBy),
    ]),
    el('code', { className: 'probe-command', text: `$ ${r.command}` }),
    el('pre', { className: 'probe-output', text: r.output === '' ? ui().pgNoOutput : r.output }),
  );
}

function probeRow(sessionId: string, id: ProbeId): HTMLElement {
  const button = el('button', {
    className: 'probe',
    text: ui()[TITLES[id]],
    attrs: { type: 'button', 'data-probe': id },
  });
  const slot = el('div', { className: 'probe-result', attrs: { 'aria-live': 'polite' } });
  button.addEventListener('click', () => {
    button.disabled = true;
    slot.textContent = ui().pgProbeRunning;
    api
      .playgroundProbe(sessionId, id)
      .then(
        (result) => showResult(slot, result),
        (error: unknown) => {
          slot.className = 'probe-result error';
          slot.textContent = error instanceof Error ? error.message : ui().pgProbeFailed;
        },
      )
      .finally(() => {
        button.disabled = false;
      });
  });
  return el('li', { className: 'probe-row' }, [button, slot]);
}

export function probeMenu(sessionId: string): HTMLElement {
  return el('section', { className: 'pg-probes', attrs: { 'aria-label': ui().pgProbes } }, [
    el('h3', { text: ui().pgProbes }),
    el('p', { className: 'pg-note', text: ui().pgProbesNote }),
    el(
      'ul',
      { className: 'probe-list' },
      PROBE_IDS.map((id) => probeRow(sessionId, id)),
    ),
  ]);
}
