// The sandboxed-runtime lab in real Chromium: both containers side by side, one probe typed
// into both, two kernels' answers, and the inspector's host view of each beside them.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { pageErrors, startLab, terminalText } from '../support/lab-page.ts';
import { startTestServer } from '../support/test-server.ts';

const ARTIFACTS = path.join(import.meta.dirname, '..', 'artifacts');

describe('sandboxed-runtime lab in the browser', () => {
  it('shows the same probe answered by the host kernel and by gVisor', async (ctx) => {
    await using t = await startTestServer('test-sandbox-page', 2_000);
    if (t.server.facts.runsc === undefined) ctx.skip();
    const browser = await launchChromium();
    try {
      const page = await (
        await browser.newContext({ viewport: { width: 1500, height: 950 } })
      ).newPage();
      const errors = pageErrors(page);
      await startLab(page, t.server.loginUrl, 'sandboxed-runtime');
      await page.locator('button.side-switch', { hasText: 'Side by side' }).click();
      await page.locator('button.side-switch', { hasText: 'Type into both' }).click();
      await page.locator('.terminal-host[data-terminal="runc"] .xterm-helper-textarea').focus();
      await page.keyboard.type('clear; uname -r; dmesg 2>&1 | head -2');
      await page.keyboard.press('Enter');
      await expect.poll(() => terminalText(page, 'gvisor'), { timeout: 15_000 }).toMatch(/gVisor/);
      await expect.poll(() => terminalText(page, 'runc'), { timeout: 15_000 }).toMatch(/dmesg: /);
      const hostRelease = /^(\d+\.\d+\.\d+\S*)\s*$/m.exec(await terminalText(page, 'runc'))?.[1];
      expect(hostRelease).toBeDefined();
      expect(await terminalText(page, 'gvisor')).not.toContain(hostRelease);
      // Side by side opens the inspector's comparison; the terminals give it the lower part.
      const panel = page.locator('#inspector-panel');
      if (await panel.isHidden()) await page.locator('.inspector-toggle').click();
      await expect.poll(() => panel.isVisible()).toBe(true);
      await expect
        .poll(() => page.locator('#inspector-panel .compare-table').innerText(), {
          timeout: 15_000,
        })
        .toContain('pid namespace');
      await page.screenshot({ path: path.join(ARTIFACTS, 'sandboxed-runtime.png') });
      // Closed, the inspector leaves the whole pane to the terminals.
      await page.locator('.inspector-toggle').click();
      await expect.poll(() => panel.isHidden()).toBe(true);
      const pane = await page.locator('.terminal-body').boundingBox();
      const stack = await page.locator('.terminal-body > .terminal-stack').boundingBox();
      expect(stack?.height ?? 0).toBeGreaterThan((pane?.height ?? 0) * 0.9);
      await page.screenshot({ path: path.join(ARTIFACTS, 'sandboxed-runtime-no-inspector.png') });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
