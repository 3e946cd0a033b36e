// A learner's path through the UTS lab in real Chromium against a real server and engine:
// open the page with the token, pick the lab, type into the terminal, press Check, see it
// pass. Saves a screenshot of the lab page for a person to look at.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, e2eRig } from '../support/e2e-rig.ts';

const e2e = e2eRig('e2e');

async function terminalText(page: Page, name: string): Promise<string> {
  return page.locator(`.terminal-host[data-terminal="${name}"] .xterm-rows`).innerText();
}

async function typeInTerminal(page: Page, name: string, line: string): Promise<void> {
  await page.locator(`.tab[data-terminal="${name}"]`).click();
  await page.locator(`.terminal-host[data-terminal="${name}"] .xterm-helper-textarea`).focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

describe('the UTS lab in a real browser', () => {
  it('refuses the page without the token', async () => {
    const page = await e2e.browser.newPage();
    const response = await page.goto(e2e.server.origin);
    expect(response?.status()).toBe(401);
    await expect.poll(() => page.textContent('h1')).toContain('token');
    await page.close();
  });

  it('starts the lab, runs commands in the terminal and passes checks', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(e2e.server.loginUrl);
    await expect.poll(() => page.url()).toBe(`${e2e.server.origin}/`);

    // The catalogue, grouped by topic, as a learner first sees it.
    await expect.poll(() => page.locator('.lab-card').count()).toBeGreaterThanOrEqual(6);
    await page.screenshot({ path: path.join(ARTIFACTS, 'catalogue.png'), fullPage: true });

    const started = performance.now();
    await page.locator('.lab-card[data-lab="uts"] button.start').click();
    await expect
      .poll(() => terminalText(page, 'isolated'), { timeout: 10_000 })
      .toContain('root@nslab-uts');
    const clickToPromptMs = performance.now() - started;
    await expect.poll(() => page.locator('#session-status').textContent()).toBe('Connected');

    // The lesson shows the flags the server really used.
    await expect
      .poll(() => page.locator('pre.docker-run[data-container="isolated"]').innerText())
      .toContain('--hostname nslab-uts');
    await expect
      .poll(() => page.locator('pre.docker-run[data-container="host-uts"]').innerText())
      .toContain('--uts=host');

    // Exercise 1: a wrong answer fails with a hint, the real namespace passes.
    const own = page.locator('.exercise-card[data-exercise="own-namespace"]');
    await own.locator('input.answer').fill('uts:[1]');
    await own.locator('button.check').click();
    await expect.poll(() => own.locator('.result').innerText()).toContain('Not yet');
    await expect.poll(() => own.locator('.hint').count()).toBe(1);

    await typeInTerminal(page, 'isolated', 'readlink /proc/self/ns/uts');
    await expect.poll(() => terminalText(page, 'isolated')).toMatch(/uts:\[\d+\]/);
    const namespace = /uts:\[(\d+)\]/.exec(await terminalText(page, 'isolated'))?.[0] ?? '';
    await own.locator('input.answer').fill(namespace);
    await own.locator('button.check').click();
    await expect.poll(() => own.locator('.result').innerText()).toContain('Passed');

    // Exercise 2: fail first, then do it in the terminal and pass.
    const file = page.locator('.exercise-card[data-exercise="file-is-not-the-name"]');
    await file.locator('button.check').click();
    await expect.poll(() => file.locator('.result').innerText()).toContain('Not yet');
    await typeInTerminal(page, 'isolated', 'hostname renamed-by-root');
    await expect
      .poll(() => terminalText(page, 'isolated'))
      .toContain('you must be root to change the host name');
    await typeInTerminal(page, 'isolated', 'echo not-my-name > /etc/hostname; uname -n');
    await file.locator('button.check').click();
    await expect.poll(() => file.locator('.result').innerText()).toContain('Passed');
    await expect.poll(() => page.locator('.progress').innerText()).toBe('2/3 exercises passed');

    await page.locator('.tab[data-terminal="isolated"]').click();
    await file.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'uts-lab.png') });
    expect(pageErrors).toEqual([]);
    expect(clickToPromptMs).toBeGreaterThan(0);
    process.stdout.write(`e2e click-to-prompt: ${Math.round(clickToPromptMs)} ms\n`);

    // Closing the tab ends the session after the grace period: nothing stays on the engine.
    const sessionId = /#session=([\w-]+)/.exec(page.url())?.[1] ?? '';
    expect(await e2e.server.client.listIds('e2e', sessionId)).toHaveLength(2);
    await context.close();
    await expect
      .poll(() => e2e.server.client.listIds('e2e', sessionId), { timeout: 10_000, interval: 250 })
      .toEqual([]);
  });
});
