// The exercise routes: Check, "Show me" and Hint. The server decides which hint a learner
// sees (the hint ladder) and records it, so the hints given survive a reload.
import type express from 'express';
import { AttemptLimiter } from '../checks/attempt-limiter.ts';
import { dockerCheckContext } from '../checks/docker-check-context.ts';
import { NO_EXERCISE, runCheck } from '../checks/run-check.ts';
import { skipExercise } from '../checks/skip-exercise.ts';
import { AppError } from '../errors/app-error.ts';
import { message, relayed } from '../errors/server-message.ts';
import type { EngineFacts } from '../host/host-facts.ts';
import type { SessionFiles } from '../host/session-files.ts';
import { MAX_ANSWER_LENGTH } from '../protocol/api-types.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import { isPreflightLearner, type Progress } from '../store/progress.ts';
import type { NslabMetrics } from '../metrics/nslab-metrics.ts';
import type { LabDefinition } from '../catalogue/lab-definition.ts';
import { climbHint, nextHint } from '../checks/hint-ladder.ts';
import type { HintResult } from '../protocol/api-types.ts';
import { stringFields } from './body-fields.ts';
import { accessOf, langOf, ownSession, route } from './route-kit.ts';
import type { Lang } from '../protocol/lang.ts';
import { everyLang, inLang } from '../catalogue/lab-text.ts';
import { exerciseUnavailable } from '../catalogue/availability.ts';
import type { Playgrounds } from '../playground/playgrounds.ts';
import { END_REASONS } from '../sessions/end-reasons.ts';

const NO_MORE_HINTS = message(
  'no_more_hints',
  'Every hint of this exercise is shown already.',
  '这个练习的提示已经全部显示了。',
);
const ANSWER_TOO_LONG = message(
  'answer_too_long',
  'Answers are at most {{max}} characters.',
  '答案最多 {{max}} 个字符。',
);

export interface ExerciseDeps {
  sessions: SessionManager;
  files: SessionFiles;
  facts: EngineFacts;
  attempts?: AttemptLimiter;
  progress: Progress;
  metrics?: NslabMetrics;
  /** Starts a playground step of "Show me" (labs with LabDefinition.playground). */
  playgrounds?: Playgrounds;
}

/** An exercise's hints in the reader's language; which hint is shown is the same in both. */
function hintsOf(lab: LabDefinition, exerciseId: string, lang: Lang): readonly string[] {
  const exercise = lab.exercises.find((e) => e.id === exerciseId);
  if (exercise === undefined)
    throw new AppError('not_found', NO_EXERCISE({ lab: lab.id, exercise: exerciseId }));
  return exercise.hints.map((hint) => inLang(hint, lang));
}

/** Check and "Show me" of an exercise this server cannot run: a 409 with the reason, no attempt recorded. */
function refuseUnavailable(deps: ExerciseDeps, lab: LabDefinition, exerciseId: string) {
  const exercise = lab.exercises.find((e) => e.id === exerciseId);
  const why =
    exercise === undefined
      ? undefined
      : exerciseUnavailable(lab, exercise, deps.facts, deps.sessions.mode);
  if (why !== undefined)
    throw new AppError('conflict', relayed('exercise_unavailable', everyLang(why)));
}

/** The Hint button: the first hint of the exercise this learner has not been shown. */
function hintRoute(router: express.Router, deps: ExerciseDeps): void {
  const own = ownSession(deps);
  route(router, 'hint', (req, res) => {
    const session = own(req, res);
    const { exerciseId } = req.params;
    const hints = hintsOf(session.lab, exerciseId, langOf(res));
    const shown = deps.progress.hintsShown(session.learner, session.lab.id).get(exerciseId);
    const index = nextHint(shown ?? new Set(), hints.length);
    if (index === undefined) throw new AppError('conflict', NO_MORE_HINTS());
    deps.progress.hintGiven(session, exerciseId, index);
    const result: HintResult = {
      exerciseId,
      hint: { index, text: hints[index] ?? '' },
      remaining: hints.filter((_text, i) => i !== index && shown?.has(i) !== true).length,
    };
    res.json(result);
  });
}

export function exerciseRoutes(router: express.Router, deps: ExerciseDeps): void {
  const own = ownSession(deps);
  const attempts = deps.attempts ?? new AttemptLimiter();

  route(router, 'skip', async (req, res) => {
    const session = own(req, res);
    refuseUnavailable(deps, session.lab, req.params.exerciseId);
    const playgrounds = deps.playgrounds;
    const result = await skipExercise(
      session,
      req.params.exerciseId,
      deps.files,
      deps.facts,
      langOf(res),
      playgrounds === undefined
        ? undefined
        : async (step) => {
            await playgrounds.start(session, step.playground);
          },
    );
    // Shown, not earned: recorded as revealed whatever the check then says.
    deps.progress.revealed(session, result.exerciseId);
    // A hint that came with it was shown too: the card lists it again after a reload.
    if (result.hint !== undefined)
      deps.progress.hintGiven(session, result.exerciseId, result.hint.index);
    res.json(result);
  });

  route(router, 'check', async (req, res) => {
    const session = own(req, res);
    const { answer } = stringFields(req.body, ['answer'], []);
    if (answer !== undefined && answer.length > MAX_ANSWER_LENGTH) {
      throw new AppError('bad_request', ANSWER_TOO_LONG({ max: MAX_ANSWER_LENGTH }));
    }
    const ctx = dockerCheckContext(session, deps.files, deps.facts);
    const { exerciseId } = req.params;
    const lang = langOf(res);
    refuseUnavailable(deps, session.lab, exerciseId);
    const judge = () => runCheck(session.lab, exerciseId, ctx, answer, lang);
    // Answers typed into a box can be guessed: they go through the attempt limiter.
    const { learner, instructor } = accessOf(res);
    // Preflight repeats verify's wrong answers on every run; it is the token holder's own.
    const result =
      instructor && isPreflightLearner(learner)
        ? await judge()
        : await attempts.judgeAnswer(
            { learner, lab: session.lab, exerciseId, answer },
            judge,
            (seconds) => res.setHeader('Retry-After', String(seconds)),
          );
    deps.metrics?.checked(session.lab.id, result);
    const shown = deps.progress.hintsShown(learner, session.lab.id).get(exerciseId);
    const climbed = climbHint(result, hintsOf(session.lab, exerciseId, lang), shown ?? new Set());
    deps.progress.checked(session, climbed);
    res.json(climbed);
  });

  hintRoute(router, deps);

  route(router, 'endSession', async (req, res) => {
    const session = own(req, res);
    await deps.sessions.end(session.id, END_REASONS.byLearner());
    res.status(204).end();
  });
}
