// Two containers' inspections side by side, one column under each terminal, with every row
// whose values differ marked (≠ and a highlight): what one profile's flags change against
// the other's, read on the host.
import type {
  ContainerInspection,
  NamespaceRow,
  RiskLine,
} from '../../server/protocol/inspector-types.ts';
import { el } from './dom.ts';
import { currentLang, hw, ui } from './i18n/i18n.ts';
import { HOST_WORDS } from './i18n/host-words.ts';

/** `key` is stable (the row's English name, a test's handle); `label` is in the page's language. */
type Row = [key: string, label: string, left: string, right: string];

const MIB = 1024 * 1024;
const mib = (bytes: number | null | undefined): string =>
  bytes === null || bytes === undefined ? '–' : `${(bytes / MIB).toFixed(1)} MiB`;
const caps = (names: readonly string[] | undefined): string =>
  names === undefined
    ? '–'
    : names.length === 0
      ? hw().none
      : names.map((n) => n.replace(/^cap_/, '')).join(' ');

function sharing(row: NamespaceRow | undefined): string {
  const w = hw();
  if (row === undefined) return '–';
  if (row.sharing === 'private') return w.private;
  if (row.sharing === 'container') return w.sharedWith(row.sharedWith?.join(', ') ?? '');
  return row.dockerDefault ? w.sharedWithHostDefault : w.sharedWithHost;
}

function riskSummary(risks: RiskLine[]): string {
  const lang = currentLang();
  const high = risks.filter((r) => r.level === 'high').map((r) => r.setting[lang]);
  return high.length === 0
    ? ui().compareRisksNoneHigh(risks.length)
    : ui().compareRisksHigh(high.length, high.join('; '));
}

function exposures(c: ContainerInspection): string {
  const list = c.security?.exposures
    .map((e) => `${e.kind} ${e.destination}${e.readOnly ? ' (ro)' : ''}`)
    .join('; ');
  return list === undefined || list === '' ? hw().none : list;
}

function rows(a: ContainerInspection, b: ContainerInspection): Row[] {
  const w = hw();
  const en = HOST_WORDS.en;
  const pair = (f: (c: ContainerInspection) => string, key: string, label: string): Row => [
    key,
    label,
    f(a),
    f(b),
  ];
  const kinds = [...new Set([...a.namespaces, ...b.namespaces].map((n) => n.kind))];
  const yesNo = (on: boolean | undefined): string => (on === true ? w.yes : w.no);
  return [
    pair((c) => riskSummary(c.risks), en.risks, w.risks),
    ...kinds.map((kind) =>
      pair(
        (c) => sharing(c.namespaces.find((n) => n.kind === kind)),
        en.namespaceRow(kind),
        w.namespaceRow(kind),
      ),
    ),
    pair((c) => caps(c.capabilities?.bounding), en.capsBounding, w.capsBounding),
    pair((c) => caps(c.capabilities?.effective), en.capsEffective, w.capsEffective),
    pair((c) => yesNo(c.security?.privileged), 'privileged', 'privileged'),
    pair((c) => c.security?.seccomp ?? '–', 'seccomp', 'seccomp'),
    pair(
      (c) => (c.security?.noNewPrivs === true ? w.on : w.off),
      'no-new-privileges',
      'no-new-privileges',
    ),
    pair((c) => c.security?.lsmLabel ?? w.none, en.lsmLabel, w.lsmLabel),
    pair((c) => c.security?.uidMap ?? '–', 'uid_map', 'uid_map'),
    pair(
      (c) => (c.security?.readonlyRootfs === true ? w.readOnly : w.writable),
      en.rootFsShort,
      w.rootFsShort,
    ),
    pair(exposures, en.hostMounts, w.hostMounts),
    pair(
      (c) => w.of(mib(c.cgroup?.memory.usage), mib(c.cgroup?.memory.limit)),
      en.memory,
      w.memory,
    ),
    pair(
      (c) => w.of(String(c.cgroup?.pids.current ?? '–'), String(c.cgroup?.pids.limit ?? '–')),
      en.pids,
      w.pids,
    ),
    pair((c) => String(c.cgroup?.oomKills ?? '–'), en.oomKills, w.oomKills),
  ];
}

/** Rows that describe live usage differ all the time: they are not marked. */
const LIVE = new Set([HOST_WORDS.en.memory, HOST_WORDS.en.pids]);

/** One column's cell: the row's name (marked when it differs), then the value. */
function cell(label: string, value: string, differs: boolean): HTMLElement {
  return el('td', {}, [
    el('span', { className: 'label', text: `${differs ? '≠ ' : ''}${label}: ` }),
    value,
  ]);
}

/** Two columns, each under its terminal, so every row reads across as a comparison. */
export function compareTable(a: ContainerInspection, b: ContainerInspection): HTMLElement {
  const body = rows(a, b).map(([key, label, left, right]) => {
    const differs = left !== right && !LIVE.has(key);
    return el('tr', { className: differs ? 'differs' : '', attrs: { 'data-row': key } }, [
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
