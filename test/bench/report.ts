// Writes the run's figures: test/artifacts/bench.json (stable field names, one key per
// figure) and test/bench/BENCHMARKS.md (machine, date, command, every figure, every goal).
// Whatever follows the ANALYSIS marker in an existing BENCHMARKS.md is kept across runs:
// that is where a person explains the figures.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import { met, type Figure, type PartResult } from './context.ts';
import type { Machine } from './machine.ts';
import type { BenchOptions } from './options.ts';
import { ARTIFACTS, REPO } from './server-child.ts';
import { round } from './stats.ts';

export const REPORT_PATH = path.join(REPO, 'test', 'bench', 'BENCHMARKS.md');
export const JSON_PATH = path.join(ARTIFACTS, 'bench.json');
/** A run of some parts only: bench.json keeps the last full run's stable field set. */
export const PARTIAL_JSON_PATH = path.join(ARTIFACTS, 'bench-partial.json');
const ANALYSIS = '<!-- analysis: written by hand, kept when the bench rewrites this file -->';

export interface Run {
  date: Date;
  command: string;
  seconds: number;
  machine: Machine;
  options: BenchOptions;
  parts: PartResult[];
  leftovers: number;
}

export function formatValue(figure: Pick<Figure, 'value' | 'unit'>): string {
  const v = round(figure.value);
  if (!Number.isFinite(figure.value)) return 'n/a';
  switch (figure.unit) {
    case 'x':
      return `${v.toFixed(2)}x`;
    case 'ms':
      return `${v} ms`;
    case 'sessions':
    case 'count':
      return String(v);
    default:
      return `${v} ${figure.unit}`;
  }
}

/** The value as shown, with more digits where rounding would make a miss look met. */
export function formatFigure(figure: Figure): string {
  const text = formatValue(figure);
  if (met(figure) !== false) return text;
  const shown = Number.parseFloat(text);
  if (met({ ...figure, value: shown }) !== true) return text;
  const precise = figure.value.toPrecision(4);
  return figure.unit === 'x' ? `${precise}x` : `${precise} ${figure.unit}`;
}

function goalText(figure: Figure): string {
  if (figure.goal === undefined) return '';
  return `${figure.goal.op} ${formatValue({ value: figure.goal.target, unit: figure.unit })}`;
}

function metText(figure: Figure): string {
  const ok = met(figure);
  return ok === undefined ? '' : ok ? 'met' : '**missed**';
}

export function writeJson(run: Run, file: string): void {
  const figures = run.parts.flatMap((p) => p.figures);
  const json = {
    date: run.date.toISOString(),
    command: run.command,
    seconds: Math.round(run.seconds),
    machine: run.machine,
    options: run.options,
    ...Object.fromEntries(figures.map((f) => [f.name, round(f.value)])),
    goals: Object.fromEntries(
      figures
        .filter((f) => f.goal !== undefined)
        .map((f) => [f.name, { ...f.goal, value: round(f.value), met: met(f) }]),
    ),
    parts: run.parts.map((p) => ({
      part: p.part,
      title: p.title,
      seconds: Math.round(p.seconds),
      figures: Object.fromEntries(p.figures.map((f) => [f.name, round(f.value)])),
    })),
    leftovers: run.leftovers,
  };
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}

function machineTable(m: Machine): string[] {
  return [
    '| machine | |',
    '| --- | --- |',
    `| CPU | ${m.cpus} x ${m.cpuModel} |`,
    `| memory | ${m.memoryMib} MiB |`,
    `| kernel | ${m.kernel} (${m.os}) |`,
    `| Docker | ${m.docker}, ${m.storageDriver}, cgroup ${m.cgroup} |`,
    `| Node.js | ${m.node} |`,
    `| load average at start | ${m.loadAverage.join(' ')} |`,
    `| code | ${m.code} |`,
  ];
}

function partSection(part: PartResult): string[] {
  return [
    `## ${part.title}`,
    '',
    `${part.method} (${Math.round(part.seconds)} s; load average ${round(part.load)} at its end)`,
    '',
    '| figure | value | goal | | json |',
    '| --- | --- | --- | --- | --- |',
    ...part.figures.map(
      (f) => `| ${f.label} | ${formatFigure(f)} | ${goalText(f)} | ${metText(f)} | \`${f.name}\` |`,
    ),
    '',
    ...part.notes.flatMap((note) => [note, '']),
  ];
}

function keptAnalysis(): string {
  if (!existsSync(REPORT_PATH)) return `${ANALYSIS}\n`;
  const text = readFileSync(REPORT_PATH, 'utf8');
  const at = text.indexOf(ANALYSIS);
  return at < 0 ? `${ANALYSIS}\n` : text.slice(at);
}

export async function writeMarkdown(run: Run): Promise<void> {
  const goals = run.parts.flatMap((p) => p.figures).filter((f) => f.goal !== undefined);
  const lines = [
    '# nslab benchmarks',
    '',
    `Written by \`npm run bench\` (test/bench/main.ts) from one run on one engine; nslab and raw`,
    'Docker samples are interleaved so machine noise hits both. The JSON of the same run is',
    '`test/artifacts/bench.json`.',
    '',
    `- date: ${run.date.toISOString()}`,
    `- command: \`${run.command}\``,
    `- duration: ${Math.round(run.seconds)} s; left on the engine afterwards: ${run.leftovers} containers`,
    '',
    ...machineTable(run.machine),
    '',
    '## Goals',
    '',
    '| figure | value | goal | | json |',
    '| --- | --- | --- | --- | --- |',
    ...goals.map(
      (f) => `| ${f.label} | ${formatFigure(f)} | ${goalText(f)} | ${metText(f)} | \`${f.name}\` |`,
    ),
    '',
    ...run.parts.flatMap(partSection),
    keptAnalysis().trimEnd(),
    '',
  ];
  // Formatted as the repository formats markdown, so `prettier --check .` stays clean.
  const options = (await prettier.resolveConfig(REPORT_PATH)) ?? {};
  writeFileSync(
    REPORT_PATH,
    await prettier.format(lines.join('\n'), { ...options, filepath: REPORT_PATH }),
  );
}
