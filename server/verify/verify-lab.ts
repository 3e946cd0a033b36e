// `verify`: proves a lab both ways on the real path. A fresh session must fail every check;
// the reference solution, typed through the real WebSocket terminal, must make every check
// pass; ending the session must leave nothing labelled with it on the engine.
import type { LabDefinition, SolutionStep } from '../catalogue/lab-definition.ts';
import type { CheckResult } from '../protocol/api-types.ts';
import { ApiClient } from '../protocol/api-client.ts';
import { TerminalDriver } from './terminal-driver.ts';

export interface VerifyTarget {
  api: ApiClient;
  /** Containers on any engine still labelled with the session. */
  leftovers(sessionId: string): Promise<string[]>;
}

export interface LabVerdict {
  labId: string;
  ok: boolean;
  ms: number;
  exercises: number;
  problems: string[];
  /** Why the lab was not run on this host (LabDefinition.unavailable); it counts as ok. */
  skipped?: string;
}

/** A deliberately wrong answer, so answer checks are exercised on a fresh session too. */
const WRONG_ANSWER = '0';

export async function verifyLab(target: VerifyTarget, lab: LabDefinition): Promise<LabVerdict> {
  const started = performance.now();
  const problems: string[] = [];
  const { api } = target;
  const session = await api.startSession(lab.id);
  const drivers = new Map<string, TerminalDriver>();
  const terminal = async (name: string): Promise<TerminalDriver> => {
    let driver = drivers.get(name);
    if (driver === undefined) {
      driver = await TerminalDriver.open(api.terminalUrl(session.id, name), api.terminalAuth);
      drivers.set(name, driver);
      await driver.waitForPrompt();
    }
    return driver;
  };
  const expect = (result: CheckResult, passed: boolean, when: string): void => {
    if (result.passed !== passed) {
      problems.push(
        `${result.exerciseId}: ${when} the check ${result.passed ? 'passed' : 'failed'}: ${result.reason}`,
      );
    }
  };
  const type = async (
    steps: readonly SolutionStep[],
    exerciseId: string,
    { isCheat }: { isCheat: boolean },
  ): Promise<string | undefined> => {
    let answer: string | undefined;
    for (const step of steps) {
      const output = await (await terminal(step.terminal)).run(step.input);
      if (step.capture !== undefined) {
        answer = step.capture.exec(output)?.[1];
        // A cheat that cannot even produce an answer has simply failed, as it should.
        if (answer === undefined && !isCheat) {
          problems.push(
            `${exerciseId}: "${step.input}" printed nothing matching ${String(step.capture)}: ${JSON.stringify(output)}`,
          );
        }
      }
    }
    return answer;
  };
  try {
    for (const exercise of lab.exercises) {
      const answer = exercise.answer === undefined ? undefined : WRONG_ANSWER;
      expect(await api.check(session.id, exercise.id, answer), false, 'on a fresh session');
    }
    // Faking the outcome from inside the container must not pass a check.
    for (const exercise of lab.exercises) {
      if (exercise.cheat === undefined) continue;
      const answer = await type(exercise.cheat, exercise.id, { isCheat: true });
      const fallback = exercise.answer === undefined ? undefined : WRONG_ANSWER;
      expect(
        await api.check(session.id, exercise.id, answer ?? fallback),
        false,
        'after a cheat attempt',
      );
    }
    const answers = new Map<string, string | undefined>();
    for (const exercise of lab.exercises) {
      const answer = await type(exercise.solution, exercise.id, { isCheat: false });
      answers.set(exercise.id, answer);
      expect(
        await api.check(session.id, exercise.id, answer),
        true,
        'after its reference solution',
      );
    }
    // Later solutions must not undo earlier ones.
    for (const exercise of lab.exercises.filter((e) => e.momentary !== true)) {
      expect(
        await api.check(session.id, exercise.id, answers.get(exercise.id)),
        true,
        'at the end of the lab',
      );
    }
  } catch (error) {
    problems.push(`verify stopped: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await Promise.all([...drivers.values()].map((d) => d.close()));
    await api
      .endSession(session.id)
      .catch((error: unknown) => problems.push(`ending the session failed: ${String(error)}`));
    const left = await target.leftovers(session.id);
    if (left.length > 0)
      problems.push(`${left.length} container(s) labelled with the session remain after it ended`);
  }
  return {
    labId: lab.id,
    ok: problems.length === 0,
    ms: Math.round(performance.now() - started),
    exercises: lab.exercises.length,
    problems,
  };
}

export function formatVerdict(verdict: LabVerdict): string {
  if (verdict.skipped !== undefined) return `SKIP ${verdict.labId.padEnd(25)} ${verdict.skipped}`;
  const head = `${verdict.ok ? 'PASS' : 'FAIL'} ${verdict.labId.padEnd(25)} ${String(verdict.exercises).padStart(2)} exercises  ${(verdict.ms / 1000).toFixed(1)} s`;
  return [head, ...verdict.problems.map((p) => `     - ${p}`)].join('\n');
}
