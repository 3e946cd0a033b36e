// The page at the sizes learners use (a 1920 px desktop, a 900 px window, a 768x1024 tablet)
// in real Chromium: screenshots for a person to look at, the lab header's title and its
// progress and clock never overlapping, a visible focus outline, the favicon, and axe-core
// finding no serious or critical accessibility violation on the catalogue or a lab page.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.ts';
import { ARTIFACTS, e2eRig } from '../support/e2e-rig.ts';

const SIZES = [
  { name: '1920', width: 1920, height: 1080 },
  { name: '1400', width: 1400, height: 900 },
  { name: '900', width: 900, height: 800 },
  { name: 'tablet', width: 768, height: 1024 },
] as const;

const e2e = e2eRig('e2e-layout');

type Box = { x: number; y: number; width: number; height: number } | null;

function overlaps(a: Box, b: Box): boolean {
  if (a === null || b === null) return false;
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe('layout and accessibility in a real browser', () => {
  it('holds from 1920 px to a tablet, and axe finds nothing serious', async () => {
    // The page's CSP rightly refuses inline scripts, axe-core's tag among them: this context
    // lets the test's own script in (the CSP itself is tested by the other e2e files).
    const context = await e2e.browser.newContext({
      viewport: { width: 1920, height: 1080 },
      bypassCSP: true,
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const favicon = await page.request.get(`${e2e.server.origin}/favicon.ico`);
    expect(favicon.status()).toBe(200);
    await page.goto(e2e.server.loginUrl);
    await expect.poll(() => page.locator('.lab-card').count()).toBeGreaterThan(6);
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toMatch(/\.svg$/);

    expect(await seriousViolations(page)).toEqual([]);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.screenshot({
        path: path.join(ARTIFACTS, `catalogue-${size.name}.png`),
        fullPage: true,
      });
    }

    // Keyboard: Tab reaches the first Start button with a visible outline.
    await page.setViewportSize(SIZES[0]);
    await page.keyboard.press('Tab');
    const outline = await page.evaluate<string>(
      'getComputedStyle(document.activeElement).outlineStyle',
    );
    expect(outline).not.toBe('none');

    await page.locator('.lab-card[data-lab="uts"] button.start').click();
    await expect
      .poll(() => page.locator('#session-status').textContent(), { timeout: 15_000 })
      .toBe('Connected');
    expect(await seriousViolations(page)).toEqual([]);
    // The terminal tabs follow the tab pattern: arrow keys move between them.
    await page.locator('.tab[data-terminal="isolated"]').focus();
    await page.keyboard.press('ArrowRight');
    await expect
      .poll(() => page.locator('.tab[data-terminal="host-uts"]').getAttribute('aria-selected'))
      .toBe('true');
    expect(await page.evaluate<string | null>('document.activeElement.dataset.terminal')).toBe(
      'host-uts',
    );
    await page.keyboard.press('ArrowLeft');
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.waitForTimeout(300);
      const title = await page.locator('.lab-header h1').boundingBox();
      expect(
        overlaps(title, await page.locator('.lab-header .progress').boundingBox()),
        size.name,
      ).toBe(false);
      expect(
        overlaps(title, await page.locator('.lab-header .session-clock').boundingBox()),
        size.name,
      ).toBe(false);
      // Nothing wider than the window: no sideways scrolling.
      expect(
        await page.evaluate<number>('document.documentElement.scrollWidth'),
      ).toBeLessThanOrEqual(size.width);
      // Nor taller: the panes scroll, the document does not. A document that could scroll
      // once scrolled itself when the terminal took focus, and xterm stops drawing a
      // terminal scrolled out of view (a blank terminal in 2 of 3 CI runs).
      expect(
        await page.evaluate<number>('document.documentElement.scrollHeight'),
        size.name,
      ).toBeLessThanOrEqual(size.height);
      await page.screenshot({ path: path.join(ARTIFACTS, `uts-lab-${size.name}.png`) });
    }
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
