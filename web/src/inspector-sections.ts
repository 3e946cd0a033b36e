// The inspector panel's sections for one container: what is risky and why, namespaces next to
// the host's, capabilities against Docker's defaults, confinement, host exposures, and cgroup
// limits with live usage. Every state is said in words (and a symbol), never by colour alone.
import type {
  CapabilityView,
  CgroupView,
  ContainerInspection,
  NamespaceRow,
  RiskLine,
  SecurityView,
} from '../../server/protocol/inspector-types.ts';
import { el } from './dom.ts';
import { currentLang, hw, ui } from './i18n/i18n.ts';
import { memoryChart } from './memory-chart.ts';

function levelText(level: RiskLine['level']): string {
  const text = ui();
  return { high: text.riskHigh, medium: text.riskMedium, low: text.riskLow }[level];
}

function sharingWords(sharing: NamespaceRow['sharing']): string {
  const text = ui();
  return { private: text.sharingPrivate, host: text.sharingHost, container: text.sharingContainer }[
    sharing
  ];
}

function section(title: string, className: string, children: (Node | string)[]): HTMLElement {
  return el('section', { className: `inspector-section ${className}` }, [
    el('h3', { text: title }),
    ...children,
  ]);
}

function risks(lines: RiskLine[]): HTMLElement {
  if (lines.length === 0) return section(ui().risks, 'risks', [el('p', { text: ui().noneFound })]);
  const lang = currentLang();
  const items = lines.map((r) =>
    el('li', { className: `risk ${r.level}`, attrs: { 'data-level': r.level } }, [
      el('span', { className: 'level', text: levelText(r.level) }),
      el('strong', { text: ui().riskSetting(r.setting[lang]) }),
      r.why[lang],
      el('span', { className: 'source', text: ui().riskSource(r.source[lang]) }),
    ]),
  );
  return section(ui().risks, 'risks', [el('ul', {}, items)]);
}

/** "pid:[4026532301]" -> "4026532301". */
const inode = (link: string): string => /\[(\d+)\]/.exec(link)?.[1] ?? link;

function sharingText(r: NamespaceRow): string {
  if (r.sharing === 'host' && r.dockerDefault) return ui().sharingHostDefault;
  return `${sharingWords(r.sharing)}${r.sharedWith === undefined ? '' : ` ${r.sharedWith.join(', ')}`}`;
}

function namespaces(rows: NamespaceRow[]): HTMLElement {
  const body = rows.map((r) =>
    el(
      'tr',
      {
        className: `ns ${r.sharing}${r.dockerDefault ? ' default' : ''}`,
        attrs: { 'data-ns': r.kind, 'data-sharing': r.sharing },
      },
      [
        el('th', { text: r.kind, attrs: { scope: 'row' } }),
        el('td', { className: 'mono', text: inode(r.container) }),
        el('td', { className: 'mono', text: inode(r.host) }),
        el('td', { className: 'sharing', text: sharingText(r) }),
      ],
    ),
  );
  const head = hw().namespaceHead.map((h) => el('th', { text: h, attrs: { scope: 'col' } }));
  return section(ui().namespaces, 'namespaces', [
    el('table', {}, [el('thead', {}, [el('tr', {}, head)]), el('tbody', {}, body)]),
  ]);
}

const short = (name: string): string => name.replace(/^cap_/, '');

function capabilities(caps: CapabilityView | null): HTMLElement {
  if (caps === null)
    return section(ui().capabilities, 'capabilities', [el('p', { text: ui().notRead })]);
  const chips = caps.bounding.map((name) => {
    const added = caps.added.includes(name);
    return el('span', {
      className: `cap${added ? ' added' : ''}${caps.effective.includes(name) ? '' : ' not-effective'}`,
      text: `${added ? '+ ' : ''}${short(name)}`,
      attrs: { 'data-cap': name },
    });
  });
  const dropped = caps.dropped.map((name) =>
    el('span', { className: 'cap dropped', text: `− ${short(name)}`, attrs: { 'data-cap': name } }),
  );
  return section(ui().capabilities, 'capabilities', [
    el('p', {
      className: 'caption',
      text: ui().capabilitiesCaption(
        caps.bounding.length,
        caps.effective.length,
        caps.ambient.length,
      ),
    }),
    el('div', { className: 'caps' }, [...chips, ...dropped]),
    ...(caps.effective.length === 0
      ? [
          el('p', {
            className: 'caption',
            text: ui().effectiveEmpty,
          }),
        ]
      : []),
  ]);
}

