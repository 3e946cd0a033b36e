// The isolation inspector beside the terminals: a toggle in the terminal bar opens a panel
// that shows, for the container of the selected tab (or any other of the session), what the
// server read on the host. It subscribes (an EventSource) only while the panel is open and
// the page is visible, so a hidden panel or a background tab costs the server nothing.
import type {
  ContainerInspection,
  InspectorSnapshot,
} from '../../server/protocol/inspector-types.ts';
import { INSPECTOR_EVENT } from '../../server/protocol/inspector-types.ts';
import { api } from './api.ts';
import { el } from './dom.ts';
import { ui } from './i18n/i18n.ts';
import { compareTable } from './compare-sections.ts';
import { containerSections, type Trend } from './inspector-sections.ts';
import { CHART_SAMPLES } from './memory-chart.ts';

export interface InspectorPanel {
  toggle: HTMLButtonElement;
  element: HTMLElement;
  /** The terminal tab now shown: the panel follows it. */
  follow(name: string): void;
  /** Side by side: the two containers compared in columns; undefined goes back to one. */
  compare(pair: readonly [string, string] | undefined): void;
  /** Opens or closes the panel as its toggle does. */
  show(open: boolean): void;
  dispose(): void;
}

/** Memory samples and the last CPU counter per container, kept by the page. */
class Trends {
  private readonly memory = new Map<string, number[]>();
  private readonly cpu = new Map<string, { at: number; ns: number; percent: number | null }>();

  add(snapshot: InspectorSnapshot): void {
    for (const c of snapshot.containers) {
      const usage = c.cgroup?.memory.usage;
      if (usage !== null && usage !== undefined) {
        const samples = [...(this.memory.get(c.name) ?? []), usage].slice(-CHART_SAMPLES);
        this.memory.set(c.name, samples);
      }
      const ns = c.cgroup?.cpu.usageNs;
      if (ns === null || ns === undefined) continue;
      const before = this.cpu.get(c.name);
      const percent =
        before === undefined || snapshot.at <= before.at
          ? null
          : ((ns - before.ns) / 1e6 / (snapshot.at - before.at)) * 100;
      this.cpu.set(c.name, { at: snapshot.at, ns, percent: Math.max(0, percent ?? 0) });
    }
  }

  of(name: string): Trend {
    return { memory: this.memory.get(name) ?? [], cpuPercent: this.cpu.get(name)?.percent ?? null };
  }
}

function picker(onPick: () => void): HTMLSelectElement {
  const select = el('select', {
    className: 'inspector-pick',
    attrs: { 'aria-label': ui().container },
  });
  select.addEventListener('change', onPick);
  return select;
}

/** Keeps the picker's options equal to the snapshot's containers, keeping the choice. */
function syncOptions(select: HTMLSelectElement, containers: ContainerInspection[]): void {
  const names = containers.map((c) => c.name).join('\n');
  if (select.dataset.names === names) return;
  const chosen = select.value;
  select.replaceChildren(
    ...containers.map((c) => el('option', { text: c.title, attrs: { value: c.name } })),
  );
  select.dataset.names = names;
  if (containers.some((c) => c.name === chosen)) select.value = chosen;
}

/** The EventSource while the panel is shown; none otherwise. */
function subscription(
  sessionId: string,
  onSnapshot: (snapshot: InspectorSnapshot) => void,
  onStatus: (text: string) => void,
): { open(): void; close(): void } {
  let source: EventSource | undefined;
  const close = (): void => {
    source?.close();
    source = undefined;
  };
  const open = (): void => {
    if (source !== undefined) return;
    source = new EventSource(api.inspectionStreamUrl(sessionId));
    source.addEventListener(INSPECTOR_EVENT, (event) => {
      const snapshot = JSON.parse((event as MessageEvent<string>).data) as InspectorSnapshot;
      onStatus(ui().liveReadAt(new Date(snapshot.at).toLocaleTimeString()));
      onSnapshot(snapshot);
    });
    source.addEventListener('ended', () => {
      close();
      onStatus(ui().sessionEnded);
    });
    source.addEventListener('error', () => onStatus(ui().reconnecting));
  };
  return { open, close };
}

