// The vetted set of labs. Lookups take a client-supplied id, check it against the id
// pattern and then look it up in this map: an id is never used to build a path.
//
// A lab whose Chinese translation is missing or broken does not stop the server: its
// problems are logged at start-up, one error line per lab, and Chinese readers get its
// English lesson (and English for every untranslated field). Refusing to start would take
// every lab away from every learner, English readers included, for a missing translation
// of one; the unit test over every real lab (test/unit/translations.test.ts) is what keeps
// an untranslated lab from being merged.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { message } from '../errors/server-message.ts';
import { LAB_ID_PATTERN, type LabSummary } from '../protocol/api-types.ts';
import { DEFAULT_LANG, type Lang } from '../protocol/lang.ts';
import { log } from '../log.ts';
import type { LabDefinition } from './lab-definition.ts';
import { inLang, type LabText, type Localized } from './lab-text.ts';
import type { ServerMode } from '../config.ts';
import type { EngineFacts } from '../host/host-facts.ts';
import { labUnavailable } from './availability.ts';
import { validateLab } from './validate-lab.ts';
import {
  lessonTranslationProblems,
  readZhLesson,
  textTranslationProblems,
} from './validate-translation.ts';

/** Asked for a lab id the catalogue does not have (starting a session, offering labs). */
export const NO_SUCH_LAB = message(
  'no_such_lab',
  'There is no lab called "{{lab}}".',
  '没有名为 "{{lab}}" 的实验。',
);

export class Catalogue {
  private readonly byId = new Map<string, LabDefinition>();
  private readonly lessons = new Map<string, Localized>();

  constructor(labs: readonly LabDefinition[], contentDir: string) {
    const problems = labs.flatMap((lab) => validateLab(lab, contentDir));
    for (const lab of labs) {
      if (this.byId.has(lab.id)) problems.push(`lab id "${lab.id}" is repeated`);
      this.byId.set(lab.id, lab);
    }
    if (problems.length > 0) throw new Error(`invalid lab catalogue:\n  ${problems.join('\n  ')}`);
    for (const lab of labs) this.lessons.set(lab.id, loadLesson(lab, contentDir));
  }

  find(id: string): LabDefinition | undefined {
    return LAB_ID_PATTERN.test(id) ? this.byId.get(id) : undefined;
  }

  /** The lesson in `lang`: content/zh/ for Chinese (its English one where that is broken). */
  lessonMarkdown(id: string, lang: Lang = DEFAULT_LANG): string {
    const markdown = this.lessons.get(id);
    if (markdown === undefined) throw new Error(`no lesson loaded for lab ${id}`);
    return markdown[lang];
  }

  all(): LabDefinition[] {
    return [...this.byId.values()];
  }

  /** What the page lists: `labs` (by default every lab), each with why it cannot start here. */
  summaries(
    facts: EngineFacts,
    mode: ServerMode,
    labs = this.all(),
    lang: Lang = DEFAULT_LANG,
  ): LabSummary[] {
    return labs.map((lab) => summarize(lab, labUnavailable(lab, facts, mode), lang));
  }

  /** The lab after this one on the path that can run here: where a finished lab points. */
  nextAfter(
    id: string,
    facts: EngineFacts,
    mode: ServerMode,
    lang: Lang = DEFAULT_LANG,
  ): LabSummary | undefined {
    const labs = this.summaries(facts, mode, this.all(), lang);
    const at = labs.findIndex((lab) => lab.id === id);
    return labs.slice(at + 1).find((lab) => lab.unavailable === undefined);
  }
}

/** A lab as the page lists it, in the reader's language. */
export function summarize(
  lab: LabDefinition,
  unavailable?: LabText,
  lang: Lang = DEFAULT_LANG,
): LabSummary {
  return {
    id: lab.id,
    title: inLang(lab.title, lang),
    topic: lab.topic,
    summary: inLang(lab.summary, lang),
    minutes: lab.minutes,
    ...(unavailable === undefined ? {} : { unavailable: inLang(unavailable, lang) }),
  };
}

/** How many translation problems of one lab the start-up log names. */
const SHOWN_PROBLEMS = 3;

/** Both lessons of a lab; the English one stands in for a Chinese one that is missing or broken. */
function loadLesson(lab: LabDefinition, contentDir: string): Localized {
  const en = readFileSync(path.join(contentDir, lab.lesson), 'utf8');
  const zh = readZhLesson(lab, contentDir);
  const lessonProblems = lessonTranslationProblems(lab, en, zh);
  const problems = [...lessonProblems, ...textTranslationProblems(lab)];
  if (problems.length > 0) {
    // One line per lab, the first problems in words; the unit test lists every one.
    const shown = problems.slice(0, SHOWN_PROBLEMS).map((p) => p.replace(`lab ${lab.id}: `, ''));
    const more = problems.length - shown.length;
    log.error(
      `lab ${lab.id} is not fully translated into Chinese (${problems.length} problem${problems.length === 1 ? '' : 's'}; Chinese readers get ${lessonProblems.length === 0 ? 'its Chinese lesson, English where a text is missing' : 'it in English'}): ${shown.join('; ')}${more > 0 ? `; and ${more} more (npx vitest run --project unit test/unit/translations.test.ts lists them)` : ''}`,
    );
  }
  return { en, zh: lessonProblems.length === 0 && zh !== undefined ? zh : en };
}
