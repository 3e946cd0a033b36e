// "Skip": runs an exercise's reference solution for the learner, then its check. The
// commands run in the lab's containers as the terminal's user would run them, but outside
// the learner's terminal, so the learner's screen and shell state are left alone.
import { AppError } from '../errors/app-error.ts';
import type { EngineFacts } from '../host/host-facts.ts';
import type { CheckResult } from '../protocol/api-types.ts';
import { DEFAULT_LANG, type Lang } from '../protocol/lang.ts';
import { both, inLang } from '../catalogue/lab-text.ts';
import type { Exercise, PlaygroundStep } from '../catalogue/lab-definition.ts';
import type { Session } from '../sessions/session.ts';
import type { SessionFiles } from '../host/session-files.ts';
import { dockerCheckContext } from './docker-check-context.ts';
import { NO_EXERCISE } from './run-check.ts';
import { runCheck } from './run-check.ts';

/** The steps "Skip" ran, as its reason names them. */
function stepsRun(exercise: Exercise, lang: Lang): string {
  const reference = inLang(both('Start with the reference profile', '用参考配置点击启动'), lang);
  return exercise.solution
    .map((step) =>
      step.playground === undefined
        ? `[${step.terminal}] ${step.input}`
        : `[${step.terminal}] ${reference}`,
    )
    .join('; ');
}

export async function skipExercise(
  session: Session,
  exerciseId: string,
  files: SessionFiles,
  facts: EngineFacts,
  lang: Lang = DEFAULT_LANG,
  /** Starts a playground step's profile (LabDefinition.playground), as the page's Start does. */
  startProfile?: (step: PlaygroundStep) => Promise<void>,
): Promise<CheckResult> {
  const exercise = session.lab.exercises.find((e) => e.id === exerciseId);
  if (exercise === undefined)
    throw new AppError('not_found', NO_EXERCISE({ lab: session.lab.id, exercise: exerciseId }));
  let answer: string | undefined;
  for (const step of exercise.solution) {
    if (step.playground !== undefined) {
      if (startProfile === undefined) throw new Error('this server has no profile playground');
      await startProfile(step);
      continue;
    }
    const container = session.containers.get(step.terminal);
    if (container === undefined)
      throw new Error(`solution names unknown terminal ${step.terminal}`);
    const user = session.lab.containers.find((p) => p.name === step.terminal)?.user ?? 'root';
    const result = await container.client.probe(container.id, ['bash', '-lc', step.input], {
      timeoutMs: 30_000,
      user,
    });
    // A terminal shows both streams, and some answers are printed on stderr (bash's `time`).
    if (step.capture !== undefined)
      answer = step.capture.exec(`${result.stdout}\n${result.stderr}`)?.[1];
  }
  const typed = stepsRun(exercise, lang);
  if (exercise.answer !== undefined && answer === undefined)
    return {
      exerciseId,
      passed: false,
      reason: inLang(
        both(
          `nslab ran the reference solution (${typed}), but its output held no answer to submit. Run it in your terminal and read the answer there.`,
          `nslab 运行了参考答案（${typed}），但它的输出里没有可提交的答案。请在你的终端里运行它，从那里读出答案。`,
        ),
        lang,
      ),
      hint: { index: exercise.hints.length - 1, text: inLang(exercise.hints.at(-1) ?? '', lang) },
    };
  const verdict = await runCheck(
    session.lab,
    exerciseId,
    dockerCheckContext(session, files, facts),
    answer,
    lang,
  );
  const skipped = both(
    `Skipped: nslab ran the reference solution (${typed}). ${verdict.reason}`,
    `已跳过：nslab 运行了参考答案（${typed}）。${verdict.reason}`,
  );
  return { ...verdict, reason: verdict.passed ? inLang(skipped, lang) : verdict.reason };
}
