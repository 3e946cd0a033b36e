// `verify`: proves a lab both ways on the real path. A fresh session must fail every check,
// and so must every cheat, typed on the fresh session and again once the exercises before its
// own are solved; the reference solution, typed through the real WebSocket terminal, must make
// every check pass; ending the session must leave nothing labelled with it on the engine.
import type { Exercise, LabDefinition, SolutionStep } from '../catalogue/lab-definition.ts';
import type { CheckResult } from '../protocol/api-types.ts';
import { ApiClient, ApiRequestError } from '../protocol/api-client.ts';
import { TerminalDriver } from './terminal-driver.ts';

export interface VerifyTarget {
  api: ApiClient;
  /** Containers on any engine still labelled with the session. */
  leftovers(sessionId: string): Promise<string[]>;
}

/**
 * Who runs the second session: another learner when the client holds the token (wrong
 * answers are limited per learner); a workshop learner, who can be no one else (their seat
 * is theirs), runs both. A named first learner (preflight's) names the second after itself.
 */
function secondLearner(api: ApiClient): ApiClient {
  if (api.token === '') return api;
  const second = api.learner === undefined ? 'verify-in-order' : `${api.learner}-2`;
  return new ApiClient(api.origin, api.token, second);
}

export interface LabVerdict {
  labId: string;
  ok: boolean;
  ms: number;
  exercises: number;
  problems: string[];
  /** Why the lab was not run on this host (LabDefinition.unavailable); it counts as ok. */
  skipped?: string;
  /** Exercises this server does not run (Exercise.unavailable), each "id: reason"; the rest are proven. */
  unavailable?: string[];
}

/**
 * A deliberately wrong answer, so answer checks are exercised on a fresh session too. Not
 * "0": that is a right answer somewhere (the CPU a container is pinned to).
 */
const WRONG_ANSWER = '99999';

/** One lab's session under verify: its terminals, opened as they are first typed into, and what went wrong. */
class LabRun {
  readonly problems: string[] = [];
  private readonly drivers = new Map<string, TerminalDriver>();

  constructor(
    private readonly api: ApiClient,
    readonly lab: LabDefinition,
    readonly sessionId: string,
    /** The exercises the session's view marks unavailable here, with the reason. */
    readonly unavailable: ReadonlyMap<string, string> = new Map(),
  ) {}

  /** The exercises this session runs: the ones verify proves both ways. */
  get exercises(): Exercise[] {
    return this.lab.exercises.filter((e) => !this.unavailable.has(e.id));
  }

  /** An unavailable exercise's Check must be refused (409), never judged. */
  async refused(exerciseId: string): Promise<void> {
    const outcome = await this.api.check(this.sessionId, exerciseId, WRONG_ANSWER).then(
      (result) => `the check ran (${result.passed ? 'passed' : 'failed'})`,
      (error: unknown) =>
        error instanceof ApiRequestError && error.status === 409 ? undefined : String(error),
    );
    if (outcome !== undefined)
      this.problems.push(`${exerciseId}: unavailable here, but ${outcome} instead of a 409`);
  }

  check(exerciseId: string, answer: string | undefined): Promise<CheckResult> {
    return this.api.check(this.sessionId, exerciseId, answer);
  }

  /** Records a problem when the check did not come out as `passed`; `when` says at which point. */
  expect(result: CheckResult, passed: boolean, when: string): void {
    if (result.passed !== passed) {
      this.problems.push(
        `${result.exerciseId}: ${when} the check ${result.passed ? 'passed' : 'failed'}: ${result.reason}`,
      );
    }
  }

  /** Types the steps, each into its terminal, and returns the last answer a step captured. */
  async type(
    steps: readonly SolutionStep[],
    exerciseId: string,
    { isCheat }: { isCheat: boolean },
  ): Promise<string | undefined> {
    let answer: string | undefined;
    for (const step of steps) {
      if (step.playground !== undefined) {
        // The page's Start, as a learner's form would send it; a refusal is a problem.
        await this.api.startPlayground(this.sessionId, step.playground);
        continue;
      }
      const output = await (await this.terminal(step.terminal)).run(step.input);
      if (step.capture === undefined) continue;
      answer = step.capture.exec(output)?.[1];
      // A cheat that cannot even produce an answer has simply failed, as it should.
      if (answer === undefined && !isCheat) {
        this.problems.push(
          `${exerciseId}: "${step.input}" printed nothing matching ${String(step.capture)}: ${JSON.stringify(output)}`,
        );
      }
    }
    return answer;
  }

  /** Closes its terminals and ends its session, as the learner who started it. */
  async close(): Promise<void> {
    await Promise.all([...this.drivers.values()].map((d) => d.close()));
    await this.api.endSession(this.sessionId);
  }

  private async terminal(name: string): Promise<TerminalDriver> {
    let driver = this.drivers.get(name);
    if (driver === undefined) {
      driver = await TerminalDriver.open(
        this.api.terminalUrl(this.sessionId, name),
        this.api.terminalAuth,
      );
      this.drivers.set(name, driver);
      await driver.waitForPrompt();
    }
    return driver;
  }
}

