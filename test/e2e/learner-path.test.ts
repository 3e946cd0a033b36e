// The path through the labs in real Chromium against a real server and engine: the
// catalogue numbers the labs by topic with their time, a lab whose exercises are all passed
// ends with what was learned and "Next lab", and that button moves the learner on.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { utsLab } from '../../labs/uts/uts-lab.ts';
import { ApiClient } from '../../server/protocol/api-client.ts';
import { TerminalDriver } from '../../server/verify/terminal-driver.ts';
import { ARTIFACTS, e2eRig, learnerApi } from '../support/e2e-rig.ts';

const e2e = e2eRig('test-path');

/** Every uts exercise passed by typing its reference solution, in a session of its own. */
async function passUts(api: ApiClient): Promise<void> {
  const session = await api.startSession('uts');
  const drivers = new Map<string, TerminalDriver>();
  for (const exercise of utsLab.exercises) {
    let answer: string | undefined;
    for (const step of exercise.solution) {
      if (step.playground !== undefined) throw new Error('the uts lab has no playground');
      let driver = drivers.get(step.terminal);
      if (driver === undefined) {
        driver = await TerminalDriver.open(
          api.terminalUrl(session.id, step.terminal),
          api.terminalAuth,
        );
        await driver.waitForPrompt();
        drivers.set(step.terminal, driver);
      }
      const output = await driver.run(step.input);
      if (step.capture !== undefined) answer = step.capture.exec(output)?.[1];
    }
    expect((await api.check(session.id, exercise.id, answer)).passed, exercise.id).toBe(true);
  }
  for (const driver of drivers.values()) await driver.close();
  await api.endSession(session.id);
}

describe('the path in a real browser', () => {
  it('numbers the labs, ends a finished lab with what was learned and moves on', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(e2e.server.loginUrl);
    await passUts(await learnerApi(e2e, context));
    await page.reload();

    // Topics in the suggested order, labs numbered across them, each with its time.
    const topics = page.locator('.topic .topic-name');
    await expect
      .poll(() => topics.allTextContents())
      .toEqual([
        '1. namespaces',
        '2. control groups',
        '3. least privilege',
        '4. audit',
        '5. image provenance',
        '6. escapes',
        '7. sandboxing',
      ]);
    expect(await page.locator('.lab-card[data-lab="pid"] .step').innerText()).toBe('2');
    expect(await page.locator('.topic[data-topic="namespaces"] .topic-meta').innerText()).toMatch(
      /6 labs, about \d+ min, 1 done/,
    );
    expect(await page.locator('.lab-card[data-lab="uts"] .lab-state').innerText()).toBe('Done');
    expect(await page.locator('.suggested-start').innerText()).toContain('Start here');

    // The finished lab opens with its last card: what was learned, and the next lab.
    await page.locator('.lab-card[data-lab="uts"] button.start').click();
    const end = page.locator('.lab-end');
    await expect.poll(() => end.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await end.locator('li').count()).toBe(utsLab.learned.length);
    await end.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'lab-end.png') });
    const next = end.locator('button.next-lab');
    expect(await next.innerText()).toContain('PID namespace');
    const utsUrl = page.url();
    await next.click();
    await expect
      .poll(() => page.locator('.lab-header h1').innerText(), { timeout: 15_000 })
      .toContain('PID');
    expect(page.url()).not.toBe(utsUrl);
    // A lab with nothing passed yet keeps its last card hidden.
    expect(await page.locator('.lab-end').isVisible()).toBe(false);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
