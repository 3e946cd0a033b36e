// The terminal's tools in real Chromium (WebGL on) against a real server and engine: the
// WebGL renderer and its fall back to the DOM on context loss, search, the font size and
// screen-reader mode remembered by the browser, and OSC 52 writing the clipboard.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { e2eRig } from '../support/e2e-rig.ts';
import { startLab } from '../support/lab-page.ts';

const e2e = e2eRig('test-tools', { webgl: true });

const HOST = '.terminal-host[data-terminal="isolated"]';

async function type(page: Page, line: string): Promise<void> {
  await page.locator(`${HOST} .xterm-helper-textarea`).focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/**
 * Makes the WebGL canvas lose its context, as a GPU reset would. (A string: this file is
 * typed for Node, without the DOM's types.)
 */
async function loseWebglContext(page: Page): Promise<boolean> {
  return page.evaluate<boolean>(`(() => {
    for (const canvas of document.querySelectorAll('${HOST} canvas')) {
      const lose = canvas.getContext('webgl2')?.getExtension('WEBGL_lose_context');
      if (lose) { lose.loseContext(); return true; }
    }
    return false;
  })()`);
}

describe('terminal tools in a real browser', () => {
  it('draws with WebGL, falls back to the DOM, searches, remembers settings, takes OSC 52', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: e2e.server.origin,
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (m) => {
      if (m.text().includes('Content Security Policy')) pageErrors.push(m.text());
    });
    await startLab(page, e2e.server.loginUrl, 'uts');

    // WebGL draws; a lost context hands the terminal back to the DOM renderer, still usable.
    await expect.poll(() => page.locator(HOST).getAttribute('data-renderer')).toBe('webgl');
    expect(await page.locator(`${HOST} .xterm-rows`).count()).toBe(0);
    expect(await loseWebglContext(page)).toBe(true);
    // The add-on waits a few seconds for the context to come back before it gives up.
    await expect
      .poll(() => page.locator(HOST).getAttribute('data-renderer'), { timeout: 10_000 })
      .toBe('dom');
    const rows = page.locator(`${HOST} .xterm-rows`);
    await expect.poll(() => rows.innerText()).toContain('root@nslab-uts');

    // Search: found, and not found said in words.
    await type(page, 'echo findme-$((6*7))');
    await expect.poll(() => rows.innerText()).toContain('findme-42');
    const search = page.locator('input.terminal-search');
    await search.fill('findme-42');
    await search.press('Enter');
    // Only the output matches: the command line says $((6*7)).
    await expect.poll(() => page.locator('.search-status').innerText()).toBe('1 of 1');
    await search.fill('nowhere-to-be-found');
    await search.press('Enter');
    await expect.poll(() => page.locator('.search-status').innerText()).toBe('not found');
    await search.press('Escape');

    // OSC 52 from a program in the container writes the learner's clipboard.
    await type(page, "printf '\\e]52;c;%s\\a' $(printf copied-by-osc52 | base64)");
    await expect
      .poll(() => page.evaluate<string>('navigator.clipboard.readText()'))
      .toBe('copied-by-osc52');

    // Font size and screen-reader mode apply at once and come back after a reload.
    await page.locator('button.font-larger').click();
    await page.locator('button.font-larger').click();
    expect(await page.locator('.font-size-value').innerText()).toBe('16px');
    await page.locator('input.toggle-screenReader').check();
    await expect.poll(() => page.locator(`${HOST} .xterm-accessibility-tree`).count()).toBe(1);
    await page.reload();
    await expect
      .poll(() => page.locator('#session-status').textContent(), { timeout: 15_000 })
      .toBe('Connected');
    expect(await page.locator('.font-size-value').innerText()).toBe('16px');
    expect(await page.locator('input.toggle-screenReader').isChecked()).toBe(true);
    await expect.poll(() => page.locator(`${HOST} .xterm-accessibility-tree`).count()).toBe(1);
    await expect
      .poll(() => page.locator(`${HOST} .xterm-accessibility-tree`).innerText())
      .toContain('findme-42');
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
