// Hints that escalate, in real Chromium against a real server: a failed check shows the hint
// that fits, the same failure again climbs to the next, the Hint button gives the rest in
// order, and after a reload the page shows the same hints (the server recorded them).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { utsLab } from '../../labs/uts/uts-lab.ts';
import { inLang } from '../../server/catalogue/lab-text.ts';
import { ARTIFACTS, e2eRig } from '../support/e2e-rig.ts';

const e2e = e2eRig('test-hints');

// The page is in English here: the hints' English text.
const HINTS = (utsLab.exercises.find((e) => e.id === 'file-is-not-the-name')?.hints ?? []).map(
  (hint) => inLang(hint, 'en'),
);

describe('hints in a real browser', () => {
  it('climbs on repeated failures, gives the rest on request and survives a reload', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(e2e.server.loginUrl);
    await page.locator('.lab-card[data-lab="uts"] button.start').click();
    await expect
      .poll(() => page.locator('#session-status').textContent(), { timeout: 15_000 })
      .toBe('Connected');
    const card = page.locator('.exercise-card[data-exercise="file-is-not-the-name"]');
    const hints = card.locator('.hint-list .hint');
    expect(await card.locator('.hint-button').innerText()).toBe('Hint (3 left)');

    // Fresh: /etc/hostname equals the kernel's name, and the fitting hint is the second.
    await card.locator('button.check').click();
    await expect.poll(() => hints.count()).toBe(1);
    expect(await card.locator('.hint.latest').innerText()).toContain(HINTS[1]);

    // The same failure again: the next hint, not the same words.
    await card.locator('button.check').click();
    await expect.poll(() => hints.count()).toBe(2);
    expect(await card.locator('.hint.latest').innerText()).toContain(HINTS[2]);

    // The Hint button fills in the one not seen yet, the first, in its place in the list.
    await card.locator('.hint-button').click();
    await expect.poll(() => hints.count()).toBe(3);
    expect(await hints.nth(0).innerText()).toContain(HINTS[0]);
    expect(await card.locator('.hint-button').isDisabled()).toBe(true);
    await card.screenshot({ path: path.join(ARTIFACTS, 'hints.png') });

    await page.reload();
    await expect.poll(() => hints.count(), { timeout: 15_000 }).toBe(3);
    expect(await card.locator('.hint-button').innerText()).toBe('No more hints');
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
