// The translation check on fixtures: a good pair of lessons and a fully Localized lab pass,
// and each kind of problem is named in one sentence with the lab, the file or field, and
// what is missing or different.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { t } from '../../labs/shared/localized.ts';
import type { LabDefinition } from '../../server/catalogue/lab-definition.ts';
import {
  lessonTranslationProblems,
  textTranslationProblems,
  translationProblems,
} from '../../server/catalogue/validate-translation.ts';
import { exercise, goodLab } from './support/catalogue-fixtures.ts';

const EN = `# The UTS namespace

Why it matters: the host name.

{{docker-run:box}}

## See it

\`\`\`sh run
hostname
\`\`\`

{{#cgroup-v1}}
On cgroup v1:

\`\`\`sh
cat /sys/fs/cgroup/memory/memory.limit_in_bytes
\`\`\`
{{/cgroup-v1}}

## Change it

{{exercise:ex}}

- a list item with a nested block:

  \`\`\`sh
  uname -n
  \`\`\`

### Underneath

Docker runs {{engine-version}}.
`;

const ZH = `# UTS 命名空间

为什么重要：主机名。

{{docker-run:box}}

## 观察

\`\`\`sh run
hostname
\`\`\`

{{#cgroup-v1}}
在 cgroup v1 上：

\`\`\`sh
cat /sys/fs/cgroup/memory/memory.limit_in_bytes
\`\`\`
{{/cgroup-v1}}

## 改变它

{{exercise:ex}}

- 一个带有嵌套代码块的列表项：

  \`\`\`sh
  uname -n
  \`\`\`

### 底层发生了什么

Docker 运行的是 {{engine-version}}。
`;

const LAB = { id: 'uts', lesson: 'uts.md' };

/** A lab whose every static learner-facing field is in both languages. */
function translatedLab(overrides: Partial<LabDefinition> = {}): LabDefinition {
  return goodLab({
    id: 'uts',
    title: t('UTS', 'UTS 命名空间'),
    summary: t('The host name.', '主机名。'),
    learned: [t('A host name is per namespace.', '主机名属于命名空间。')],
    containers: [{ name: 'box', title: t('isolated', '隔离的'), hostname: 'box-1' }],
    exercises: [
      exercise({
        title: t('Name it', '说出它'),
        goal: t('Find the namespace.', '找到命名空间。'),
        hints: [t('Look in /proc.', '看看 /proc。'), t('readlink it', '用 readlink')],
        answer: { label: t('Namespace', '命名空间'), placeholder: t('uts:[…]', 'uts:[…]') },
      }),
    ],
    ...overrides,
  });
}

