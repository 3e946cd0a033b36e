// A lab in Chinese carries what it carries in English: the same exercise slots in the same
// places, the same `docker run` lines, exercises and hint counts, and the same verdicts; only
// the words differ. Runs on the uts lab's real content/zh/uts.md once it is merged, and on a
// fixture translation of it until then (test/support/chinese-lesson-fixture.ts).
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../server/protocol/api-client.ts';
import type { SessionView } from '../../server/protocol/api-types.ts';
import { chineseLessonRepo, FIXTURE_LINE } from '../support/chinese-lesson-fixture.ts';
import { startTestServer } from '../support/test-server.ts';

const CJK = /[\u4e00-\u9fff]/;

/** The lesson's skeleton as the page will see it: slots and command blocks, in order. */
function skeleton(view: SessionView) {
  const attrs = (name: string) =>
    [...view.lessonHtml.matchAll(new RegExp(`${name}="([^"]+)"`, 'g'))].map((m) => m[1]);
  const commands = [...view.lessonHtml.matchAll(/<pre class="docker-run"[^>]*><code>([^<]*)</g)];
  return {
    slots: attrs('data-exercise'),
    containers: attrs('data-container'),
    terminals: attrs('data-terminal'),
    commands: commands.map((m) => m[1]),
    exercises: view.exercises.map((e) => ({
      id: e.id,
      hints: e.hintCount,
      answer: e.answer !== null,
    })),
    sideBySide: view.sideBySide,
  };
}

describe('a lab in two languages', () => {
  it('renders the uts lesson in Chinese with the English one’s exercise slots and commands', async () => {
    using repo = chineseLessonRepo('uts');
    await using t = await startTestServer('test-i18n-lesson', 60_000, { repoRoot: repo.root });
    const english = await t.api.startSession('uts');
    const zhApi = new ApiClient(t.api.origin, t.api.token);
    zhApi.lang = 'zh';
    const chinese = await zhApi.session(english.id);

    expect(skeleton(chinese)).toEqual(skeleton(english));
    expect(skeleton(english).slots).toEqual(english.exercises.map((e) => e.id));
    expect(chinese.lessonHtml).not.toBe(english.lessonHtml);
    expect(chinese.lessonHtml).toMatch(CJK);
    // English lessons quote the seeds' Chinese terms, so it is the fixture's line that tells.
    if (!repo.real) expect(chinese.lessonHtml).toContain(FIXTURE_LINE);
    expect(english.lessonHtml).not.toContain(FIXTURE_LINE);
    expect(chinese.progress).toEqual(english.progress);

    // The same verdict and hint in both languages; the words in the reader's.
    const emptyZh = await zhApi.check(english.id, 'own-namespace', '');
    expect(emptyZh).toMatchObject({ passed: false, reason: '先在框里输入你的答案。' });
    const emptyEn = await t.api.check(english.id, 'own-namespace', '');
    expect(emptyEn).toMatchObject({ passed: false, reason: 'Type your answer in the box first.' });
    // One hint ladder whatever the language: the hint shown in Chinese counts as shown, so
    // the same failure in English climbs to the next one.
    expect(emptyZh.hint?.index).toBe(0);
    expect(emptyEn.hint?.index).toBe(1);
    const wrongZh = await zhApi.check(english.id, 'own-namespace', 'uts:[1]');
    const wrongEn = await t.api.check(english.id, 'own-namespace', 'uts:[1]');
    expect(wrongZh.passed).toBe(false);
    expect(wrongEn.passed).toBe(false);
    // Translated labs give their reasons and hints in Chinese (after the translators' merge).
    if (repo.real) {
      expect(wrongZh.reason).toMatch(CJK);
      expect(wrongZh.hint?.text).toMatch(CJK);
      expect(chinese.lab.title).toMatch(CJK);
      expect(chinese.exercises[0]?.goal).toMatch(CJK);
    }
    // "Show me" answers in the reader's language and is recorded the same in both.
    const shown = await zhApi.skip(english.id, 'own-namespace');
    expect(shown.passed).toBe(true);
    expect(shown.reason).toMatch(/^已跳过：nslab 运行了参考答案（\[isolated\] /);
    const after = await t.api.session(english.id);
    expect(after.progress.revealed).toEqual(['own-namespace']);
    expect((await zhApi.session(english.id)).progress).toEqual(after.progress);
    await t.api.endSession(english.id);
  });
});
