// The exercise routes: Check, "Show me" and Hint. The server decides which hint a learner
// sees (the hint ladder) and records it, so the hints given survive a reload.
import type express from 'express';
import { AttemptLimiter } from '../checks/attempt-limiter.ts';
import { dockerCheckContext } from '../checks/docker-check-context.ts';
import { runCheck } from '../checks/run-check.ts';
import { skipExercise } from '../checks/skip-exercise.ts';
import { AppError } from '../errors/app-error.ts';
import type { EngineFacts } from '../host/host-facts.ts';
import type { SessionFiles } from '../host/session-files.ts';
import { MAX_ANSWER_LENGTH } from '../protocol/api-types.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import type { Progress } from '../store/progress.ts';
import { accessOf, ownSession, route, stringFields } from './route-kit.ts';

export interface ExerciseDeps {
  sessions: SessionManager;
  files: SessionFiles;
  facts: EngineFacts;
  attempts?: AttemptLimiter;
  progress: Progress;
}

export function exerciseRoutes(router: express.Router, deps: ExerciseDeps): void {
  const own = ownSession(deps);
  const attempts = deps.attempts ?? new AttemptLimiter();

  route(router, 'skip', async (req, res) => {
    const session = own(req, res);
    const result = await skipExercise(session, req.params.exerciseId, deps.files, deps.facts);
    // Shown, not earned: recorded as revealed whatever the check then says.
    deps.progress.revealed(session, result.exerciseId);
    res.json(result);
  });

  route(router, 'check', async (req, res) => {
    const session = own(req, res);
    const { answer } = stringFields(req.body, ['answer'], []);
    if (answer !== undefined && answer.length > MAX_ANSWER_LENGTH) {
      throw new AppError('bad_request', `Answers are at most ${MAX_ANSWER_LENGTH} characters.`);
    }
    const ctx = dockerCheckContext(session, deps.files, deps.facts);
    const { exerciseId } = req.params;
    const judge = () => runCheck(session.lab, exerciseId, ctx, answer);
    // Answers typed into a box can be guessed: they go through the attempt limiter.
    const learner = accessOf(res).learner;
    const result = await attempts.judgeAnswer(
      { learner, lab: session.lab, exerciseId, answer },
      judge,
      (seconds) => res.setHeader('Retry-After', String(seconds)),
    );
    deps.progress.checked(session, result);
    res.json(result);
  });

  route(router, 'endSession', async (req, res) => {
    const session = own(req, res);
    await deps.sessions.end(session.id, 'ended by the learner');
    res.status(204).end();
  });
}