describe('lessonTranslationProblems', () => {
  it('passes a translation that keeps tags, code blocks and headings', () => {
    expect(lessonTranslationProblems(LAB, EN, ZH)).toEqual([]);
  });

  it('names a missing Chinese lesson', () => {
    expect(lessonTranslationProblems(LAB, EN, undefined)).toEqual([
      'lab uts: content/zh/uts.md is missing',
    ]);
  });

  it('names the first template tag that differs', () => {
    const zh = ZH.replace('{{exercise:ex}}', '{{exercise:other}}');
    expect(lessonTranslationProblems(LAB, EN, zh)).toEqual([
      'lab uts: content/zh/uts.md template tag 4 is {{exercise:other}} where content/uts.md has {{exercise:ex}}',
    ]);
  });

  it('names a dropped exercise slot, with the count of tags', () => {
    const zh = ZH.replace('{{exercise:ex}}', '');
    expect(lessonTranslationProblems(LAB, EN, zh)).toEqual([
      'lab uts: content/zh/uts.md template tag 4 is {{engine-version}} where content/uts.md has {{exercise:ex}} (4 template tags, 5 in English)',
    ]);
  });

  it('names a condition block moved out of order', () => {
    const zh = ZH.replace('{{#cgroup-v1}}', '').replace('## 改变它', '{{#cgroup-v1}}\n## 改变它');
    expect(lessonTranslationProblems(LAB, EN, zh)).toContainEqual(
      expect.stringMatching(/^lab uts: content\/zh\/uts.md template tag 2 is/),
    );
  });

  it('names a code block that differs, by its number', () => {
    const zh = ZH.replace('  uname -n', '  uname -a');
    expect(lessonTranslationProblems(LAB, EN, zh)).toEqual([
      'lab uts: content/zh/uts.md code block 3 differs from content/uts.md',
    ]);
  });

  it('names a code block whose Run marking changed', () => {
    const zh = ZH.replace('```sh run', '```sh');
    expect(lessonTranslationProblems(LAB, EN, zh)).toEqual([
      'lab uts: content/zh/uts.md code block 1 differs from content/uts.md',
    ]);
  });

  it('names a translated command inside a code block', () => {
    const zh = ZH.replace('hostname\n```', '主机名\n```');
    expect(lessonTranslationProblems(LAB, EN, zh)).toEqual([
      'lab uts: content/zh/uts.md code block 1 differs from content/uts.md',
    ]);
  });

  it('names a missing code block by the count', () => {
    const zh = ZH.replace('```sh run\nhostname\n```\n', '');
    expect(lessonTranslationProblems(LAB, EN, zh)).toEqual([
      'lab uts: content/zh/uts.md has 2 code blocks, content/uts.md has 3',
    ]);
  });

  it('names a heading level whose count differs', () => {
    const zh = ZH.replace('## 观察', '观察');
    expect(lessonTranslationProblems(LAB, EN, zh)).toEqual([
      'lab uts: content/zh/uts.md has 1 level-2 headings, content/uts.md has 2',
    ]);
  });
});

describe('textTranslationProblems', () => {
  it('passes a lab whose every field is Localized in both languages', () => {
    expect(textTranslationProblems(translatedLab())).toEqual([]);
  });

  it('names every plain-string field as having no Chinese text', () => {
    const problems = textTranslationProblems(
      goodLab({
        id: 'net',
        exercises: [
          exercise({
            id: 'dns-name',
            hints: ['one', 'two'],
            answer: { label: 'A', placeholder: 'a' },
          }),
        ],
      }),
    );
    expect(problems).toEqual([
      'lab net: title has no Chinese text',
      'lab net: summary has no Chinese text',
      'lab net: learned 1 has no Chinese text',
      'lab net: container box title has no Chinese text',
      'lab net: exercise dns-name title has no Chinese text',
      'lab net: exercise dns-name goal has no Chinese text',
      'lab net: exercise dns-name hint 1 has no Chinese text',
      'lab net: exercise dns-name hint 2 has no Chinese text',
      'lab net: exercise dns-name answer label has no Chinese text',
      'lab net: exercise dns-name answer placeholder has no Chinese text',
    ]);
  });

  it('names one hint left untranslated among translated ones', () => {
    const lab = translatedLab({ id: 'net' });
    const ex = lab.exercises[0];
    if (ex === undefined) throw new Error('fixture has an exercise');
    lab.exercises = [{ ...ex, id: 'dns-name', hints: [t('first', '第一'), t('second', ' ')] }];
    expect(textTranslationProblems(lab)).toEqual([
      'lab net: exercise dns-name hint 2 has no Chinese text',
    ]);
  });

  it('names an empty English text too', () => {
    expect(textTranslationProblems(translatedLab({ summary: t('', '主机名。') }))).toEqual([
      'lab uts: summary has no English text',
    ]);
  });
});

describe('translationProblems', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nslab-translation-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads content/<lab>.md and content/zh/<lab>.md from the content directory', () => {
    writeFileSync(path.join(dir, 'uts.md'), EN);
    expect(translationProblems(translatedLab(), dir)).toEqual([
      'lab uts: content/zh/uts.md is missing',
    ]);
    mkdirSync(path.join(dir, 'zh'), { recursive: true });
    writeFileSync(path.join(dir, 'zh', 'uts.md'), ZH);
    expect(translationProblems(translatedLab(), dir)).toEqual([]);
  });
});
