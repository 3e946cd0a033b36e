// Vetting of a lab's Chinese translation, beside validate-lab.ts's vetting of what it runs.
// A translation must keep the lesson's skeleton (template tags, code blocks, headings) and
// give every static learner-facing field of the definition both languages. Each problem is
// one sentence naming the lab, the file or field, and what is missing or different, so an
// author adding a lab learns exactly what to translate (at start-up and in the unit test).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { lessonOutline, type LessonOutline } from '../lessons/lesson-outline.ts';
import type { Lang } from '../protocol/lang.ts';
import type { LabDefinition } from './lab-definition.ts';
import type { LabText } from './lab-text.ts';

/** Where a lab's Chinese lesson lives, relative to content/. */
export function zhLessonFile(lab: Pick<LabDefinition, 'lesson'>): string {
  return path.posix.join('zh', lab.lesson);
}

const LANGUAGE_NAMES: Record<Lang, string> = { en: 'English', zh: 'Chinese' };

/** Every static learner-facing field of a lab, named as a problem names it. */
function labTexts(lab: LabDefinition): [string, LabText][] {
  const texts: [string, LabText][] = [
    ['title', lab.title],
    ['summary', lab.summary],
    ...lab.learned.map((text, i): [string, LabText] => [`learned ${i + 1}`, text]),
    ...lab.containers.map((c): [string, LabText] => [`container ${c.name} title`, c.title]),
  ];
  for (const ex of lab.exercises) {
    const at = `exercise ${ex.id}`;
    texts.push([`${at} title`, ex.title], [`${at} goal`, ex.goal]);
    ex.hints.forEach((hint, i) => texts.push([`${at} hint ${i + 1}`, hint]));
    if (ex.answer !== undefined)
      texts.push(
        [`${at} answer label`, ex.answer.label],
        [`${at} answer placeholder`, ex.answer.placeholder],
      );
  }
  return texts;
}

/** Fields that are not a Localized with non-empty text in both languages. */
export function textTranslationProblems(lab: LabDefinition): string[] {
  const problems: string[] = [];
  for (const [field, text] of labTexts(lab)) {
    // A plain string is one language only: it has no Chinese text yet.
    const missing: Lang[] =
      typeof text === 'string' ? ['zh'] : (['en', 'zh'] as const).filter((l) => !text[l].trim());
    for (const lang of missing)
      problems.push(`lab ${lab.id}: ${field} has no ${LANGUAGE_NAMES[lang]} text`);
  }
  return problems;
}

function tagProblems(en: LessonOutline, zh: LessonOutline, enFile: string, zhFile: string) {
  const length = Math.max(en.tags.length, zh.tags.length);
  for (let i = 0; i < length; i += 1) {
    if (en.tags[i] === zh.tags[i]) continue;
    const count =
      en.tags.length === zh.tags.length
        ? ''
        : ` (${zh.tags.length} template tags, ${en.tags.length} in English)`;
    return [
      `${zhFile} template tag ${i + 1} is ${zh.tags[i] ?? 'missing'} where ${enFile} has ${en.tags[i] ?? 'none'}${count}`,
    ];
  }
  return [];
}

function codeProblems(en: LessonOutline, zh: LessonOutline, enFile: string, zhFile: string) {
  if (en.code.length !== zh.code.length)
    return [`${zhFile} has ${zh.code.length} code blocks, ${enFile} has ${en.code.length}`];
  return en.code.flatMap((block, i) => {
    const other = zh.code[i];
    return other?.info === block.info && other.text === block.text
      ? []
      : [`${zhFile} code block ${i + 1} differs from ${enFile}`];
  });
}

function headingProblems(en: LessonOutline, zh: LessonOutline, enFile: string, zhFile: string) {
  const levels = [...new Set([...en.headings.keys(), ...zh.headings.keys()])].sort();
  return levels.flatMap((level) => {
    const [e, z] = [en.headings.get(level) ?? 0, zh.headings.get(level) ?? 0];
    return e === z ? [] : [`${zhFile} has ${z} level-${level} headings, ${enFile} has ${e}`];
  });
}

/**
 * The Chinese lesson against the English one: undefined `zhMarkdown` is a missing file. Any
 * problem here means the Chinese lesson cannot stand in for the English one.
 */
export function lessonTranslationProblems(
  lab: Pick<LabDefinition, 'id' | 'lesson'>,
  enMarkdown: string,
  zhMarkdown: string | undefined,
): string[] {
  const enFile = `content/${lab.lesson}`;
  const zhFile = `content/${zhLessonFile(lab)}`;
  if (zhMarkdown === undefined) return [`lab ${lab.id}: ${zhFile} is missing`];
  const en = lessonOutline(enMarkdown);
  const zh = lessonOutline(zhMarkdown);
  return [
    ...tagProblems(en, zh, enFile, zhFile),
    ...codeProblems(en, zh, enFile, zhFile),
    ...headingProblems(en, zh, enFile, zhFile),
  ].map((problem) => `lab ${lab.id}: ${problem}`);
}

/** The Chinese lesson's text, or undefined when the file is not there. */
export function readZhLesson(lab: Pick<LabDefinition, 'lesson'>, contentDir: string) {
  const file = path.join(contentDir, zhLessonFile(lab));
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** Everything wrong with a lab's translation: its lesson file and its definition's texts. */
export function translationProblems(lab: LabDefinition, contentDir: string): string[] {
  const en = readFileSync(path.join(contentDir, lab.lesson), 'utf8');
  return [
    ...lessonTranslationProblems(lab, en, readZhLesson(lab, contentDir)),
    ...textTranslationProblems(lab),
  ];
}
