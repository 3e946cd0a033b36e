// A load run's result as lines for a person.
import type { LoadResult } from './load-types.ts';
import { formatSummary, mib, ms } from './stats.ts';

export function printLoadReport(
  result: LoadResult,
  extra: {
    rssPeak?: number;
    rssEnd?: number;
    rssStart?: number;
    leftBeforeStop: string;
    leftAfterStop: string;
    serverErrors: number;
  },
  out: (line: string) => void,
): void {
  out('');
  out(`learners ${result.learners}, ${result.seconds} s asked, ${ms(result.durationMs)} run`);
  out(
    `sessions started ${result.sessionsStarted}, completed ${result.sessionsCompleted}, peak live ${result.peakLiveSessions} (${result.peakLiveSessions * 2} containers)`,
  );
  out(`errors ${result.errors.length}`);
  out(formatSummary('keystroke echo', result.echo));
  out(formatSummary('start-to-prompt', result.startToPrompt));
  out(formatSummary('  of which POST /sessions', result.startApi));
  out(formatSummary('check (API)', result.check));
  out(formatSummary('end session (API)', result.end));
  out(
    `server RSS start ${mib(extra.rssStart)}, peak ${mib(extra.rssPeak)}, end ${mib(extra.rssEnd)}`,
  );
  out(`server ERROR log lines ${extra.serverErrors}`);
  out(`load generator event-loop delay p99 ${result.clientLoopDelayP99Ms.toFixed(1)} ms`);
  out(`left on the engine after the last session ended: ${extra.leftBeforeStop}`);
  out(`left after the server stopped: ${extra.leftAfterStop}`);
  const byPhase = new Map<string, number>();
  for (const e of result.errors) byPhase.set(e.phase, (byPhase.get(e.phase) ?? 0) + 1);
  if (result.errors.length > 0) {
    out(`errors by phase: ${[...byPhase].map(([p, n]) => `${p} ${n}`).join(', ')}`);
    for (const e of result.errors.slice(0, 20))
      out(`  ${e.atMs} ms ${e.learner} #${e.iteration} ${e.phase}: ${e.message.slice(0, 300)}`);
  }
}
