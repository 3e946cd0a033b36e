// What the e2e tests do on a lab page again and again: start a lab from the catalogue and
// wait until its terminals are connected, read what a terminal shows, collect the page's
// errors, and wait until the engine has removed every container of a test instance.
import Dockerode from 'dockerode';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { labelled } from './test-server.ts';

/** Opens the catalogue with the token link, starts `labId` and waits for "Connected". */
export async function startLab(page: Page, loginUrl: string, labId: string): Promise<void> {
  await page.goto(loginUrl);
  await page.locator(`.lab-card[data-lab="${labId}"] button.start`).click();
  await expect
    .poll(() => page.locator('#session-status').textContent(), { timeout: 20_000 })
    .toBe('Connected');
}

/** The rows xterm draws for a terminal (only while it is on screen: xterm skips hidden ones). */
export function terminalText(page: Page, name: string): Promise<string> {
  return page.locator(`.terminal-host[data-terminal="${name}"] .xterm-rows`).innerText();
}

/** Every uncaught error of the page from now on: a test ends by expecting none. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** Waits up to 15 s for the engine to finish removals it reported as under way, then expects none. */
export async function expectNothingLabelled(instance: string): Promise<void> {
  const docker = new Dockerode();
  for (let i = 0; i < 30 && (await labelled(docker, instance)).length > 0; i++)
    await new Promise((resolve) => setTimeout(resolve, 500));
  expect(await labelled(docker, instance)).toEqual([]);
}
