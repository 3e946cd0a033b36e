// The control room's preflight: a button that runs each offered lab on this machine with its
// reference solution, and a table of each lab's state, as the control room's event stream
// pushes it.
import type { PreflightResult, PreflightView } from '../../server/protocol/api-types.ts';
import { api } from './api.ts';
import { el } from './dom.ts';
import { currentLang, hw, ui } from './i18n/i18n.ts';

function resultRow(result: PreflightResult): HTMLElement {
  const time = result.ms === undefined ? '' : `${(result.ms / 1000).toFixed(1)} s`;
  return el('tr', { attrs: { 'data-lab': result.labId } }, [
    el('td', { text: result.labId }),
    el('td', {}, [
      el('span', {
        className: `verdict ${result.status}`,
        text: hw().preflightStatus[result.status],
      }),
    ]),
    el('td', { className: 'time', text: time }),
    el('td', { className: 'reason', text: result.reason?.[currentLang()] ?? '' }),
  ]);
}

function resultsTable(view: PreflightView): HTMLElement {
  if (view.results.length === 0) return el('p', { className: 'muted', text: ui().preflightNotRun });
  const head = ui().preflightHead.map((h) => el('th', { text: h }));
  return el('table', { className: 'preflight' }, [
    el('thead', {}, [el('tr', {}, head)]),
    el('tbody', {}, view.results.map(resultRow)),
  ]);
}

export function preflightView(events: EventSource, report: (text: string) => void): HTMLElement {
  const host = el('div', { className: 'preflight-host' });
  const run = el('button', {
    className: 'run-preflight',
    text: ui().runPreflight,
    attrs: { type: 'button' },
  });
  const failed = (error: unknown): void =>
    report(error instanceof Error ? error.message : ui().preflightCouldNotStart);
  const show = (view: PreflightView): void => {
    host.replaceChildren(resultsTable(view));
    host.dataset.running = String(view.running);
    run.disabled = view.running;
  };
  run.addEventListener('click', () => void api.startPreflight().then(show, failed));
  events.addEventListener('preflight', (event: MessageEvent<string>) => {
    show(JSON.parse(event.data) as PreflightView);
  });
  return el('div', { className: 'preflight-panel' }, [
    el('p', {
      className: 'muted',
      text: ui().preflightCaption,
    }),
    run,
    host,
  ]);
}
