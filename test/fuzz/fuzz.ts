// Bad input against a running server: 10k random and malformed terminal frames, oversized
// frames, protocol violations by hand, foreign origins, missing tokens, traversal in every
// id the server takes, oversized bodies and rate-limit bursts. Each case states what the
// server must answer; a bystander learner's terminal is typed into throughout and must keep
// answering. Problems are collected so the report shows everything. The cases live in one
// module per part; this one runs them in order and assembles the report.
import { randomBytes } from 'node:crypto';
import type { ApiClient } from '../../server/protocol/api-client.ts';
import { apiPath, rawApiPath } from '../../server/protocol/routes.ts';
import type { ServerProcess } from '../support/server-process.ts';
import { fuzzApi, fuzzApiRateLimit } from './api-cases.ts';
import { ApiProber } from './api-prober.ts';
import { fuzzBursts, fuzzInputFlood } from './bursts.ts';
import { Bystander } from './bystander.ts';
import { fuzzFrameSizes, fuzzProtocolViolations, fuzzTruncatedFrame } from './frame-limits.ts';
import type { FrameStats, FuzzCase, FuzzContext, FuzzOptions, FuzzReport } from './fuzz-types.ts';
import { fuzzedTerminalServes, fuzzRandomFrames, noteFuzzedBash } from './random-frames.ts';
import { rawRequest } from './raw.ts';
import { fuzzResizes } from './resizes.ts';
import { fuzzUpgrades } from './upgrades.ts';

export { formatFuzzReport } from './fuzz-report.ts';
export type { FuzzCase, FuzzOptions, FuzzReport } from './fuzz-types.ts';

interface Findings {
  cases: FuzzCase[];
  notes: string[];
  problems: string[];
}

function contextFor(
  server: ServerProcess,
  seed: number,
  findings: Findings,
  sessions: { attacker: ApiClient; targetId: string; bystanderSessionId: string },
): FuzzContext {
  const { attacker, targetId } = sessions;
  const cookie = `nslab_token=${encodeURIComponent(server.token)}`;
  return {
    server,
    seed,
    check: (name, expected, observed, ok) => {
      findings.cases.push({ name, expected, observed, ok });
      if (!ok) findings.problems.push(`${name}: expected ${expected}, observed ${observed}`);
    },
    notes: findings.notes,
    auth: attacker.terminalAuth,
    targetId,
    bystanderSessionId: sessions.bystanderSessionId,
    urlOf: (name) => attacker.terminalUrl(targetId, name),
    cookie,
    good: { origin: server.origin, cookie, 'x-nslab-learner': 'fuzz-attacker-learner' },
    terminalPath: apiPath('terminal', { sessionId: targetId, terminal: 'isolated' }),
    // Segments go in as written, not encoded: each traversal attempt reaches the server as is.
    terminalAt: (sessionId, terminal) => rawApiPath('terminal', { sessionId, terminal }),
  };
}

/** Every part, in order: frames, the fuzzed terminal, resizes, limits, upgrades, the API. */
async function runCases(ctx: FuzzContext, options: FuzzOptions): Promise<FrameStats> {
  const limits = {
    total: options.frames ?? 10_000,
    perConnection: options.framesPerConnection ?? 1_500,
  };
  const frames = await fuzzRandomFrames(ctx, limits, options.onProgress ?? (() => undefined));
  await fuzzedTerminalServes(ctx);
  await noteFuzzedBash(ctx);
  await fuzzResizes(ctx);
  await fuzzTruncatedFrame(ctx);
  await fuzzFrameSizes(ctx);
  await fuzzProtocolViolations(ctx);
  await fuzzBursts(ctx);
  await fuzzInputFlood(ctx);
  await fuzzUpgrades(ctx);
  await fuzzApi(ctx);
  await fuzzApiRateLimit(ctx);
  return frames;
}

/** After everything: the bystander still echoes, and the server still serves. */
async function checkAfterwards(
  ctx: FuzzContext,
  bystander: Bystander,
  problems: string[],
): Promise<void> {
  await bystander.stopTyping();
  const last = await bystander.driver
    .run('echo bystander-after-fuzz', 10_000)
    .catch((error: unknown) => String(error));
  ctx.check(
    'the bystander terminal after the fuzzing',
    'bystander-after-fuzz',
    last,
    last === 'bystander-after-fuzz',
  );
  const { server } = ctx;
  const final = new ApiProber(ctx).headers('fuzz-final-learner');
  const labs = await rawRequest(server.origin, 'GET', apiPath('labs'), final);
  ctx.check(
    'the server answers afterwards',
    'HTTP 200',
    `HTTP ${labs.status}`,
    labs.status === 200,
  );
  ctx.check(
    'the server process is alive',
    'alive',
    server.alive ? 'alive' : `exited ${JSON.stringify(server.exit)}`,
    server.alive,
  );
  const failures = bystander.failures;
  if (failures.length > 0)
    problems.push(
      `the bystander failed ${failures.length} probe(s): ${failures.slice(0, 3).join('; ')}`,
    );
}

export async function runFuzz(
  server: ServerProcess,
  options: FuzzOptions = {},
): Promise<FuzzReport> {
  const seed = options.seed ?? randomBytes(4).readUInt32BE(0);
  const findings: Findings = { cases: [], notes: [], problems: [] };
  const bystander = await Bystander.start(server);
  await bystander.startTyping();
  const attacker = server.api('fuzz-attacker-learner');
  const target = await attacker.startSession('uts');
  const ctx = contextFor(server, seed, findings, {
    attacker,
    targetId: target.id,
    bystanderSessionId: bystander.session.id,
  });
  try {
    const frames = await runCases(ctx, options);
    await checkAfterwards(ctx, bystander, findings.problems);
    return {
      seed,
      frames,
      cases: findings.cases,
      bystander: bystander.summary(),
      serverAlive: server.alive,
      serverErrorLines: server.errorLines(),
      notes: findings.notes,
      problems: findings.problems,
    };
  } finally {
    await bystander.close();
    await Promise.all([
      bystander.api.endSession(bystander.session.id).catch(() => undefined),
      attacker.endSession(target.id).catch(() => undefined),
    ]);
  }
}