/** Faking the outcome from inside a container must not pass the check. */
async function cheatFails(run: LabRun, exercise: Exercise, when: string): Promise<void> {
  if (exercise.cheat === undefined) return;
  const answer = await run.type(exercise.cheat, exercise.id, { isCheat: true });
  const fallback = exercise.answer === undefined ? undefined : WRONG_ANSWER;
  run.expect(await run.check(exercise.id, answer ?? fallback), false, when);
}

/**
 * Each exercise in order: its cheats once the exercises before it are solved (their state,
 * files and processes are what a later cheat might lean on), then its reference solution.
 */
async function solveInOrder(run: LabRun): Promise<Map<string, string | undefined>> {
  const answers = new Map<string, string | undefined>();
  for (const [index, exercise] of run.exercises.entries()) {
    // The first exercise's cheats ran on the fresh session already.
    if (index > 0)
      await cheatFails(run, exercise, 'after a cheat, with the exercises before it solved,');
    const answer = await run.type(exercise.solution, exercise.id, { isCheat: false });
    answers.set(exercise.id, answer);
    run.expect(await run.check(exercise.id, answer), true, 'after its reference solution');
  }
  return answers;
}

/** On a fresh session: every check fails, and still fails after each exercise's cheats. */
async function failsFresh(run: LabRun): Promise<void> {
  for (const id of run.unavailable.keys()) await run.refused(id);
  for (const ex of run.exercises) {
    const answer = ex.answer === undefined ? undefined : WRONG_ANSWER;
    run.expect(await run.check(ex.id, answer), false, 'on a fresh session');
  }
  for (const ex of run.exercises) await cheatFails(run, ex, 'after a cheat attempt');
}

/** Each exercise's cheats then solution, in order; at the end every solution still holds. */
async function passesInOrder(run: LabRun): Promise<void> {
  const answers = await solveInOrder(run);
  // Later solutions must not undo earlier ones.
  for (const ex of run.exercises.filter((e) => e.momentary !== true)) {
    run.expect(await run.check(ex.id, answers.get(ex.id)), true, 'at the end of the lab');
  }
}

/** Ends the session and requires that nothing labelled with it is left on any engine. */
async function endRun(target: VerifyTarget, run: LabRun): Promise<void> {
  await run
    .close()
    .catch((error: unknown) => run.problems.push(`ending the session failed: ${String(error)}`));
  const left = await target.leftovers(run.sessionId);
  if (left.length > 0)
    run.problems.push(
      `${left.length} container(s) labelled with the session remain after it ended`,
    );
}

/** One session of the lab, run through `prove`, ended, and checked for leftovers. */
async function inSession(
  target: VerifyTarget,
  api: ApiClient,
  lab: LabDefinition,
  prove: (run: LabRun) => Promise<void>,
  unavailable: Map<string, string> = new Map(),
): Promise<string[]> {
  const session = await api.startSession(lab.id);
  for (const ex of session.exercises)
    if (ex.unavailable !== undefined) unavailable.set(ex.id, ex.unavailable);
  const run = new LabRun(api, lab, session.id, unavailable);
  try {
    await prove(run);
  } catch (error) {
    run.problems.push(`verify stopped: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await endRun(target, run);
  }
  return run.problems;
}

/**
 * Two sessions: on the first, every check fails fresh and after every cheat; on the second,
 * each exercise's cheats fail once the exercises before it are solved, then its solution
 * passes. Apart, because a cheat of a later exercise may honestly solve an earlier one (a
 * refused TLS handshake is both), and as another learner, because wrong answers are limited
 * per learner.
 */
export async function verifyLab(target: VerifyTarget, lab: LabDefinition): Promise<LabVerdict> {
  const started = performance.now();
  const unavailable = new Map<string, string>();
  const problems = await inSession(target, target.api, lab, failsFresh, unavailable);
  problems.push(...(await inSession(target, secondLearner(target.api), lab, passesInOrder)));
  return {
    labId: lab.id,
    ok: problems.length === 0,
    ms: Math.round(performance.now() - started),
    exercises: lab.exercises.length - unavailable.size,
    problems,
    ...(unavailable.size === 0
      ? {}
      : { unavailable: [...unavailable].map(([id, why]) => `${id}: ${why}`) }),
  };
}

export function formatVerdict(verdict: LabVerdict): string {
  if (verdict.skipped !== undefined) return `SKIP ${verdict.labId.padEnd(25)} ${verdict.skipped}`;
  const head = `${verdict.ok ? 'PASS' : 'FAIL'} ${verdict.labId.padEnd(25)} ${String(verdict.exercises).padStart(2)} exercises  ${(verdict.ms / 1000).toFixed(1)} s`;
  const notHere = (verdict.unavailable ?? []).map((u) => `     unavailable here: ${u}`);
  return [head, ...notHere, ...verdict.problems.map((p) => `     - ${p}`)].join('\n');
}
