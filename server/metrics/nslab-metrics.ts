// Prometheus metrics of one server, in a registry of its own (never prom-client's global
// one), so several servers in one process (tests, verify) each count only their own.
// Counters move where things happen: the session manager tells it of starts and ends (it is
// a SessionObserver), the check route of verdicts, the terminal gateway of bytes and sockets.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CheckResult } from '../protocol/api-types.ts';
import type { SessionObserver } from '../sessions/session-observer.ts';
import type { Session } from '../sessions/session.ts';
import type { TerminalTraffic } from '../terminal/terminal-traffic.ts';
import { endKind } from './end-reason.ts';

/** What the gauges read when scraped. */
export interface MetricSources {
  sessions: () => readonly Session[];
  poolSize: () => number;
}

/** Longer than any start measured (a cold escape lab with its engines is tens of seconds). */
const PROMPT_TIMEOUT_MS = 120_000;

/** Gauges read from the server when scraped, rather than kept up to date by hand. */
function sourceGauges(registry: Registry, sources: MetricSources): void {
  const registers = [registry];
  new Gauge({
    name: 'nslab_sessions_active',
    help: 'Sessions learners hold now.',
    registers,
    collect() {
      this.set(sources.sessions().filter((s) => !s.isEnded).length);
    },
  });
  new Gauge({
    name: 'nslab_containers',
    help: 'Containers of the sessions learners hold now.',
    registers,
    collect() {
      this.set(sources.sessions().reduce((n, s) => n + s.containers.size, 0));
    },
  });
  new Gauge({
    name: 'nslab_pool_sessions',
    help: 'Sessions in the warm pool (ready or being made).',
    registers,
    collect() {
      this.set(sources.poolSize());
    },
  });
}

export class NslabMetrics implements SessionObserver, TerminalTraffic {
  readonly registry = new Registry();
  private readonly sessionsStarted: Counter<'lab' | 'source'>;
  private readonly sessionsEnded: Counter<'lab' | 'reason'>;
  private readonly checks: Counter<'lab' | 'exercise' | 'verdict'>;
  private readonly startToPrompt: Histogram<'lab' | 'source'>;
  private readonly terminalBytes: Counter<'direction'>;
  private readonly sockets: Gauge<'kind'>;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    sourceGauges(this.registry, sources);
    this.sessionsStarted = new Counter({
      name: 'nslab_sessions_started_total',
      help: 'Sessions started, by lab and by where they came from (pool or fresh).',
      labelNames: ['lab', 'source'],
      registers,
    });
    this.sessionsEnded = new Counter({
      name: 'nslab_sessions_ended_total',
      help: 'Sessions ended, by lab and reason.',
      labelNames: ['lab', 'reason'],
      registers,
    });
    this.checks = new Counter({
      name: 'nslab_check_results_total',
      help: 'Check results, by lab, exercise and verdict.',
      labelNames: ['lab', 'exercise', 'verdict'],
      registers,
    });
    this.startToPrompt = new Histogram({
      name: 'nslab_start_to_prompt_seconds',
      help: 'From the Start request to the shell prompt of the first terminal.',
      labelNames: ['lab', 'source'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
      registers,
    });
    this.terminalBytes = new Counter({
      name: 'nslab_terminal_bytes_total',
      help: 'Terminal bytes: in (typed, to the shell) and out (to the browser).',
      labelNames: ['direction'],
      registers,
    });
    this.sockets = new Gauge({
      name: 'nslab_websocket_connections',
      help: 'Open WebSockets: learners’ terminals and instructors’ read-only watches.',
      labelNames: ['kind'],
      registers,
    });
  }

  started(session: Session, requestedAt = performance.now()): void {
    const source = session.fromPool ? 'pool' : 'fresh';
    this.sessionsStarted.inc({ lab: session.lab.id, source });
    const first = [...session.containers.values()].find((c) => c.terminal !== undefined);
    void first?.terminal?.prompted(PROMPT_TIMEOUT_MS).then(
      (prompted) => {
        if (prompted)
          this.startToPrompt.observe(
            { lab: session.lab.id, source },
            (performance.now() - requestedAt) / 1000,
          );
      },
      // A shell that never starts is the learner's error to see, not a metric's.
      () => undefined,
    );
  }

  ended(session: Session, reason: string): void {
    this.sessionsEnded.inc({ lab: session.lab.id, reason: endKind(reason) });
  }

  checked(labId: string, result: CheckResult): void {
    const verdict = result.passed ? 'passed' : 'failed';
    this.checks.inc({ lab: labId, exercise: result.exerciseId, verdict });
  }

  input(bytes: number): void {
    this.terminalBytes.inc({ direction: 'in' }, bytes);
  }

  output(bytes: number): void {
    this.terminalBytes.inc({ direction: 'out' }, bytes);
  }

  socketOpened(kind: 'terminal' | 'watch'): void {
    this.sockets.inc({ kind });
  }

  socketClosed(kind: 'terminal' | 'watch'): void {
    this.sockets.dec({ kind });
  }
}
