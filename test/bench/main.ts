// npm run bench: nslab against raw Docker on the same engine, in one run, with ratios.
// Not a test: it prints figures, writes test/artifacts/bench.json (bench-partial.json for a
// run of some parts, so the full run's stable field set is never cut down) and (for a run of
// every part, or with --report) test/bench/BENCHMARKS.md. Everything it makes carries the label
// nslab.instance=bench-<pid> and is removed at the end. See options.ts for the parts.
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { runScript } from '../support/run-script.ts';
import { met, type BenchContext, type Part, type PartResult } from './context.ts';
import { describeMachine } from './machine.ts';
import {
  commandLine,
  parseOptions,
  PARTS,
  USAGE,
  type BenchOptions,
  type PartName,
} from './options.ts';
import { capacityPart } from './part-capacity.ts';
import { checksPart } from './part-checks.ts';
import { coldPart } from './part-cold.ts';
import { inspectorPart } from './part-inspector.ts';
import { echoPart } from './part-echo.ts';
import { throughputPart } from './part-stream.ts';
import { floodPart } from './part-flood.ts';
import { roomPart } from './part-room.ts';
import { warmPart } from './part-warm.ts';
import {
  formatFigure,
  JSON_PATH,
  PARTIAL_JSON_PATH,
  REPORT_PATH,
  writeJson,
  writeMarkdown,
} from './report.ts';
import { ARTIFACTS, BenchServer } from './server-child.ts';

const PART_RUNNERS: Record<PartName, Part> = {
  warm: warmPart,
  cold: coldPart,
  room: roomPart,
  echo: echoPart,
  throughput: throughputPart,
  flood: floodPart,
  capacity: capacityPart,
  checks: checksPart,
  inspector: inspectorPart,
};

/** Containers, networks and volumes still carrying the run's label. */
async function leftovers(docker: Dockerode, instance: string): Promise<number> {
  const filters = { label: [`nslab.instance=${instance}`] };
  const [containers, networks] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
  ]);
  return containers.length + networks.length;
}

async function removeLabelled(docker: Dockerode, instance: string): Promise<void> {
  const filters = { label: [`nslab.instance=${instance}`] };
  const containers = await docker.listContainers({ all: true, filters });
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
}

function printFigures(say: (line: string) => void, result: PartResult): void {
  say(`${result.title} (${Math.round(result.seconds)} s)`);
  for (const f of result.figures) {
    const ok = met(f);
    const goal =
      f.goal === undefined
        ? ''
        : `  goal ${f.goal.op} ${f.goal.target}: ${ok === true ? 'met' : 'MISSED'}`;
    say(`  ${f.label.padEnd(52)} ${formatFigure(f).padStart(12)}${goal}`);
  }
  for (const note of result.notes) say(note.replace(/^/gm, '  '));
}

function context(
  options: BenchOptions,
  docker: Dockerode,
  instance: string,
  progressFile: string,
): BenchContext {
  return {
    options,
    instance,
    docker,
    say: (line) => void process.stdout.write(`${line}\n`),
    startServer: (config) =>
      BenchServer.start({
        instance,
        // Learners' progress goes to a throwaway database, not /var/lib/nslab.
        config: { progressFile, ...config },
        logLevel: options.serverLogLevel,
        logFile: `${ARTIFACTS}/bench-server.log`,
        nodeArgs: options.serverCpuProf
          ? ['--cpu-prof', `--cpu-prof-dir=${ARTIFACTS}/cpu-prof`]
          : [],
      }),
  };
}

/** A part that threw: the run goes on, and the report says what went wrong. */
function failed(part: PartName, error: unknown): Omit<PartResult, 'seconds' | 'load'> {
  const message = error instanceof Error ? error.message : String(error);
  return {
    part,
    title: `${part}: FAILED`,
    method: 'The part stopped with an error; its figures are missing.',
    figures: [],
    notes: [`Error: ${message}`],
    failed: message,
  };
}

async function runParts(ctx: BenchContext): Promise<PartResult[]> {
  const results: PartResult[] = [];
  for (const part of ctx.options.parts) {
    ctx.say(`-- ${part}`);
    const t0 = performance.now();
    const result = await PART_RUNNERS[part](ctx).catch((error: unknown) => failed(part, error));
    const done = {
      ...result,
      seconds: (performance.now() - t0) / 1000,
      load: os.loadavg()[0] ?? NaN,
    };
    results.push(done);
    printFigures(ctx.say, done);
  }
  return results;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const options = parseOptions(argv);
  const docker = new Dockerode();
  const instance = `bench-${process.pid}`;
  const scratch = mkdtempSync(path.join(tmpdir(), 'nslab-bench-'));
  const ctx = context(options, docker, instance, path.join(scratch, 'progress.db'));
  const { say } = ctx;
  const tidy = (): void => rmSync(scratch, { recursive: true, force: true });
  process.once('SIGINT', () => {
    say('interrupted: removing what the bench made');
    void removeLabelled(docker, instance).finally(() => {
      tidy();
      process.exit(130);
    });
  });
  const machine = await describeMachine(docker);
  say(
    `nslab bench: ${options.parts.join(', ')}; instance ${instance}; ${machine.cpus} x ${machine.cpuModel}, Docker ${machine.docker}`,
  );
  say(`server log: ${ARTIFACTS}/bench-server.log (level ${options.serverLogLevel})`);
  const started = performance.now();
  const parts = await runParts(ctx).finally(tidy);
  // Each part removes what it made; anything still here is a bug, said and then removed.
  const left = await leftovers(docker, instance);
  if (left > 0) {
    say(`${left} containers/networks were left by the parts: removing them`);
    await removeLabelled(docker, instance);
  }
  const seconds = (performance.now() - started) / 1000;
  const run = {
    date: new Date(),
    command: commandLine(argv),
    seconds,
    machine,
    options,
    parts,
    leftovers: left,
  };
  const jsonFile = options.parts.length === PARTS.length ? JSON_PATH : PARTIAL_JSON_PATH;
  writeJson(run, jsonFile);
  say(`wrote ${jsonFile}`);
  if (options.report || options.parts.length === PARTS.length) {
    await writeMarkdown(run);
    say(`wrote ${REPORT_PATH}`);
  }
  const final = await leftovers(docker, instance);
  say(
    `left on the engine with label nslab.instance=${instance}: ${left} (after the final sweep: ${final})`,
  );
  const broken = parts.filter((p) => p.failed !== undefined).map((p) => p.part);
  if (broken.length > 0) say(`failed parts: ${broken.join(', ')}`);
  return left === 0 && final === 0 && broken.length === 0 ? 0 : 1;
}

runScript('bench', main);
