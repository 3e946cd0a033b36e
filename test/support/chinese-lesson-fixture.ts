// A repository root for a test server whose lab has a Chinese lesson. Once the translators'
// content/zh/<lab>.md is merged it is that file, as it is; until then (or for a lab not yet
// translated) a fixture made from the English lesson: the same template tags, code blocks and
// headings, with a Chinese line under every heading, which is all the translation check asks
// of a lesson's skeleton. The rest of the root links to the real tree (labs, the built page).
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The line the fixture puts under each heading, so a test can find it on the page. */
export const FIXTURE_LINE =
  '这是测试用的中文课程文本：命名空间（namespace）让容器看到自己的主机名。';

export interface ChineseLessonRepo extends Disposable {
  root: string;
  /** True when the lab's real translation is used, not the fixture. */
  real: boolean;
}

/** The English lesson with a Chinese line after every heading; tags and code unchanged. */
export function fixtureTranslation(english: string): string {
  let inFence = false;
  return english
    .split('\n')
    .flatMap((line) => {
      if (/^\s{0,3}(```|~~~)/.test(line)) inFence = !inFence;
      return !inFence && /^#{1,6} /.test(line) ? [`${line}（中文）`, '', FIXTURE_LINE] : [line];
    })
    .join('\n');
}

export function chineseLessonRepo(labId: string): ChineseLessonRepo {
  const root = mkdtempSync(path.join(os.tmpdir(), 'nslab-zh-'));
  for (const dir of ['labs', 'web', 'node_modules'])
    symlinkSync(path.join(REPO_ROOT, dir), path.join(root, dir));
  const content = path.join(root, 'content');
  cpSync(path.join(REPO_ROOT, 'content'), content, { recursive: true });
  const zhFile = path.join(content, 'zh', `${labId}.md`);
  const real = existsSync(zhFile);
  if (!real) {
    mkdirSync(path.dirname(zhFile), { recursive: true });
    const english = readFileSync(path.join(content, `${labId}.md`), 'utf8');
    writeFileSync(zhFile, fixtureTranslation(english));
  }
  return {
    root,
    real,
    [Symbol.dispose]: () => rmSync(root, { recursive: true, force: true }),
  };
}
