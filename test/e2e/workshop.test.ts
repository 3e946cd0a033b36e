// A workshop learner in real Chromium: joins with the code the instructor hands out (no
// token), sees which escape labs this shared machine offers and why the others are not
// here, has no "Reset the host" button, and gets a terminal in the docker.sock lab whose
// socket leads to the learner's own seat engine. Saves screenshots for a person to look at.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, e2eRig } from '../support/e2e-rig.ts';

const e2e = e2eRig('e2e-workshop', {
  config: { mode: 'workshop', joinCode: 'e2e-join-code' },
  // The instructor's reset purges the seat the learner used.
  beforeStop: (rig) => rig.api.resetHost(),
});

describe('a workshop learner in a real browser', () => {
  it('joins with the code, sees what a shared machine offers, and gets a shell on a seat', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    const joinUrl = e2e.server.joinUrl;
    if (joinUrl === undefined) throw new Error('no join URL in workshop mode');
    expect(joinUrl).not.toContain(e2e.server.config.token);
    await page.goto(joinUrl);
    await expect.poll(() => page.url()).toBe(`${e2e.server.origin}/`);
    const cookies = await context.cookies();
    expect(cookies.map((c) => c.name)).toEqual(['nslab_learner']);
    // A learner without a name gives one first: the control room shows it.
    await page.locator('input.display-name').fill('Workshop learner');
    await page.locator('form.name-form button').click();

    await expect.poll(() => page.locator('.lab-card').count()).toBeGreaterThanOrEqual(20);
    await expect.poll(() => page.locator('.lead.workshop').count()).toBe(1);
    expect(await page.locator('.reset-host-panel').count()).toBe(0);
    const tcp = page.locator('.lab-card[data-lab="escape-docker-tcp"]');
    await expect.poll(() => tcp.locator('.unavailable').innerText()).toContain('solo mode');
    expect(await tcp.locator('button.start').isDisabled()).toBe(true);
    expect(
      await page.locator('.lab-card[data-lab="escape-docker-sock"] button.start').isDisabled(),
    ).toBe(false);
    await page
      .locator('.topic', { hasText: 'escapes' })
      .screenshot({ path: path.join(ARTIFACTS, 'workshop-catalogue.png') });

    await page.locator('.lab-card[data-lab="escape-docker-sock"] button.start').click();
    const host = '.terminal-host[data-terminal="with-socket"]';
    await expect
      .poll(() => page.locator(`${host} .xterm-rows`).innerText(), { timeout: 60_000 })
      .toContain('root@with-socket');
    await page.locator(`${host} .xterm-helper-textarea`).focus();
    await page.keyboard.type(
      'curl -s --unix-socket /var/run/docker.sock http://localhost/info | grep -o \'"SecurityOptions":[^]]*]\'',
    );
    await page.keyboard.press('Enter');
    // The engine behind the socket says it is rootless.
    await expect
      .poll(() => page.locator(`${host} .xterm-rows`).innerText(), { timeout: 15_000 })
      .toContain('name=rootless');
    await page.screenshot({ path: path.join(ARTIFACTS, 'workshop-docker-sock.png') });
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
