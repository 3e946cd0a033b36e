// A learner's progress as the page shows it, in real Chromium against a real server: the
// catalogue says where they stand in each lab and offers "Continue"; the lab page comes back
// with what was passed and what was only shown. Saves screenshots for a person to look at.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../server/protocol/api-client.ts';
import { TerminalDriver } from '../../server/verify/terminal-driver.ts';
import { ARTIFACTS, e2eRig, learnerApi } from '../support/e2e-rig.ts';

const e2e = e2eRig('e2e-progress');

/** One pass by the learner's own typing and one "Show me", in an earlier session of uts. */
async function earlierSession(api: ApiClient): Promise<void> {
  const session = await api.startSession('uts');
  const driver = await TerminalDriver.open(
    api.terminalUrl(session.id, 'isolated'),
    api.terminalAuth,
  );
  await driver.waitForPrompt();
  // run() waits for its own marker: a prompt check right after typing could still see the
  // prompt from before the command, and the check would read the file before the write.
  await driver.run('echo not-my-name > /etc/hostname');
  expect((await api.check(session.id, 'file-is-not-the-name')).passed).toBe(true);
  await api.skip(session.id, 'own-namespace');
  await driver.close();
  await api.endSession(session.id);
}

describe('progress in a real browser', () => {
  it('shows each lab’s state, continues the lab in progress and restores its exercises', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(e2e.server.loginUrl);
    // The same learner as this browser (its signed cookie), working in an earlier session.
    await earlierSession(await learnerApi(e2e, context));
    await page.reload();

    const uts = page.locator('.lab-card[data-lab="uts"] .lab-state');
    await expect.poll(() => uts.textContent()).toBe('In progress 1/3 (1 shown)');
    await expect
      .poll(() => page.locator('.lab-card[data-lab="pid"] .lab-state').textContent())
      .toBe('Not started');
    const suggested = page.locator('button.suggested-start');
    expect(await suggested.textContent()).toMatch(/^Continue: /);
    await page.screenshot({ path: path.join(ARTIFACTS, 'catalogue-progress.png'), fullPage: true });

    await suggested.click();
    await expect
      .poll(() => page.locator('.lab-meta .progress').textContent(), { timeout: 30_000 })
      .toBe('1/3 exercises passed, 1 shown');
    expect(
      await page
        .locator('.exercise-card[data-exercise="file-is-not-the-name"]')
        .getAttribute('class'),
    ).toContain('passed');
    const shown = page.locator('.exercise-card[data-exercise="own-namespace"]');
    expect(await shown.getAttribute('class')).toContain('revealed');
    expect(await shown.locator('.result').textContent()).toMatch(/Show me/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'lab-progress.png') });
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
