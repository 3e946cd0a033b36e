// Runs one exercise's check and turns its outcome into what the learner sees: pass or
// fail, the reason, and the hint that fits. A check that throws is reported as a failure
// of the check itself, never as the learner's failure. The verdict is the same in every
// language; only its words (the reason, the hint) are given in the reader's.
import { isConflict } from '../docker/engine-errors.ts';
import { AppError } from '../errors/app-error.ts';
import { message } from '../errors/server-message.ts';
import type { LabDefinition } from '../catalogue/lab-definition.ts';
import { log } from '../log.ts';
import type { CheckResult } from '../protocol/api-types.ts';
import { DEFAULT_LANG, type Lang } from '../protocol/lang.ts';
import { both, inLang } from '../catalogue/lab-text.ts';
import type { CheckContext } from './check-context.ts';

/** Asked of a lab for an exercise it does not have (the check, hint and skip routes). */
export const NO_EXERCISE = message(
  'no_such_exercise',
  'Lab "{{lab}}" has no exercise "{{exercise}}".',
  '实验 "{{lab}}" 没有练习 "{{exercise}}"。',
);
const NOT_RUNNING = message(
  'container_not_running',
  'A container of this lab is not running, so there is nothing to check. Use "Reset lab".',
  '这个实验的一个容器没有在运行，所以没有东西可检查。请用“重置实验”。',
);
const NO_EVIDENCE = message(
  'check_failed',
  'The check could not read its evidence.',
  '检查没能读取它的证据。',
);

export async function runCheck(
  lab: LabDefinition,
  exerciseId: string,
  ctx: CheckContext,
  answer: string | undefined,
  lang: Lang = DEFAULT_LANG,
): Promise<CheckResult> {
  const exercise = lab.exercises.find((e) => e.id === exerciseId);
  if (exercise === undefined)
    throw new AppError('not_found', NO_EXERCISE({ lab: lab.id, exercise: exerciseId }));
  const trimmed = answer?.trim();
  if (exercise.answer !== undefined && (trimmed === undefined || trimmed === '')) {
    return {
      exerciseId,
      passed: false,
      reason: inLang(both('Type your answer in the box first.', '先在框里输入你的答案。'), lang),
      hint: { index: 0, text: inLang(exercise.hints[0] ?? '', lang) },
    };
  }
  let outcome;
  try {
    outcome = await exercise.check(ctx, trimmed);
  } catch (error) {
    if (error instanceof AppError && error.expose) throw error;
    // The engine answers 409 when evidence is asked of a stopped container: the learner's
    // container died (OOM of its init, a kill), which is theirs to fix, not a server fault.
    if (isConflict(error)) {
      throw new AppError('conflict', NOT_RUNNING(), { cause: error });
    }
    log.error('check failed to run', { lab: lab.id, exercise: exerciseId, error });
    throw new AppError('internal', NO_EVIDENCE(), { cause: error });
  }
  if (outcome.passed) return { exerciseId, passed: true, reason: inLang(outcome.reason, lang) };
  const index = Math.min(Math.max(outcome.hint, 0), exercise.hints.length - 1);
  return {
    exerciseId,
    passed: false,
    reason: inLang(outcome.reason, lang),
    hint: { index, text: inLang(exercise.hints[index] ?? '', lang) },
  };
}