function toggleButton(): HTMLButtonElement {
  return el('button', {
    className: 'inspector-toggle',
    text: ui().inspector,
    attrs: {
      type: 'button',
      'aria-pressed': 'false',
      'aria-controls': 'inspector-panel',
      title: ui().inspectorTitle,
    },
  });
}

function panelElement(select: HTMLElement, status: HTMLElement, body: HTMLElement): HTMLElement {
  return el(
    'aside',
    {
      className: 'inspector-panel',
      // Focusable, so a keyboard can scroll it (it may hold no control of its own).
      attrs: {
        id: 'inspector-panel',
        hidden: '',
        'aria-label': ui().isolationInspector,
        tabindex: '0',
      },
    },
    [
      el('div', { className: 'inspector-head' }, [
        el('h2', { text: ui().isolationInspector }),
        select,
      ]),
      el('p', {
        className: 'caption',
        text: ui().inspectorCaption,
      }),
      status,
      body,
    ],
  );
}

/** What the panel shows: the chosen container, or the compared pair, from the last reading. */
interface View {
  chosen: string;
  pair: readonly [string, string] | undefined;
  last: InspectorSnapshot | undefined;
}

function renderer(
  view: View,
  parts: { select: HTMLSelectElement; body: HTMLElement; trends: Trends },
  scroller: () => HTMLElement,
): () => void {
  const { select, body, trends } = parts;
  return () => {
    const last = view.last;
    if (last === undefined) return;
    select.hidden = view.pair !== undefined;
    const scroll = scroller().scrollTop;
    if (view.pair !== undefined) {
      const [a, b] = view.pair.map((name) => last.containers.find((c) => c.name === name));
      if (a !== undefined && b !== undefined) body.replaceChildren(compareTable(a, b));
      body.dataset.container = view.pair.join(' ');
    } else {
      syncOptions(select, last.containers);
      const container = last.containers.find((c) => c.name === view.chosen) ?? last.containers[0];
      if (container === undefined) return;
      select.value = container.name;
      body.replaceChildren(...containerSections(container, trends.of(container.name)));
      body.dataset.container = container.name;
    }
    scroller().scrollTop = scroll;
  };
}

export function inspectorPanel(sessionId: string, firstTerminal: string): InspectorPanel {
  const toggle = toggleButton();
  const status = el('p', { className: 'inspector-status', attrs: { role: 'status' } });
  status.textContent = ui().connecting;
  const body = el('div', { className: 'inspector-body' });
  const trends = new Trends();
  const view: View = { chosen: firstTerminal, pair: undefined, last: undefined };
  const select = picker(() => {
    view.chosen = select.value;
    render();
  });
  const element = panelElement(select, status, body);
  const render = renderer(view, { select, body, trends }, () => element);
  const feed = subscription(
    sessionId,
    (snapshot) => {
      view.last = snapshot;
      trends.add(snapshot);
      render();
    },
    (text) => (status.textContent = text),
  );
  // Open while shown and the page visible; closed otherwise, so the server reads nothing.
  const sync = (): void =>
    !element.hidden && document.visibilityState === 'visible' ? feed.open() : feed.close();
  const show = (open: boolean): void => {
    element.hidden = !open;
    toggle.setAttribute('aria-pressed', String(open));
    sync();
  };
  toggle.addEventListener('click', () => show(element.hidden === true));
  document.addEventListener('visibilitychange', sync);
  return {
    toggle,
    element,
    follow: (name) => {
      view.chosen = name;
      render();
    },
    compare: (names) => {
      view.pair = names;
      render();
    },
    show,
    dispose: () => {
      document.removeEventListener('visibilitychange', sync);
      feed.close();
    },
  };
}
