// The bench's command line: which parts to run and how many samples each takes.
//   npm run bench -- --only=cold,warm --iterations=20 --room=30 --capacity-max=60
export const PARTS = [
  'warm',
  'cold',
  'room',
  'echo',
  'throughput',
  'flood',
  'capacity',
  'checks',
  'inspector',
] as const;
export type PartName = (typeof PARTS)[number];

export interface BenchOptions {
  parts: PartName[];
  /** Samples of each kind in the warm and cold comparisons. */
  iterations: number;
  /** The lab of the warm, room, echo, throughput, flood and capacity parts. */
  lab: string;
  /** Labs of the cold comparison (the first is the headline cold_vs_run). */
  coldLabs: string[];
  room: number;
  roomSpreadMs: number;
  echo: number;
  throughputMb: number;
  throughputRuns: number;
  floodSessions: number;
  floodSeconds: number;
  capacityStep: number;
  capacityMax: number;
  checkSamples: number;
  /** Learners with the isolation inspector open in the inspector part. */
  inspectors: number;
  /** The server's NSLAB_LOG_LEVEL (its log goes to test/artifacts/bench-server.log). */
  serverLogLevel: string;
  /** Write test/bench/BENCHMARKS.md even when only some parts ran. */
  report: boolean;
  /** Profile the server: node --cpu-prof, one .cpuprofile per server in test/artifacts/cpu-prof. */
  serverCpuProf: boolean;
}

export const DEFAULTS: BenchOptions = {
  parts: [...PARTS],
  iterations: 10,
  lab: 'uts',
  coldLabs: ['uts', 'cgroup-pids'],
  room: 30,
  roomSpreadMs: 2_000,
  echo: 1_000,
  throughputMb: 50,
  throughputRuns: 5,
  floodSessions: 10,
  floodSeconds: 5,
  capacityStep: 10,
  capacityMax: 100,
  checkSamples: 20,
  inspectors: 30,
  serverLogLevel: 'warn',
  report: false,
  serverCpuProf: false,
};

export const USAGE = `npm run bench -- [--only=${PARTS.join(',')}] [--iterations=${DEFAULTS.iterations}]
  [--lab=uts] [--cold-labs=uts,cgroup-pids] [--room=30] [--room-spread-ms=2000] [--echo=1000]
  [--throughput-mb=50] [--throughput-runs=${DEFAULTS.throughputRuns}] [--flood-sessions=10] [--flood-seconds=5]
  [--capacity-step=10] [--capacity-max=100] [--check-samples=20] [--inspectors=30] [--server-log-level=debug]
  [--server-cpu-prof] [--report]   (BENCHMARKS.md is rewritten by a run of every part, or with --report)`;

const NUMERIC: Partial<Record<string, keyof BenchOptions>> = {
  iterations: 'iterations',
  room: 'room',
  'room-spread-ms': 'roomSpreadMs',
  echo: 'echo',
  'throughput-mb': 'throughputMb',
  'throughput-runs': 'throughputRuns',
  'flood-sessions': 'floodSessions',
  'flood-seconds': 'floodSeconds',
  'capacity-step': 'capacityStep',
  'capacity-max': 'capacityMax',
  'check-samples': 'checkSamples',
  inspectors: 'inspectors',
};

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
}

function parts(value: string): PartName[] {
  const names = value.split(',').map((p) => p.trim());
  const unknown = names.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length > 0) throw new Error(`unknown part(s) ${unknown.join(', ')}; see --help`);
  return PARTS.filter((p) => names.includes(p));
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { ...DEFAULTS, parts: [...DEFAULTS.parts] };
  const numbers = options as unknown as Record<string, number>;
  for (const arg of argv) {
    const [, key = '', value = ''] = /^--([a-z-]+)(?:=(.*))?$/.exec(arg) ?? [];
    const numeric = NUMERIC[key];
    if (numeric !== undefined) numbers[numeric] = positive(key, value);
    else if (key === 'only') options.parts = parts(value);
    else if (key === 'lab') options.lab = value;
    else if (key === 'cold-labs') options.coldLabs = value.split(',').filter(Boolean);
    else if (key === 'server-log-level') options.serverLogLevel = value;
    else if (key === 'report') options.report = true;
    else if (key === 'server-cpu-prof') options.serverCpuProf = true;
    else throw new Error(`unknown argument "${arg}"\n${USAGE}`);
  }
  return options;
}

/** The command as it was typed: what the report quotes. */
export function commandLine(argv: readonly string[]): string {
  return `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`;
}
