// The shape of the code, checked on every run: the import graph of server/, labs/ and
// web/src has no cycle, and its layers point one way. A newcomer who adds an import against
// the grain learns it here, with the file and the import named, instead of in review.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ROOTS = ['server', 'labs', 'web/src'];

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(rel);
    return entry.name.endsWith('.ts') ? [rel] : [];
  });
}

/** Every import and re-export of a file, with whether it brings in types only. */
function importsOf(file: string): Edge[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const edges: Edge[] = [];
  for (const statement of source.statements) {
    const isImport = ts.isImportDeclaration(statement);
    const isExport = ts.isExportDeclaration(statement);
    if (!isImport && !isExport) continue;
    const spec = statement.moduleSpecifier;
    if (spec === undefined || !ts.isStringLiteral(spec)) continue;
    const typeOnly = isImport
      ? statement.importClause?.phaseModifier === ts.SyntaxKind.TypeKeyword
      : statement.isTypeOnly;
    const to = spec.text.startsWith('.')
      ? path.posix.normalize(path.posix.join(path.posix.dirname(file), spec.text))
      : spec.text;
    edges.push({ from: file, to, typeOnly });
  }
  return edges;
}

const FILES = ROOTS.flatMap(sourceFiles);
const EDGES = FILES.flatMap(importsOf);

function findCycles(): string[][] {
  const next = new Map<string, string[]>();
  for (const e of EDGES)
    if (FILES.includes(e.to)) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const to of next.get(file) ?? []) {
      if (state.get(to) === 'open') cycles.push([...stack.slice(stack.indexOf(to)), to]);
      else if (state.get(to) === undefined) visit(to);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of FILES) if (state.get(file) === undefined) visit(file);
  return cycles;
}

/** Imports from files under `from` that reach a module under any of `forbidden`. */
function crossing(from: string, forbidden: string[], options: { runtimeOnly?: boolean } = {}) {
  return EDGES.filter(
    (e) =>
      e.from.startsWith(from) &&
      !(options.runtimeOnly === true && e.typeOnly) &&
      forbidden.some((f) => e.to === f || e.to.startsWith(f.endsWith('.ts') ? f : `${f}/`)),
  ).map((e) => `${e.from} -> ${e.to}`);
}

describe('architecture', () => {
  it('reads the whole tree', () => {
    expect(FILES.length).toBeGreaterThan(80);
    expect(EDGES.length).toBeGreaterThan(300);
  });

  it('has no import cycle in server/, labs/ or web/src', () => {
    expect(findCycles().map((c) => c.join(' -> '))).toEqual([]);
  });

  it('keeps the Docker layer below sessions, provisioning, the catalogue and the checks', () => {
    const above = [
      'server/sessions',
      'server/provisioning',
      'server/catalogue',
      'server/plans',
      'server/checks',
      'server/http',
      'server/config.ts',
    ];
    expect(crossing('server/docker/', above)).toEqual([]);
  });

  it('keeps the host layer free of lab plans and sessions', () => {
    const above = ['server/plans', 'server/catalogue', 'server/sessions', 'server/provisioning'];
    expect(crossing('server/host/', above)).toEqual([]);
  });

  it('keeps lab types out of the check runner and the session machinery', () => {
    const runner = [
      'server/checks/run-check.ts',
      'server/checks/skip-exercise.ts',
      'server/sessions',
      'server/provisioning',
      'server/http',
    ];
    expect(crossing('server/catalogue/', runner)).toEqual([]);
  });

  it('lets labs reach the server only through server/lab-kit.ts', () => {
    const intoServer = EDGES.filter(
      (e) =>
        e.from.startsWith('labs/') && e.to.startsWith('server/') && e.to !== 'server/lab-kit.ts',
    ).map((e) => `${e.from} -> ${e.to}`);
    expect(intoServer).toEqual([]);
  });

  it('calls dockerode only from server/docker/ (other layers may name its types)', () => {
    const outside = EDGES.filter(
      (e) => e.to === 'dockerode' && !e.typeOnly && !e.from.startsWith('server/docker/'),
    ).map((e) => e.from);
    expect(outside).toEqual([]);
  });

  it('lets the page share only the protocol with the server', () => {
    const intoServer = EDGES.filter(
      (e) =>
        e.from.startsWith('web/src/') &&
        e.to.startsWith('server/') &&
        !e.to.startsWith('server/protocol/'),
    ).map((e) => `${e.from} -> ${e.to}`);
    expect(intoServer).toEqual([]);
  });
});
