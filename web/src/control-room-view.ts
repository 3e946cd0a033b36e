// The instructor's control room: the roster the server pushes (Server-Sent Events), the
// room's totals per exercise, a broadcast box, and per learner Watch, Reset and End. Every
// name and id goes into the page as text, never as HTML.
import type { ExerciseTotal, Roster, RosterLearner } from '../../server/protocol/api-types.ts';
import { api } from './api.ts';
import { el } from './dom.ts';
import { ui } from './i18n/i18n.ts';
import { offeredLabsView } from './offered-labs-view.ts';
import { preflightView } from './preflight-view.ts';
import { TerminalView } from './terminal-view.ts';

export interface ControlRoomHandle {
  element: HTMLElement;
  dispose(): void;
}

function minutes(ms: number): string {
  const total = Math.floor(ms / 60_000);
  return total < 60 ? `${total} min` : `${Math.floor(total / 60)} h ${total % 60} min`;
}

function button(text: string, className: string, onClick: () => void): HTMLButtonElement {
  const node = el('button', { className, text, attrs: { type: 'button' } });
  node.addEventListener('click', onClick);
  return node;
}

function totalsTable(totals: ExerciseTotal[]): HTMLElement {
  if (totals.length === 0) return el('p', { className: 'muted', text: ui().noChecksYet });
  const rows = totals.map((t) =>
    el('tr', { attrs: { 'data-exercise': `${t.labId}/${t.exerciseId}` } }, [
      el('td', { text: t.labId }),
      el('td', { text: t.exerciseId }),
      el('td', { className: 'passed', text: String(t.passed) }),
      el('td', { className: t.stuck > 0 ? 'stuck warn' : 'stuck', text: String(t.stuck) }),
    ]),
  );
  const head = ui().totalsHead.map((h) => el('th', { text: h }));
  return el('table', { className: 'totals' }, [
    el('thead', {}, [el('tr', {}, head)]),
    el('tbody', {}, rows),
  ]);
}

/** One control-room row; the actions act on the learner's live session. */
function learnerRow(learner: RosterLearner, actions: RowActions): HTMLElement {
  // The class names the state in English whatever the page's language (tests and CSS use it).
  const state = learner.online ? 'online' : learner.sessionId === undefined ? 'no lab' : 'idle';
  const stateText = { online: ui().online, 'no lab': ui().noLab, idle: ui().idle }[state];
  const cells = [
    el('td', { className: 'name', text: learner.displayName }),
    el('td', { className: 'lab', text: learner.labId ?? '–' }),
    el('td', { className: 'exercise', text: learner.exerciseId ?? '–' }),
    el('td', { className: 'passes', text: String(learner.passes) }),
    el('td', { className: 'hints', text: String(learner.hints) }),
    el('td', { className: 'reveals', text: String(learner.reveals) }),
    el('td', { className: 'time', text: minutes(learner.msInLab) }),
    el('td', {}, [
      el('span', { className: `presence ${state.replace(' ', '-')}`, text: stateText }),
    ]),
  ];
  const sessionId = learner.sessionId;
  const buttons =
    sessionId === undefined
      ? []
      : [
          button(ui().watch, 'watch', () => actions.watch(learner, sessionId)),
          button(ui().reset, 'control-reset', () => actions.reset(sessionId)),
          button(ui().end, 'control-end', () => actions.end(sessionId)),
        ];
  cells.push(el('td', {}, [el('div', { className: 'row-actions' }, buttons)]));
  return el('tr', { attrs: { 'data-learner': learner.learnerId } }, cells);
}

interface RowActions {
  watch(learner: RosterLearner, sessionId: string): void;
  reset(sessionId: string): void;
  end(sessionId: string): void;
}

function rosterTable(roster: Roster, actions: RowActions): HTMLElement {
  if (roster.learners.length === 0) return el('p', { className: 'muted', text: ui().nobodyJoined });
  const head = ui().rosterHead;
  return el('table', { className: 'roster' }, [
    el('thead', {}, [
      el(
        'tr',
        {},
        head.map((h) => el('th', { text: h })),
      ),
    ]),
    el(
      'tbody',
      {},
      roster.learners.map((l) => learnerRow(l, actions)),
    ),
  ]);
}

