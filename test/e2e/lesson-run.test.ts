// A lesson's code blocks in real Chromium against a real server and engine: Run types the
// block into the terminal the author named and leaves Enter to the learner; a block marked
// `enter` runs at once; every block has Copy.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, e2eRig } from '../support/e2e-rig.ts';
import { pageErrors, startLab, terminalText } from '../support/lab-page.ts';

const e2e = e2eRig('test-run');

describe('Run on a lesson code block', () => {
  it('types into the named terminal without Enter, and the learner runs it', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: e2e.server.origin,
    });
    const page = await context.newPage();
    const errors = pageErrors(page);
    await startLab(page, e2e.server.loginUrl, 'pid');
    await expect.poll(() => terminalText(page, 'isolated')).toContain('root@');

    // Every block has Copy; the two the pid lesson marks have Run.
    expect(await page.locator('.lesson .code-block .copy').count()).toBeGreaterThanOrEqual(4);
    const blocks = page.locator('.lesson .code-block:has(pre.runnable)');
    expect(await blocks.count()).toBe(2);

    // The second block names the host-pid terminal: Run brings that tab forward.
    const hostPid = blocks.nth(1);
    await hostPid.locator('button.run').click();
    await expect
      .poll(() => page.locator('.tab[data-terminal="host-pid"]').getAttribute('aria-selected'))
      .toBe('true');
    await expect.poll(() => terminalText(page, 'host-pid')).toContain('ps -ef | head -20');
    await expect
      .poll(() => hostPid.locator('.run-status').innerText())
      .toContain('press Enter there');
    // Not run: bash holds the pasted lines, so no output of `ps` (its header) appears.
    await page.waitForTimeout(700);
    expect(await terminalText(page, 'host-pid')).not.toContain('PID TTY');
    await hostPid.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'run-typed.png') });
    await page.keyboard.press('Enter');
    await expect.poll(() => terminalText(page, 'host-pid')).toMatch(/UID\s+PID\s+PPID/);

    // Copy puts the block's text, and only that, on the clipboard.
    await hostPid.locator('button.copy').click();
    await expect.poll(() => hostPid.locator('button.copy').innerText()).toBe('Copied');
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(
      'echo $$\nps -e | wc -l\nps -ef | head -20',
    );

    // The first block goes to the isolated terminal, whatever is in front.
    await blocks.nth(0).locator('button.run').click();
    await expect
      .poll(() => page.locator('.tab[data-terminal="isolated"]').getAttribute('aria-selected'))
      .toBe('true');
    await expect.poll(() => terminalText(page, 'isolated')).toContain('ps -ef');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('presses Enter for a block marked `enter`', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await startLab(page, e2e.server.loginUrl, 'cgroup-memory');
    await expect.poll(() => terminalText(page, 'limited')).toContain('root@');
    const free = page.locator('.lesson .code-block:has(pre[data-enter="true"])').first();
    await free.locator('button.run').click();
    // `free -m` ran: its header line is on the screen.
    await expect.poll(() => terminalText(page, 'limited')).toMatch(/total\s+used\s+free/);
    await context.close();
  });
});
