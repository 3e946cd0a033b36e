// The fuzz report as lines for a person: every case with what the server answered.
import type { FuzzReport } from './fuzz-types.ts';

export function formatFuzzReport(report: FuzzReport): string[] {
  const f = report.frames;
  const lines = [
    `seed ${report.seed}`,
    `random frames: ${f.sent} over ${f.connections} connections in ${f.ms} ms; error controls ${f.receivedErrors}/${f.expectedErrors} expected, pongs ${f.receivedPongs}/${f.expectedPongs}, shell exits (random Ctrl-D) ${f.shellExits}, unexpected closes ${f.unexpectedCloses.length}`,
    `  by kind: ${Object.entries(f.byKind)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
    ...report.cases.map(
      (c) =>
        `${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.observed}${c.ok ? '' : ` (expected ${c.expected})`}`,
    ),
    `bystander: ${report.bystander.probes} probes, ${report.bystander.failures.length} failures; command round trip p50/max before ${Math.round(report.bystander.baseline.p50)}/${Math.round(report.bystander.baseline.max)} ms, during ${Math.round(report.bystander.during.p50)}/${Math.round(report.bystander.during.max)} ms`,
    `server alive: ${report.serverAlive}; ERROR log lines: ${report.serverErrorLines.length}`,
    ...report.serverErrorLines.slice(0, 10).map((l) => `  ${l.slice(0, 300)}`),
    ...report.notes.map((n) => `note: ${n}`),
    ...report.problems.map((p) => `PROBLEM: ${p}`),
  ];
  return lines;
}
