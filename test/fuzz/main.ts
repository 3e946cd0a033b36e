// Fuzz test a developer runs:  npm run test:fuzz [-- frames=10000] [seed]
// Starts the real server (`nslab serve`, a child process), throws bad input at it (random
// and malformed terminal frames, oversized frames, protocol violations, foreign origins,
// missing tokens, traversal ids, oversized bodies, bursts) while another learner types,
// and prints every case with what the server answered. Exits non-zero on any problem.
import { randomBytes } from 'node:crypto';
import {
  describeLeftovers,
  leftoverCount,
  leftovers,
  removeEmptyInstanceDir,
} from '../faults/leftovers.ts';
import { ServerProcess } from '../support/server-process.ts';
import { formatFuzzReport, runFuzz } from './fuzz.ts';
import { runScript } from '../support/run-script.ts';

const out = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const frames = Number(process.argv[2] ?? 10_000);
  const seedArg = process.argv[3];
  if (!Number.isInteger(frames) || frames < 1) throw new Error(`frames must be a positive integer`);
  const instance = `fuzz-${process.pid}`;
  const server = await ServerProcess.start({
    instance,
    token: randomBytes(18).toString('base64url'),
    // Warm spares are the pool's, not the fuzzing's: with them on, "nothing left behind
    // while the server runs" would count them (the vitest run turns the pool off too).
    env: { NSLAB_POOL: 'off' },
  });
  let ok: boolean;
  try {
    const report = await runFuzz(server, {
      frames,
      ...(seedArg === undefined ? {} : { seed: Number(seedArg) }),
      onProgress: out,
    });
    for (const line of formatFuzzReport(report)) out(line);
    const left = await leftovers(instance);
    out(`left on the engine after both sessions ended: ${describeLeftovers(left)}`);
    ok =
      report.problems.length === 0 &&
      report.serverErrorLines.length === 0 &&
      leftoverCount(left) === 0;
  } finally {
    const exit = await server.stop();
    out(`server stopped: ${JSON.stringify(exit)}`);
    const after = await leftovers(instance);
    await removeEmptyInstanceDir(instance);
    if (leftoverCount(after) > 0) {
      out(`left after the server stopped: ${describeLeftovers(after)}`);
      ok = false;
    }
  }
  out(ok ? 'PASS' : 'FAIL');
  return ok ? 0 : 1;
}

runScript('fuzz', main);
