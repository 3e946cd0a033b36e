// A workshop learner in real Chromium: joins with the code the instructor hands out (no
// token), sees which escape labs this shared machine offers and why the others are not
// here, has no "Reset the host" button, and gets a terminal in the docker.sock lab whose
// socket leads to the learner's own seat engine. Saves screenshots for a person to look at.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NslabServer } from '../../server/nslab-server.ts';
import { ApiClient } from '../../server/protocol/api-client.ts';
import { launchChromium } from '../support/chromium.ts';

const ARTIFACTS = path.join(import.meta.dirname, '..', 'artifacts');

let server: NslabServer;
let browser: Browser;

beforeAll(async () => {
  server = await NslabServer.start({
    config: {
      host: '127.0.0.1',
      port: 0,
      instance: 'e2e-workshop',
      graceMs: 2_000,
      mode: 'workshop',
      joinCode: 'e2e-join-code',
    },
  });
  browser = await launchChromium();
  await mkdir(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser.close();
  // The instructor's reset purges the seat the learner used.
  await new ApiClient(server.origin, server.config.token).resetHost();
  await server.stop();
});

describe('a workshop learner in a real browser', () => {
  it('joins with the code, sees what a shared machine offers, and gets a shell on a seat', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    const joinUrl = server.joinUrl;
    if (joinUrl === undefined) throw new Error('no join URL in workshop mode');
    expect(joinUrl).not.toContain(server.config.token);
    await page.goto(joinUrl);
    await expect.poll(() => page.url()).toBe(`${server.origin}/`);
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
