// What the server itself says, in Chinese, in real Chromium: a refusal the server answers
// (the wrong-answer limit's 429) shown on the page in Chinese, the isolation inspector's facts
// and the side-by-side comparison's rows in Chinese, while names the kernel and Docker spell
// (seccomp, uid_map, no-new-privileges) stay as they are. Saves test/artifacts/server-error-zh.png
// inspector-facts-zh.png and inspector-zh.png (side by side) for a person to look at.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NslabServer } from '../../server/nslab-server.ts';
import { launchChromium } from '../support/chromium.ts';
import { expectNothingLabelled, pageErrors, terminalText } from '../support/lab-page.ts';

const ARTIFACTS = path.join(import.meta.dirname, '..', 'artifacts');
const INSTANCE = 'test-e2e-server-zh';

let server: NslabServer;
let browser: Browser;

beforeAll(async () => {
  server = await NslabServer.start({
    config: { host: '127.0.0.1', port: 0, instance: INSTANCE, graceMs: 2_000, pool: 'off' },
  });
  browser = await launchChromium();
  await mkdir(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser.close();
  await server.stop();
  await expectNothingLabelled(INSTANCE);
});

const panel = (page: Page) => page.locator('#inspector-panel');

async function startInChinese(page: Page, labId: string): Promise<void> {
  await page.goto(server.loginUrl);
  await expect.poll(() => page.locator('.catalogue h1').textContent()).toBe('选一个实验');
  await page.locator(`.lab-card[data-lab="${labId}"] button.start`).click();
  await expect
    .poll(() => page.locator('#session-status').textContent(), { timeout: 20_000 })
    .toBe('已连接');
}

describe('the server in Chinese', () => {
  it('shows a refusal, the inspector and the comparison in Chinese', async () => {
    const context = await browser.newContext({
      viewport: { width: 1500, height: 950 },
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    const errors = pageErrors(page);
    await startInChinese(page, 'uts');
    await expect.poll(() => terminalText(page, 'isolated')).toContain('root@nslab-uts');

    // Different wrong answers until the server makes the next one wait: its 429, in Chinese.
    const own = page.locator('.exercise-card[data-exercise="own-namespace"]');
    const result = own.locator('.result');
    for (const wrong of ['uts:[1]', 'uts:[2]', 'uts:[3]', 'uts:[4]', 'uts:[5]']) {
      await own.locator('input.answer').fill(wrong);
      await own.locator('button.check').click();
      await expect.poll(() => result.innerText()).not.toBe('');
      if ((await result.innerText()).includes('错误答案')) break;
    }
    await expect
      .poll(() => result.innerText())
      .toMatch(
        /^你已经对这个练习给出了 \d+ 个不同的错误答案，新的答案必须等待：请在 \d+ 秒后再试。/,
      );
    expect(await result.innerText()).not.toMatch(/[A-Za-z]{4,}/);
    await own.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'server-error-zh.png') });

    // The inspector: its facts in Chinese, the kernel's and Docker's names as they are.
    await page.locator('button.inspector-toggle').click();
    await expect
      .poll(() => panel(page).locator('.inspector-body').getAttribute('data-container'))
      .toBe('isolated');
    const facts = panel(page).locator('dt');
    await expect.poll(() => facts.allInnerTexts()).toContain('根文件系统');
    const names = await facts.allInnerTexts();
    for (const zh of ['LSM 标签', '被屏蔽的路径', '只读路径', '内存', '块 I/O'])
      expect(names).toContain(zh);
    for (const same of ['privileged', 'seccomp', 'no-new-privileges', 'uid_map'])
      expect(names).toContain(same);
    expect(await panel(page).locator('.namespaces thead').innerText()).toMatch(/命名空间\s+容器/);
    expect(await panel(page).locator('.risks').innerText()).toMatch(/[\u4e00-\u9fff]/);
    await panel(page).locator('.confinement').scrollIntoViewIfNeeded();
    await panel(page).screenshot({ path: path.join(ARTIFACTS, 'inspector-facts-zh.png') });

    // Side by side: the rows' names and values in Chinese; the stable data-row stays English.
    await page.locator('button.side-switch', { hasText: '并排' }).click();
    const uts = panel(page).locator('.compare-table tr[data-row="uts namespace"]');
    await expect.poll(() => uts.getAttribute('class'), { timeout: 10_000 }).toBe('differs');
    expect(await uts.innerText()).toContain('≠ uts 命名空间');
    expect(await uts.innerText()).toContain('与宿主机共享');
    const rootFs = panel(page).locator('.compare-table tr[data-row="root fs"]');
    expect(await rootFs.innerText()).toContain('根文件系统');
    await page.screenshot({ path: path.join(ARTIFACTS, 'inspector-zh.png') });
    expect(errors).toEqual([]);
    await context.close();
  });
});
