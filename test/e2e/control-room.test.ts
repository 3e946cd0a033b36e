// The instructor's control room in real Chromium, in workshop mode: three learners join with
// names, the roster follows a pass within a second, the instructor watches one terminal
// (and the learner is told), a broadcast reaches all three, a reset gives one a fresh lab.
// The instructor offers two labs in a chosen order and runs preflight on them. Then what a
// learner and a stranger get from the control room's routes and terminals.
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiClient, ApiRequestError } from '../../server/protocol/api-client.ts';
import { statusOf } from '../support/api-status.ts';
import { seriousViolations } from '../support/axe.ts';
import { ARTIFACTS, e2eRig } from '../support/e2e-rig.ts';

const NAMES = ['Ada L.', 'Björn Öberg', 'Ζωή Παπά-3'] as const;
/** What the instructor offers, in this order: an escape a workshop cannot run, then uts. */
const OFFER = ['escape-host-pid', 'uts'];

const contexts: BrowserContext[] = [];

// Per run: a concurrent run of this file elsewhere must not sweep this one's containers.
const e2e = e2eRig(`e2e-control-room-${process.pid}`, {
  graceMs: 5_000,
  config: { mode: 'workshop', joinCode: 'e2e-control-code' },
});

// Registered after the rig's, so it runs first: the contexts close before the browser does.
afterAll(async () => {
  for (const context of contexts) await context.close();
});

async function newPage(bypassCSP = false): Promise<{ page: Page; errors: string[] }> {
  // bypassCSP only where axe-core is added to the page.
  const context = await e2e.browser.newContext({
    viewport: { width: 1400, height: 900 },
    bypassCSP,
  });
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
  await page.goto(e2e.server.joinUrl ?? '');
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

/** Offers escape-host-pid then uts (moved up in the chooser), and runs preflight on both. */
async function offerAndPreflight(instructor: Page): Promise<void> {
  const rows = instructor.locator('li.offered-lab');
  await expect.poll(() => rows.count()).toBeGreaterThan(10);
  const count = await rows.count();
  for (let i = 0; i < count; i += 1) {
    const row = rows.nth(i);
    const id = (await row.getAttribute('data-lab')) ?? '';
    await row.locator('input.offer').setChecked(OFFER.includes(id));
  }
  const first = async () => rows.first().getAttribute('data-lab');
  for (let i = 0; i < 40 && (await first()) !== OFFER[0]; i += 1)
    await instructor.locator(`li.offered-lab[data-lab="${OFFER[0]}"] button.up`).click();
  await instructor.locator('button.save-offered').click();
  await expect
    .poll(() => instructor.locator('.control-status').innerText())
    .toContain(`offered 2 lab(s): ${OFFER.join(', ')}`);
  await instructor.locator('button.run-preflight').click();
  const result = (id: string) =>
    instructor.locator(`table.preflight tr[data-lab="${id}"] .verdict`);
  await expect.poll(() => result('uts').innerText(), { timeout: 120_000 }).toBe('ready');
  expect(await result('escape-host-pid').innerText()).toBe('unavailable');
  await expect.poll(() => instructor.locator('button.run-preflight').isEnabled()).toBe(true);
}

describe('the control room', () => {
  it('follows three learners live, watches one, broadcasts and resets', async () => {
    const { page: instructor, errors } = await newPage();
    await instructor.goto(e2e.server.loginUrl);
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
    await offerAndPreflight(instructor);
    await instructor.screenshot({ path: path.join(ARTIFACTS, 'control-room.png'), fullPage: true });
    await instructor
      .locator('.workshop-tools')
      .screenshot({ path: path.join(ARTIFACTS, 'control-room-workshop.png') });

    // The room as axe-core reads it, roster, watch panel and workshop tools included.
    const { page: audited } = await newPage(true);
    await audited.goto(e2e.server.loginUrl);
    await audited.locator('a.control-room-link').click();
    await expect.poll(() => rosterRow(audited, NAMES[2]).count()).toBe(1);
    expect(await seriousViolations(audited)).toEqual([]);

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

describe('who may use the control room', () => {
  it('refuses a learner (403) and a stranger (401), and hides other learners’ terminals (404)', async () => {
    const alice = await ApiClient.join(e2e.server.origin, e2e.server.config.joinCode);
    const bob = await ApiClient.join(e2e.server.origin, e2e.server.config.joinCode);
    const stranger = new ApiClient(e2e.server.origin);
    const session = await alice.startSession('uts');
    // Learners see the offered labs in the instructor's order, and start no other.
    expect((await bob.labs()).map((lab) => lab.id)).toEqual(OFFER);
    const refused = await bob.startSession('pid').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiRequestError);
    expect((refused as ApiRequestError).status).toBe(403);
    expect((refused as ApiRequestError).message).toMatch(/does not offer that lab/);
    for (const [client, expected] of [
      [bob, 403],
      [stranger, 401],
    ] as const) {
      expect(await statusOf(client.offeredLabs())).toBe(expected);
      expect(await statusOf(client.chooseLabs(['pid']))).toBe(expected);
      expect(await statusOf(client.preflight())).toBe(expected);
      expect(await statusOf(client.startPreflight())).toBe(expected);
      expect(await statusOf(client.exportProgress('csv'))).toBe(expected);
      expect(await statusOf(client.exportProgress('json'))).toBe(expected);
      expect(await statusOf(client.metrics())).toBe(expected);
      expect(await statusOf(client.roster())).toBe(expected);
      expect(await statusOf(client.broadcast('hello'))).toBe(expected);
      expect(await statusOf(client.controlReset(session.id))).toBe(expected);
      expect(await statusOf(client.controlEnd(session.id))).toBe(expected);
      const stream = await fetch(client.rosterStreamUrl, { headers: client.terminalAuth.headers });
      expect(stream.status).toBe(expected);
    }
    const asBob = { origin: e2e.server.origin, ...bob.terminalAuth.headers };
    expect(await upgradeStatus(bob.terminalUrl(session.id, 'isolated'), asBob)).toBe(404);
    expect(await upgradeStatus(bob.watchUrl(session.id, 'isolated'), asBob)).toBe(403);
    expect(
      await upgradeStatus(stranger.watchUrl(session.id, 'isolated'), { origin: e2e.server.origin }),
    ).toBe(401);
    // The instructor may watch it.
    const instructor = new ApiClient(e2e.server.origin, e2e.server.config.token);
    const asInstructor = { origin: e2e.server.origin, ...instructor.terminalAuth.headers };
    expect(await upgradeStatus(instructor.watchUrl(session.id, 'isolated'), asInstructor)).toBe(
      101,
    );
    expect(await statusOf(bob.setDisplayName('x'.repeat(41)))).toBe(400);
    expect((await bob.setDisplayName('Bob')).displayName).toBe('Bob');
    // Nothing a learner or stranger sent changed the offer.
    expect((await instructor.offeredLabs()).offered).toEqual(OFFER);
    // The instructor's export is a named download with every learner's exercise.
    const csv = await instructor.exportProgress('csv');
    expect(csv.headers.get('content-disposition')).toMatch(
      /^attachment; filename="nslab-progress-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(csv.text).toMatch(/^learner_id,display_name,lab,exercise,passed,/);
    expect(csv.text).toContain(',Ada L.,uts,own-namespace,true,false,1,0,');
    await alice.endSession(session.id);
  });
});
