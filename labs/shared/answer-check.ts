// The last step of every check that judges a submitted answer: the caller has compared it
// with what the host says is true; right passes, a wrong answer the lab expects (the host's
// own value, a neighbour on the same list) gets its own reason and the hint that helps from
// there, and anything else gets the generic reason.
import type { CheckOutcome } from '../../server/lab-kit.ts';
import type { Localized } from './localized.ts';

/** Why an answer fails, and the index of the hint that fits. */
export interface WrongAnswer {
  reason: Localized;
  hint: number;
}

/** A wrong answer a lab expects learners to give, recognised when `when` holds. */
export interface KnownWrongAnswer extends WrongAnswer {
  when: boolean;
}

export interface AnswerJudgement {
  /** Whether the answer matches the host-side truth. */
  right: boolean;
  /** The pass reason: what the host showed. */
  pass: Localized;
  /** Checked in order; the first that holds is the outcome. */
  known?: KnownWrongAnswer[];
  /** Every other answer. */
  otherwise: WrongAnswer;
}

export function judgeAnswer({ right, pass, known = [], otherwise }: AnswerJudgement): CheckOutcome {
  if (right) return { passed: true, reason: pass };
  const { reason, hint } = known.find((wrong) => wrong.when) ?? otherwise;
  return { passed: false, reason, hint };
}
