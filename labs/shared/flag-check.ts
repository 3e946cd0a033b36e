// The check every "read the flag" exercise shares: the learner submits what an escape read,
// and the server compares it with the session's token, which it planted in a host-only file
// (0600, outside every container) and never sends to the browser.
import type { CheckContext, CheckOutcome } from '../../server/lab-kit.ts';
import { t, type Localized } from './localized.ts';

/** The 16 hex digits a flag is, as a capture for reference solutions and cheats. */
export const FLAG_LINE = /^([0-9a-f]{16})$/m;

/** A check that passes, with `why`, only for the session's own flag. */
export function flagCheck(
  why: Localized,
): (ctx: CheckContext, answer: string | undefined) => Promise<CheckOutcome> {
  return (ctx, answer) =>
    Promise.resolve(
      answer?.trim() === ctx.sessionToken
        ? { passed: true, reason: why }
        : { passed: false, reason: t('That is not the flag.', '这不是 flag。'), hint: 0 },
    );
}
