// The instructor's control room in real Chromium, in workshop mode: three learners join with
// names, the roster follows a pass within a second, the instructor watches one terminal
// (and the learner is told), a broadcast reaches all three, a reset gives one a fresh lab.
// Then what a learner and a stranger get from the control room's routes and terminals.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { NslabServer } from '../../server/nslab-server.ts';
import { ApiClient, ApiRequestError } from '../../server/protocol/api-client.ts';
import { launchChromium } from '../support/chromium.ts';

const ARTIFACTS = path.join(import.meta.dirname, '..', 'artifacts');
const NAMES = ['Ada L.', 'Björn Öberg', 'Ζωή Παπά-3'] as const;

let server: NslabServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await NslabServer.start({
    config: {
      host: '127.0.0.1',
      port: 0,
      instance: 'e2e-control-room',
      graceMs: 5_000,
      mode: 'workshop',
      joinCode: 'e2e-control-code',
    },
  });
  browser = await launchChromium();
  await mkdir(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser.close();
  await server.stop();
});

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

async function typeIn(page: Page, line: string): Promise<void> {
  await page.locator('.terminal-host[data-terminal="isolated"] .xterm-helper-textarea').focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** Joins with the code, gives a name (after one refused), and starts the UTS lab. */
async function learnerJoins(name: string): Promise<Page> {
  const { page } = await newPage();
  await page.goto(server.joinUrl ?? '');
  const form = page.locator('form.name-form');
  await form.locator('input.display-name').fill('<script>x</script>');
  await form.locator('button').click();
  await expect.poll(() => form.locator('.name-problem').innerText()).toContain('characters');
  await form.locator('input.display-name').fill(name);
  await form.locator('button').click();
  await page.locator('.lab-card[data-lab="uts"] button.start').click();
  await expect
    .poll(() => page.locator(`.terminal-host[data-terminal="isolated"] .xterm-rows`).innerText(), {
      timeout: 60_000,
    })
    .toContain('root@');
  return page;
}

function rosterRow(page: Page, name: string) {
  return page.locator('table.roster tr[data-learner]', { hasText: name });
}

describe('the control room', () => {
  it('follows three learners live, watches one, broadcasts and resets', async () => {
    const { page: instructor, errors } = await newPage();
    await instructor.goto(server.loginUrl);
    await instructor.locator('a.control-room-link').click();
    await expect
      .poll(() => instructor.locator('.control-room h1').innerText())
      .toBe('Control room');

    const learners: Page[] = [];
    for (const name of NAMES) learners.push(await learnerJoins(name));
    const [first, second, third] = learners as [Page, Page, Page];
    for (const name of NAMES)
      await expect
        .poll(() => rosterRow(instructor, name).locator('.presence').innerText())
        .toBe('online');

    // A pass reaches the control room within a second of the learner seeing it.
    await typeIn(first, 'readlink /proc/self/ns/uts');
    const text = () =>
      first.locator(`.terminal-host[data-terminal="isolated"] .xterm-rows`).innerText();
    await expect.poll(text).toMatch(/uts:\[\d+\]/);
    const own = first.locator('.exercise-card[data-exercise="own-namespace"]');
    await own.locator('input.answer').fill(/uts:\[\d+\]/.exec(await text())?.[0] ?? '');
    await own.locator('button.check').click();
    await expect.poll(() => own.locator('.result').innerText()).toContain('Passed');
    const row = rosterRow(instructor, NAMES[0]);
    await expect.poll(() => row.locator('.passes').innerText(), { timeout: 1_000 }).toBe('1');
    expect(await row.locator('.exercise').innerText()).toBe('own-namespace');
    const total = instructor.locator('table.totals tr[data-exercise="uts/own-namespace"]');
    await expect.poll(() => total.locator('.passed').innerText(), { timeout: 1_000 }).toBe('1');

    // Watching the second learner: they are told, and the instructor sees what they type.
    await rosterRow(instructor, NAMES[1]).locator('button.watch').click();
    const banner = second.locator('.watched-banner');
    await expect.poll(() => banner.isVisible()).toBe(true);
    await typeIn(second, 'echo watched-$((6*7))');
    await expect
      .poll(() => instructor.locator('.watch-host .xterm-rows').innerText(), { timeout: 10_000 })
      .toContain('watched-42');
    expect(await instructor.locator('.watch-panel h2').innerText()).toContain(NAMES[1]);

    await instructor.locator('input.broadcast-text').fill('Break in 5 minutes');
    await instructor.locator('form.broadcast button').click();
    for (const learner of learners)
      await expect
        .poll(() => learner.locator('.notices').innerText())
        .toContain('Instructor: Break in 5 minutes');
    await instructor.screenshot({ path: path.join(ARTIFACTS, 'control-room.png'), fullPage: true });

    await instructor.locator('.watch-panel button.stop').click();
    await expect.poll(() => banner.isVisible()).toBe(false);

    // A reset moves the third learner's page to a fresh lab.
    const before = new URL(third.url()).hash;
    await rosterRow(instructor, NAMES[2]).locator('button.control-reset').click();
    await expect.poll(() => new URL(third.url()).hash, { timeout: 60_000 }).not.toBe(before);
    await expect
      .poll(
        () => third.locator('.terminal-host[data-terminal="isolated"] .xterm-rows').innerText(),
        {
          timeout: 60_000,
        },
      )
      .toContain('root@');
    expect(errors).toEqual([]);
  });
});

/** The status an upgrade to this WebSocket address gets: 101 when it opens. */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', () => undefined);
  });
}

async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (error) {
    if (error instanceof ApiRequestError) return error.status;
    throw error;
  }
}

describe('who may use the control room', () => {
  it('refuses a learner (403) and a stranger (401), and hides other learners’ terminals (404)', async () => {
    const alice = await ApiClient.join(server.origin, server.config.joinCode);
    const bob = await ApiClient.join(server.origin, server.config.joinCode);
    const stranger = new ApiClient(server.origin);
    const session = await alice.startSession('uts');
    for (const [client, expected] of [
      [bob, 403],
      [stranger, 401],
    ] as const) {
      expect(await statusOf(client.roster())).toBe(expected);
      expect(await statusOf(client.broadcast('hello'))).toBe(expected);
      expect(await statusOf(client.controlReset(session.id))).toBe(expected);
      expect(await statusOf(client.controlEnd(session.id))).toBe(expected);
      const stream = await fetch(client.rosterStreamUrl, { headers: client.terminalAuth.headers });
      expect(stream.status).toBe(expected);
    }
    const asBob = { origin: server.origin, ...bob.terminalAuth.headers };
    expect(await upgradeStatus(bob.terminalUrl(session.id, 'isolated'), asBob)).toBe(404);
    expect(await upgradeStatus(bob.watchUrl(session.id, 'isolated'), asBob)).toBe(403);
    expect(
      await upgradeStatus(stranger.watchUrl(session.id, 'isolated'), { origin: server.origin }),
    ).toBe(401);
    // The instructor may watch it.
    const instructor = new ApiClient(server.origin, server.config.token);
    const asInstructor = { origin: server.origin, ...instructor.terminalAuth.headers };
    expect(await upgradeStatus(instructor.watchUrl(session.id, 'isolated'), asInstructor)).toBe(
      101,
    );
    expect(await statusOf(bob.setDisplayName('x'.repeat(41)))).toBe(400);
    expect((await bob.setDisplayName('Bob')).displayName).toBe('Bob');
    await alice.endSession(session.id);
  });
});
