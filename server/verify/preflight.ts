// Preflight: before a workshop, each offered lab run on this machine's engine with its
// reference solution and checks (verify's own run, verifyLab), told as the instructor needs
// it: ready, failing (and why), or unavailable here (and why).
import type { LabDefinition } from '../catalogue/lab-definition.ts';
import type { PreflightResult } from '../protocol/api-types.ts';
import { verifyLab, type LabVerdict, type VerifyTarget } from './verify-lab.ts';

export function preflightResult(verdict: LabVerdict): PreflightResult {
  if (verdict.skipped !== undefined)
    return { labId: verdict.labId, status: 'unavailable', reason: verdict.skipped };
  return verdict.ok
    ? { labId: verdict.labId, status: 'ready', ms: verdict.ms }
    : {
        labId: verdict.labId,
        status: 'failing',
        reason: verdict.problems.join('; '),
        ms: verdict.ms,
      };
}

/** One lab: unavailable without a session, else verify's two sessions; never throws. */
export async function preflightLab(
  target: VerifyTarget,
  lab: LabDefinition,
  unavailable: string | undefined,
): Promise<PreflightResult> {
  if (unavailable !== undefined)
    return { labId: lab.id, status: 'unavailable', reason: unavailable };
  try {
    return preflightResult(await verifyLab(target, lab));
  } catch (error) {
    // One lab that cannot even start must not hide the results of the rest.
    const why = error instanceof Error ? error.message : String(error);
    return { labId: lab.id, status: 'failing', reason: `the lab did not start: ${why}` };
  }
}

export function formatPreflight(result: PreflightResult): string {
  const head = `${result.status.toUpperCase().padEnd(11)} ${result.labId}`;
  const time = result.ms === undefined ? '' : `  ${(result.ms / 1000).toFixed(1)} s`;
  return result.reason === undefined ? `${head}${time}` : `${head}${time}: ${result.reason}`;
}
