// Two containers' inspections side by side, one column under each terminal, with every row
// whose values differ marked (≠ and a highlight): what one profile's flags change against
// the other's, read on the host.
import type {
  ContainerInspection,
  NamespaceRow,
  RiskLine,
} from '../../server/protocol/inspector-types.ts';
import { el } from './dom.ts';
import { currentLang, ui } from './i18n/i18n.ts';

type Row = [label: string, left: string, right: string];

const MIB = 1024 * 1024;
const mib = (bytes: number | null | undefined): string =>
  bytes === null || bytes === undefined ? '–' : `${(bytes / MIB).toFixed(1)} MiB`;
const caps = (names: readonly string[] | undefined): string =>
  names === undefined
    ? '–'
    : names.length === 0
      ? 'none'
      : names.map((n) => n.replace(/^cap_/, '')).join(' ');

function sharing(row: NamespaceRow | undefined): string {
  if (row === undefined) return '–';
  if (row.sharing === 'private') return 'private';
  if (row.sharing === 'container') return `shared with ${row.sharedWith?.join(', ') ?? ''}`;
  return row.dockerDefault ? "shared with host (Docker's default)" : 'SHARED WITH HOST';
}

function riskSummary(risks: RiskLine[]): string {
  const lang = currentLang();
  const high = risks.filter((r) => r.level === 'high').map((r) => r.setting[lang]);
  return high.length === 0
    ? ui().compareRisksNoneHigh(risks.length)
    : ui().compareRisksHigh(high.length, high.join('; '));
}

function rows(a: ContainerInspection, b: ContainerInspection): Row[] {
  const pair = (f: (c: ContainerInspection) => string, label: string): Row => [label, f(a), f(b)];
  const kinds = [...new Set([...a.namespaces, ...b.namespaces].map((n) => n.kind))];
  return [
    pair((c) => riskSummary(c.risks), 'risks'),
    ...kinds.map((kind) =>
      pair((c) => sharing(c.namespaces.find((n) => n.kind === kind)), `${kind} namespace`),
    ),
    pair((c) => caps(c.capabilities?.bounding), 'capabilities (bounding)'),
    pair((c) => caps(c.capabilities?.effective), 'capabilities (effective)'),
    pair((c) => (c.security?.privileged === true ? 'yes' : 'no'), 'privileged'),
    pair((c) => c.security?.seccomp ?? '–', 'seccomp'),
    pair((c) => (c.security?.noNewPrivs === true ? 'on' : 'off'), 'no-new-privileges'),
    pair((c) => c.security?.lsmLabel ?? 'none', 'LSM label'),
    pair((c) => c.security?.uidMap ?? '–', 'uid_map'),
    pair((c) => (c.security?.readonlyRootfs === true ? 'read-only' : 'writable'), 'root fs'),
    pair(
      (c) =>
        c.security?.exposures
          .map((e) => `${e.kind} ${e.destination}${e.readOnly ? ' (ro)' : ''}`)
          .join('; ') || 'none',
      'host mounts',
    ),
    pair((c) => `${mib(c.cgroup?.memory.usage)} of ${mib(c.cgroup?.memory.limit)}`, 'memory'),
    pair((c) => `${c.cgroup?.pids.current ?? '–'} of ${c.cgroup?.pids.limit ?? '–'}`, 'pids'),
    pair((c) => String(c.cgroup?.oomKills ?? '–'), 'OOM kills'),
  ];
}

/** Rows that describe live usage differ all the time: they are not marked. */
const LIVE = new Set(['memory', 'pids']);

/** One column's cell: the row's name (marked when it differs), then the value. */
function cell(label: string, value: string, differs: boolean): HTMLElement {
  return el('td', {}, [
    el('span', { className: 'label', text: `${differs ? '≠ ' : ''}${label}: ` }),
    value,
  ]);
}

/** Two columns, each under its terminal, so every row reads across as a comparison. */
export function compareTable(a: ContainerInspection, b: ContainerInspection): HTMLElement {
  const body = rows(a, b).map(([label, left, right]) => {
    const differs = left !== right && !LIVE.has(label);
    return el('tr', { className: differs ? 'differs' : '', attrs: { 'data-row': label } }, [
      cell(label, left, differs),
      cell(label, right, differs),
    ]);
  });
  const head = el('tr', {}, [
    el('th', { text: a.title, attrs: { scope: 'col' } }),
    el('th', { text: b.title, attrs: { scope: 'col' } }),
  ]);
  return el('table', { className: 'compare-table' }, [
    el('caption', { text: ui().compareCaption }),
    el('thead', {}, [head]),
    el('tbody', {}, body),
  ]);
}
