// Which hint a learner sees next. Hints are ordered from conceptual to concrete; a failed
// check's verdict names the one that fits what is wrong. The ladder keeps a learner who fails
// the same way again from reading the same words again: each repeat climbs to the next hint
// not yet shown, so being stuck ends at the concrete command. The Hint button climbs in order.
import type { CheckResult } from '../protocol/api-types.ts';

/** The hint a failed check shows, given the one that fits and those shown before. */
export function hintForFailure(fitting: number, shown: ReadonlySet<number>, count: number): number {
  if (!shown.has(fitting)) return fitting;
  for (let index = fitting + 1; index < count; index += 1) {
    if (!shown.has(index)) return index;
  }
  // Every hint from the fitting one up is shown: the fitting one is still the right words.
  return fitting;
}

/** The hint the Hint button gives: the first not yet shown, or undefined when all are. */
export function nextHint(shown: ReadonlySet<number>, count: number): number | undefined {
  for (let index = 0; index < count; index += 1) {
    if (!shown.has(index)) return index;
  }
  return undefined;
}

/** A failed check's verdict with its hint moved up the ladder; a pass is left as it is. */
export function climbHint(
  result: CheckResult,
  /** The exercise's hints in the reader's language. */
  hints: readonly string[],
  shown: ReadonlySet<number>,
): CheckResult {
  if (result.hint === undefined) return result;
  const index = hintForFailure(result.hint.index, shown, hints.length);
  return { ...result, hint: { index, text: hints[index] ?? result.hint.text } };
}