function broadcastForm(report: (text: string) => void): HTMLElement {
  const input = el('input', {
    className: 'broadcast-text',
    attrs: { type: 'text', maxlength: '300', placeholder: ui().broadcastPlaceholder },
  });
  const form = el('form', { className: 'broadcast' }, [
    input,
    el('button', { text: ui().broadcast, attrs: { type: 'submit' } }),
  ]);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (input.value.trim() === '') return;
    api.broadcast(input.value).then(
      ({ sessions }) => {
        report(ui().sentTo(sessions));
        input.value = '';
      },
      (error: unknown) => report(error instanceof Error ? error.message : ui().notSent),
    );
  });
  return form;
}

/** The read-only view of one learner's terminal, below the roster. */
function watchPanel(): {
  element: HTMLElement;
  show(learner: RosterLearner, sessionId: string): void;
  stop(): void;
} {
  const title = el('h2', { text: '' });
  const host = el('div', { className: 'watch-host' });
  const element = el('section', { className: 'watch-panel', attrs: { hidden: '' } });
  let watching: TerminalView | undefined;
  const stop = (): void => {
    watching?.dispose();
    watching = undefined;
    element.hidden = true;
  };
  element.append(
    el('div', { className: 'watch-bar' }, [title, button(ui().stopWatching, 'stop', stop)]),
    host,
  );
  const show = (learner: RosterLearner, sessionId: string): void => {
    stop();
    const name = learner.terminals[0];
    if (name === undefined) return;
    title.textContent = ui().watching(learner.displayName, name);
    watching = new TerminalView(sessionId, name, () => undefined, undefined, undefined, true);
    host.replaceChildren(watching.element);
    element.hidden = false;
    watching.open();
  };
  return { element, show, stop };
}

/** Downloads: the page's cookie carries the token, the server names the file. */
function exportLinks(): HTMLElement {
  const link = (format: 'csv' | 'json', text: string): HTMLElement =>
    el('a', {
      className: `export-${format}`,
      text,
      attrs: { href: api.exportUrl(format), download: '' },
    });
  return el('p', { className: 'export-links' }, [
    link('csv', ui().downloadCsv),
    link('json', ui().downloadJson),
  ]);
}

export function controlRoomView(): ControlRoomHandle {
  const status = el('p', { className: 'control-status', attrs: { role: 'status' } });
  const rosterHost = el('div', { className: 'roster-host' });
  const totalsHost = el('div', { className: 'totals-host' });
  const watch = watchPanel();
  const report = (text: string): void => {
    status.textContent = text;
  };
  const actions: RowActions = {
    watch: (learner, sessionId) => watch.show(learner, sessionId),
    reset: (sessionId) =>
      void api.controlReset(sessionId).then(
        () => report(ui().labStartedAfresh),
        (error: unknown) => report(error instanceof Error ? error.message : ui().resetFailed),
      ),
    end: (sessionId) =>
      void api.controlEnd(sessionId).then(
        () => report(ui().sessionWasEnded),
        (error: unknown) => report(error instanceof Error ? error.message : ui().endFailed),
      ),
  };
  const events = new EventSource(api.rosterStreamUrl);
  events.addEventListener('roster', (event: MessageEvent<string>) => {
    const roster = JSON.parse(event.data) as Roster;
    rosterHost.replaceChildren(rosterTable(roster, actions));
    totalsHost.replaceChildren(totalsTable(roster.totals));
    rosterHost.dataset.updated = String(roster.at);
  });
  events.addEventListener('error', () => report(ui().reconnectingRoster));
  events.addEventListener('open', () => report(''));
  const element = el('div', { className: 'control-room' }, [
    el('h1', { text: ui().controlRoom }),
    broadcastForm(report),
    status,
    el('section', {}, [el('h2', { text: ui().learners }), rosterHost]),
    el('section', {}, [el('h2', { text: ui().whereTheRoomIs }), totalsHost]),
    watch.element,
    el('div', { className: 'workshop-tools' }, [
      el('section', { className: 'offered-section' }, [
        el('h2', { text: ui().offeredLabs }),
        offeredLabsView(report),
      ]),
      el('section', { className: 'preflight-section' }, [
        el('h2', { text: ui().preflight }),
        preflightView(events, report),
        el('h2', { text: ui().exportProgress }),
        exportLinks(),
      ]),
    ]),
  ]);
  return {
    element,
    dispose: () => {
      events.close();
      watch.stop();
    },
  };
}
