// Runs `verify` for the named labs (or all) against a server started in this process on a
// free port, under its own instance label so it never touches a learner's running nslab.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labs } from '../../labs/index.ts';
import { NslabServer } from '../nslab-server.ts';
import { ApiClient } from '../protocol/api-client.ts';
import type { LabDefinition } from '../catalogue/lab-definition.ts';
import { labUnavailable } from '../catalogue/availability.ts';
import { inLang } from '../catalogue/lab-text.ts';
import type { ServerMode } from '../config.ts';
import { verifyLab, type LabVerdict, type VerifyTarget } from './verify-lab.ts';

/** A pooled lab's session must come from the pool within this (its provisioning, queued). */
const POOL_READY_MS = 180_000;

export interface VerifyOptions {
  /** Every session comes from a warm pool that holds one of each lab, as a room's would. */
  pool?: boolean;
  /** The mode the server runs in (preflight: the workshop's); else NSLAB_MODE's. */
  mode?: ServerMode;
}

export async function verifyLabs(
  ids: readonly string[],
  onVerdict: (verdict: LabVerdict) => void,
  options: VerifyOptions = {},
): Promise<LabVerdict[]> {
  const unknown = ids.filter((id) => !labs.some((lab) => lab.id === id));
  if (unknown.length > 0)
    throw new Error(
      `unknown lab id(s): ${unknown.join(', ')}; known: ${labs.map((l) => l.id).join(', ')}`,
    );
  // In the order asked for: preflight goes down the workshop's offered labs.
  const chosen = ids.length === 0 ? labs : ids.flatMap((id) => labs.find((l) => l.id === id) ?? []);
  const scratchDir = await mkdtemp(path.join(tmpdir(), 'nslab-verify-'));
  await using scratch = {
    path: scratchDir,
    [Symbol.asyncDispose]: () => rm(scratchDir, { recursive: true, force: true }),
  };
  await using server = await NslabServer.start({
    config: {
      host: '127.0.0.1',
      port: 0,
      instance: `verify-${process.pid}`,
      ...(options.mode === undefined ? {} : { mode: options.mode }),
      graceMs: 120_000,
      pool: options.pool === true ? Object.fromEntries(chosen.map((lab) => [lab.id, 1])) : 'off',
      // verify's passes are no learner's progress: a throwaway database, removed at the end.
      progressFile: path.join(scratch.path, 'progress.db'),
    },
  });
  const target = {
    api: new ApiClient(server.origin, server.config.token),
    leftovers: (sessionId: string) => server.leftovers(sessionId),
  };
  const verdicts: LabVerdict[] = [];
  for (const lab of chosen) {
    const skipped = labUnavailable(lab, server.facts, server.config.mode);
    const verdict: LabVerdict =
      skipped === undefined
        ? await verifyMaybePooled(server, target, lab).catch(
            // One lab that cannot even start must not hide the verdicts of the rest.
            (error: unknown): LabVerdict => ({
              labId: lab.id,
              ok: false,
              ms: 0,
              exercises: lab.exercises.length,
              problems: [
                `the lab did not start: ${error instanceof Error ? error.message : String(error)}`,
              ],
            }),
          )
        : {
            labId: lab.id,
            ok: true,
            ms: 0,
            exercises: lab.exercises.length,
            problems: [],
            // verify's report is for the author's terminal: English.
            skipped: inLang(skipped, 'en'),
          };
    onVerdict(verdict);
    verdicts.push(verdict);
  }
  return verdicts;
}

/** verifyLab, and with a pool: its first session must be one the pool made before the click. */
async function verifyMaybePooled(
  server: NslabServer,
  target: VerifyTarget,
  lab: LabDefinition,
): Promise<LabVerdict> {
  const pool = server.pool;
  if (pool === undefined) return verifyLab(target, lab);
  await pool.whenReady(lab.id, POOL_READY_MS);
  const before = pool.claimed;
  const verdict = await verifyLab(target, lab);
  if (pool.claimed < before + 1)
    return {
      ...verdict,
      ok: false,
      problems: [...verdict.problems, 'the session did not come from the pool'],
    };
  return verdict;
}
