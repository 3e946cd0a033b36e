// The isolation inspector in real Chromium: open the pid lab, open the panel, see the isolated
// container's namespaces private and the host-pid container's PID namespace shared with the
// host (said in words, with its risk line), watch the memory chart fill, and check that the
// server stops reading when the panel closes or the page is hidden. Saves a screenshot.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, e2eRig } from '../support/e2e-rig.ts';
import { pageErrors, startLab } from '../support/lab-page.ts';
import { labelled } from '../support/test-server.ts';
import Dockerode from 'dockerode';

const AXE = path.join(import.meta.dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js');
const INSTANCE = 'test-e2e-inspector';

const e2e = e2eRig(INSTANCE, { config: { pool: 'off' }, expectNothingLeft: true });

const panel = (page: Page) => page.locator('#inspector-panel');

async function sharingOf(page: Page, kind: string): Promise<string | null> {
  return panel(page).locator(`tr.ns[data-ns="${kind}"]`).getAttribute('data-sharing');
}

/** Makes the page believe it went to the background (another tab, a minimised window). */
async function setVisibility(page: Page, state: 'hidden' | 'visible'): Promise<void> {
  // A string, not a function: this file is compiled without the DOM's types.
  await page.evaluate(`Object.defineProperty(document, 'visibilityState', {
    value: '${state}', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));`);
}

describe('the isolation inspector in a real browser', () => {
  it('shows what the host sees, live while open, and stops reading when hidden', async () => {
    // bypassCSP: only so the test can add axe-core to the page.
    const context = await e2e.browser.newContext({
      viewport: { width: 1500, height: 950 },
      bypassCSP: true,
    });
    const page = await context.newPage();
    const errors = pageErrors(page);
    await startLab(page, e2e.server.loginUrl, 'pid');
    expect(e2e.server.inspector.watched).toBe(0);

    await page.locator('button.inspector-toggle').click();
    await expect
      .poll(() => page.locator('button.inspector-toggle').getAttribute('aria-pressed'))
      .toBe('true');
    await expect
      .poll(() => panel(page).locator('.inspector-body').getAttribute('data-container'))
      .toBe('isolated');
    expect(await sharingOf(page, 'pid')).toBe('private');
    expect(await panel(page).locator('tr.ns[data-ns="pid"] .sharing').innerText()).toContain(
      'private',
    );
    expect(e2e.server.inspector.watched).toBe(1);

    // The panel follows the terminal tab.
    await page.locator('.tab[data-terminal="host-pid"]').click();
    await expect.poll(() => sharingOf(page, 'pid')).toBe('host');
    await expect
      .poll(() => panel(page).locator('tr.ns[data-ns="pid"] .sharing').innerText())
      .toContain('shared with host');
    await expect
      .poll(() => panel(page).locator('.risk.high').first().innerText())
      .toContain('pid namespace shared with the host');
    // A few readings fill the memory chart.
    await expect
      .poll(
        async () =>
          (
            (await panel(page).locator('.memory-chart polyline').getAttribute('points')) ?? ''
          ).split(' ').length,
        { timeout: 10_000 },
      )
      .toBeGreaterThanOrEqual(4);
    await page.screenshot({ path: path.join(ARTIFACTS, 'inspector.png') });
    // Readable without sight or colour: axe-core finds no violation in the panel.
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(
      `axe.run(document.getElementById('inspector-panel')).then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.length))`,
    );
    expect(violations).toEqual([]);
    // Some memory in use makes the chart's line rise off the floor.
    await page.locator('.terminal-host[data-terminal="host-pid"] .xterm-helper-textarea').focus();
    await page.keyboard.type('head -c 40m /dev/zero | tail > /dev/null & sleep 3');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(4_000);
    // The panel is redrawn every second (keeping its scroll position): scroll it, not an element.
    await page.evaluate(`document.getElementById('inspector-panel').scrollTop = 1e6`);
    await page.waitForTimeout(1_500);
    await page.screenshot({ path: path.join(ARTIFACTS, 'inspector-cgroup.png') });

    await setVisibility(page, 'hidden');
    await expect.poll(() => e2e.server.inspector.watched).toBe(0);
    await setVisibility(page, 'visible');
    await expect.poll(() => e2e.server.inspector.watched).toBe(1);
    await page.locator('button.inspector-toggle').click();
    await expect.poll(() => e2e.server.inspector.watched).toBe(0);

    expect(errors).toEqual([]);
    await page.locator('button.end').click();
    await expect.poll(() => e2e.server.sessions.size).toBe(0);
    await expect.poll(() => labelled(new Dockerode(), INSTANCE), { timeout: 15_000 }).toEqual([]);
    await context.close();
  });

  it('shows two profiles side by side, typed into together, differences marked', async () => {
    const context = await e2e.browser.newContext({
      viewport: { width: 1500, height: 950 },
      bypassCSP: true,
    });
    const page = await context.newPage();
    const errors = pageErrors(page);
    await startLab(page, e2e.server.loginUrl, 'uts');
    await page.locator('button.side-switch', { hasText: 'Side by side' }).click();
    for (const name of ['isolated', 'host-uts'])
      await expect
        .poll(() => page.locator(`.terminal-host[data-terminal="${name}"]`).isVisible())
        .toBe(true);
    expect(await page.locator('.tabs').isVisible()).toBe(false);
    const uts = panel(page).locator('.compare-table tr[data-row="uts namespace"]');
    await expect.poll(() => uts.getAttribute('class'), { timeout: 10_000 }).toBe('differs');
    expect(await uts.innerText()).toContain('≠ uts namespace');
    expect(
      await panel(page)
        .locator('.compare-table tr[data-row="pid namespace"]')
        .getAttribute('class'),
    ).toBe('');

    await page.locator('button.side-switch', { hasText: 'Type into both' }).click();
    await page.locator('.terminal-host[data-terminal="isolated"] .xterm-helper-textarea').focus();
    await page.keyboard.type('echo both-$((6*7)); hostname');
    await page.keyboard.press('Enter');
    for (const name of ['isolated', 'host-uts'])
      await expect
        .poll(() => page.locator(`.terminal-host[data-terminal="${name}"] .xterm-rows`).innerText())
        .toContain('both-42');
    await page.screenshot({ path: path.join(ARTIFACTS, 'side-by-side.png') });
    await page.addScriptTag({ path: AXE });
    expect(
      await page.evaluate(
        `axe.run(document.querySelector('.terminal-pane')).then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`,
      ),
    ).toEqual([]);

    // Off again: one terminal, tabs back, the inspector back to one container.
    await page.locator('button.side-switch', { hasText: 'Side by side' }).click();
    await expect.poll(() => page.locator('.tabs').isVisible()).toBe(true);
    await expect.poll(() => panel(page).locator('.compare-table').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.locator('button.end').click();
    await expect.poll(() => e2e.server.sessions.size).toBe(0);
    await context.close();
  });
});
