// What every part of the bench shares (the engine, the options, a way to start the server
// under measurement) and what each part returns: named figures, some with a goal.
import type Dockerode from 'dockerode';
import type { ServerConfig } from '../../server/config.ts';
import type { BenchOptions, PartName } from './options.ts';
import type { BenchServer } from './server-child.ts';

export interface Goal {
  op: '<=' | '>=' | '<';
  target: number;
}

export interface Figure {
  /** Stable name: the key in bench.json. */
  name: string;
  label: string;
  value: number;
  unit: 'ms' | 's' | 'x' | 'MiB/s' | 'MiB' | 'KiB' | 'sessions' | 'count' | 'cores';
  goal?: Goal;
}

export interface PartResult {
  part: PartName;
  title: string;
  /** What was measured and how, for the report. */
  method: string;
  figures: Figure[];
  /** Tables of per-step detail (capacity steps, per-lab rows), already formatted. */
  notes: string[];
  seconds: number;
  /** The machine's 1-minute load average when the part ended: others' work shows here. */
  load: number;
  /** Why the part stopped, when it did not finish. */
  failed?: string;
}

export interface BenchContext {
  options: BenchOptions;
  /** The label value every container, network and session of this run carries. */
  instance: string;
  docker: Dockerode;
  say: (line: string) => void;
  /** Starts the server under measurement with these overrides; the part stops it. */
  startServer(config: Partial<ServerConfig>): Promise<BenchServer>;
}

export type Part = (ctx: BenchContext) => Promise<Omit<PartResult, 'seconds' | 'load'>>;

export function met(figure: Figure): boolean | undefined {
  const goal = figure.goal;
  if (goal === undefined || !Number.isFinite(figure.value))
    return goal === undefined ? undefined : false;
  if (goal.op === '<=') return figure.value <= goal.target;
  if (goal.op === '>=') return figure.value >= goal.target;
  return figure.value < goal.target;
}

/** Runs `body` with a server started for it, and always stops that server. */
export async function withServer<T>(
  ctx: BenchContext,
  config: Partial<ServerConfig>,
  body: (server: BenchServer) => Promise<T>,
): Promise<T> {
  const server = await ctx.startServer(config);
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}
