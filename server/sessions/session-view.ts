// What the browser receives about a session: the lesson with this session's real
// `docker run` commands, the terminals and the exercises. Expected answers stay here. Every
// text is in the reader's language; the lesson markdown comes already chosen by language.
import { summarize } from '../catalogue/catalogue.ts';
import { dockerNetworkCommand, dockerRunCommand } from '../plans/docker-run-command.ts';
import { renderLesson, type LessonCondition } from '../lessons/render-lesson.ts';
import type { SessionView } from '../protocol/api-types.ts';
import { DEFAULT_LANG, type Lang } from '../protocol/lang.ts';
import { inLang, type LabText } from '../catalogue/lab-text.ts';
import type { Exercise } from '../catalogue/lab-definition.ts';
import type { Session } from './session.ts';
import { exerciseUnavailable } from '../catalogue/availability.ts';
import type { ServerMode } from '../config.ts';
import type { EngineFacts } from '../host/host-facts.ts';

/** What a lesson may say about the machine it runs on. */
export interface LessonHost {
  conditions: ReadonlySet<LessonCondition>;
  engineVersion: string;
  /** What decides which exercises run here (availability.ts). */
  facts: EngineFacts;
  mode: ServerMode;
}

/** The exercises as the page shows them: no expected answer, only the hints already shown. */
function exerciseViews(
  exercises: readonly Exercise[],
  hintsShown: ReadonlyMap<string, ReadonlySet<number>>,
  text: (t: LabText) => string,
  unavailable: (exercise: Exercise) => LabText | undefined,
): SessionView['exercises'] {
  return exercises.map((exercise) => ({
    id: exercise.id,
    title: text(exercise.title),
    goal: text(exercise.goal),
    answer:
      exercise.answer === undefined
        ? null
        : { label: text(exercise.answer.label), placeholder: text(exercise.answer.placeholder) },
    hintCount: exercise.hints.length,
    hintsShown: exercise.hints
      .map((hint, index) => ({ index, text: text(hint) }))
      .filter(({ index }) => hintsShown.get(exercise.id)?.has(index) === true),
    ...whyNot(unavailable(exercise), text),
  }));
}

function whyNot(
  reason: LabText | undefined,
  text: (t: LabText) => string,
): { unavailable?: string } {
  return reason === undefined ? {} : { unavailable: text(reason) };
}

export function sessionView(
  session: Session,
  lessonMarkdown: string,
  graceMs: number,
  host: LessonHost,
  progress: SessionView['progress'],
  /** The hints this learner was shown in this lab, by exercise. */
  hintsShown: ReadonlyMap<string, ReadonlySet<number>> = new Map(),
  next?: SessionView['next'],
  lang: Lang = DEFAULT_LANG,
): SessionView {
  const text = (t: LabText): string => inLang(t, lang);
  const lab = session.lab;
  const containers = [...session.containers.values()].map((c) => {
    const profile = lab.containers.find((p) => p.name === c.plan.name);
    return {
      name: c.plan.name,
      title: profile === undefined ? c.plan.name : text(profile.title),
      dockerRun: dockerRunCommand(c.plan),
      hasTerminal: c.terminal !== undefined,
    };
  });
  const terminals = containers
    .filter((c) => c.hasTerminal)
    .map(({ name, title, dockerRun }) => ({ name, title, dockerRun }));
  return {
    id: session.id,
    lab: summarize(lab, undefined, lang),
    lessonHtml: renderLesson(lessonMarkdown, {
      dockerRun: new Map(containers.map((t) => [t.name, t.dockerRun])),
      // Made only for an exercise that cannot run here: the lesson shows no command for it.
      absent: new Set(lab.containers.map((p) => p.name).filter((n) => !session.containers.has(n))),
      dockerNetwork: new Map(session.networks.map((n) => [n.name, dockerNetworkCommand(n)])),
      exerciseIds: new Set(lab.exercises.map((e) => e.id)),
      terminals: new Set(terminals.map((t) => t.name)),
      ...host,
    }),
    terminals,
    ...(lab.sideBySide === undefined ? {} : { sideBySide: [...lab.sideBySide] }),
    ...(lab.playground === undefined ? {} : { playground: true as const }),
    exercises: exerciseViews(lab.exercises, hintsShown, text, (exercise) =>
      exerciseUnavailable(lab, exercise, host.facts, host.mode),
    ),
    learned: lab.learned.map(text),
    ...(next === undefined ? {} : { next }),
    progress,
    graceMs,
    endsAt: session.clock.endsAt,
    idleEndsAt: session.clock.idleEndsAt,
    canExtend: session.clock.canExtend,
    idleMs: session.clock.idleMs,
    now: Date.now(),
  };
}
