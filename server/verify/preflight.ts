// Preflight: before a workshop, each offered lab run on this machine's engine with its
// reference solution and checks (verify's own run, verifyLab), told as the instructor needs
// it: ready, failing (and why), or unavailable here (and why). The reasons come in every
// language (the control room shows the instructor's); the CLI prints the English.
import type { LabDefinition } from '../catalogue/lab-definition.ts';
import { inEveryLang, message } from '../errors/server-message.ts';
import type { PreflightResult } from '../protocol/api-types.ts';
import type { InEveryLang } from '../protocol/lang.ts';
import { verifyLab, type LabVerdict, type VerifyTarget } from './verify-lab.ts';

// Verify's findings inside (exercise ids, check reasons, commands) stay as verify says them.
const FAILING = message(
  'preflight_failing',
  '{{problems}}',
  '参考解法走了一遍，检查没有按预期失败或通过：{{problems}}',
);
const NOT_STARTED = message(
  'preflight_not_started',
  'the lab did not start: {{why}}',
  '实验没能启动：{{why}}',
);

/** Words that are the same in every language (verify's reason for skipping, in the CLI). */
const same = (text: string): InEveryLang => ({ en: text, zh: text });

export function preflightResult(verdict: LabVerdict): PreflightResult {
  if (verdict.skipped !== undefined)
    return { labId: verdict.labId, status: 'unavailable', reason: same(verdict.skipped) };
  return verdict.ok
    ? { labId: verdict.labId, status: 'ready', ms: verdict.ms }
    : {
        labId: verdict.labId,
        status: 'failing',
        reason: inEveryLang(FAILING({ problems: verdict.problems.join('; ') })),
        ms: verdict.ms,
      };
}

/** One lab: unavailable without a session, else verify's two sessions; never throws. */
export async function preflightLab(
  target: VerifyTarget,
  lab: LabDefinition,
  unavailable: InEveryLang | undefined,
): Promise<PreflightResult> {
  if (unavailable !== undefined)
    return { labId: lab.id, status: 'unavailable', reason: unavailable };
  try {
    return preflightResult(await verifyLab(target, lab));
  } catch (error) {
    // One lab that cannot even start must not hide the results of the rest.
    const why = error instanceof Error ? error.message : String(error);
    return { labId: lab.id, status: 'failing', reason: inEveryLang(NOT_STARTED({ why })) };
  }
}

export function formatPreflight(result: PreflightResult): string {
  const head = `${result.status.toUpperCase().padEnd(11)} ${result.labId}`;
  const time = result.ms === undefined ? '' : `  ${(result.ms / 1000).toFixed(1)} s`;
  return result.reason === undefined ? `${head}${time}` : `${head}${time}: ${result.reason.en}`;
}
