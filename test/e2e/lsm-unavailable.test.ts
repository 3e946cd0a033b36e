// An exercise this host cannot run, in real Chromium: the lsm lab's mount denial on an engine
// without AppArmor shows its goal and the reason, with nothing to press, and the progress line
// counts only the exercises that run here. Saves test/artifacts/lsm-unavailable.png.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { pageErrors, startLab } from '../support/lab-page.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const ARTIFACTS = path.join(import.meta.dirname, '..', 'artifacts');

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer('test-lsm-e2e', 2_000);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser.close();
  await server[Symbol.asyncDispose]();
});

describe('an exercise unavailable on this host', () => {
  it('shows the reason instead of Check, and is not counted', async (ctx) => {
    if (server.server.facts.apparmor) ctx.skip();
    const page = await (
      await browser.newContext({ viewport: { width: 1400, height: 900 } })
    ).newPage();
    const errors = pageErrors(page);
    await startLab(page, server.server.loginUrl, 'lsm');
    const card = page.locator('.exercise-card[data-exercise="mount-denied"]');
    await card.scrollIntoViewIfNeeded();
    expect(await card.locator('.result.unavailable').innerText()).toMatch(
      /^Not on this host\. On a host with AppArmor/,
    );
    expect(await card.locator('button').count()).toBe(0);
    expect(await page.locator('.progress').innerText()).toMatch(/0\/2 exercises passed/);
    await card.screenshot({ path: path.join(ARTIFACTS, 'lsm-unavailable.png') });
    expect(errors).toEqual([]);
  }, 60_000);
});