function fact(label: string, value: string, bad = false): HTMLElement {
  return el('div', { className: `fact${bad ? ' bad' : ''}` }, [
    el('dt', { text: label }),
    el('dd', { text: bad ? `⚠ ${value}` : value }),
  ]);
}

function confinement(sec: SecurityView | null): HTMLElement {
  if (sec === null)
    return section(ui().confinement, 'confinement', [el('p', { text: ui().notRead })]);
  const w = hw();
  const filters = sec.seccompFilters === null ? '' : w.filters(sec.seccompFilters);
  const facts = [
    fact('privileged', sec.privileged ? w.yes : w.no, sec.privileged),
    fact('seccomp', `${sec.seccomp}${filters}`, sec.seccomp === 'disabled'),
    fact('no-new-privileges', sec.noNewPrivs ? w.on : w.off),
    fact(w.lsmLabel, sec.lsmLabel ?? w.noLsm),
    fact('uid_map', sec.uidMap),
    fact('gid_map', sec.gidMap),
    fact(w.rootFs, sec.readonlyRootfs ? w.readOnly : w.writable),
    fact(
      w.maskedPaths,
      sec.maskedPaths.join(' ') || w.none,
      sec.maskedPaths.length === 0 && !sec.privileged,
    ),
    fact(
      w.readonlyPaths,
      sec.readonlyPaths.join(' ') || w.none,
      sec.readonlyPaths.length === 0 && !sec.privileged,
    ),
  ];
  const exposures = sec.exposures.map((e) =>
    fact(e.kind, `${e.source} → ${e.destination}${e.readOnly ? ' (ro)' : ''}`, e.kind !== 'bind'),
  );
  return section(ui().confinement, 'confinement', [
    el('dl', {}, facts),
    ...(exposures.length === 0
      ? []
      : [el('h4', { text: ui().hostMountsAndDevices }), el('dl', {}, exposures)]),
  ]);
}

const MIB = 1024 * 1024;
const mib = (bytes: number | null): string =>
  bytes === null ? '–' : `${(bytes / MIB).toFixed(1)} MiB`;
const count = (n: number | null): string => (n === null ? '–' : String(n));

function cgroup(
  cg: CgroupView | null,
  history: readonly number[],
  cpuPercent: number | null,
): HTMLElement {
  if (cg === null) return section('cgroup', 'cgroup', [el('p', { text: ui().notRead })]);
  const w = hw();
  const memory = w.of(
    mib(cg.memory.usage),
    cg.memory.limit === null ? w.noLimit : mib(cg.memory.limit),
  );
  const percent = cpuPercent === null ? '–' : `${cpuPercent.toFixed(0)} %`;
  return section(`cgroup v${cg.version}`, 'cgroup', [
    el('dl', {}, [
      fact(w.memory, memory, cg.memory.limit === null),
      fact(w.oomKills, count(cg.oomKills), (cg.oomKills ?? 0) > 0),
      fact(
        w.pids,
        w.of(count(cg.pids.current), cg.pids.limit === null ? w.noLimit : String(cg.pids.limit)),
        cg.pids.limit === null,
      ),
      fact(w.cpu, w.cpuValue(percent, cg.cpu.cpus === null ? w.none : `${cg.cpu.cpus} CPU`)),
      fact(w.throttled, w.throttledValue(count(cg.cpu.throttled), count(cg.cpu.periods))),
      fact(w.blockIo, w.blockIoValue(mib(cg.io.readBytes), mib(cg.io.writeBytes))),
    ]),
    el('p', {
      className: 'caption',
      text: ui().memoryLastMinute(
        cg.memory.limit === null ? ui().memoryTopPeak : ui().memoryTopLimit(mib(cg.memory.limit)),
      ),
    }),
    memoryChart(history, cg.memory.limit),
  ]);
}

export interface Trend {
  memory: readonly number[];
  cpuPercent: number | null;
}

export function containerSections(c: ContainerInspection, trend: Trend): HTMLElement[] {
  const head = el('p', {
    className: 'inspector-state',
    text: c.running ? ui().runningInit(String(c.pid ?? '?')) : ui().notRunning(c.error ?? ''),
  });
  if (!c.running) return [head];
  return [
    head,
    risks(c.risks),
    namespaces(c.namespaces),
    capabilities(c.capabilities),
    confinement(c.security),
    cgroup(c.cgroup, trend.memory, trend.cpuPercent),
  ];
}
