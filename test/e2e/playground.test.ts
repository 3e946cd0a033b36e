// The profile playground in real Chromium: start the lab, read the score of Docker's
// defaults, compose a hardened profile in the form, start it, and read what the page says
// now: the docker run line, the score, the inspector of the new container, two probes.
// Saves screenshots of the playground before and after (test/artifacts/playground*.png), and
// of the same in Chinese (playground-zh*.png).
import path from 'node:path';
import Dockerode from 'dockerode';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.ts';
import { ARTIFACTS, e2eRig } from '../support/e2e-rig.ts';
import { labelled } from '../support/test-server.ts';

const INSTANCE = 'test-play-e2e';

const e2e = e2eRig(INSTANCE, { config: { pool: 'off' }, expectNothingLeft: true });

const playground = (page: Page) => page.locator('section.playground');

async function connected(page: Page): Promise<void> {
  await expect
    .poll(() => page.locator('#session-status').textContent(), { timeout: 20_000 })
    .toBe('Connected');
}

async function probe(page: Page, id: string): Promise<string> {
  await playground(page).locator(`button.probe[data-probe="${id}"]`).click();
  const result = playground(page).locator(
    `.probe-row:has(button[data-probe="${id}"]) .probe-result`,
  );
  await expect
    .poll(() => result.getAttribute('class'), { timeout: 20_000 })
    .toMatch(/succeeded|blocked/);
  return result.innerText();
}

describe('the profile playground in a real browser', () => {
  it('builds a profile, starts it, and shows its docker run, score, inspector and probes', async () => {
    // bypassCSP: only so the test can add axe-core to the page.
    const context = await e2e.browser.newContext({
      viewport: { width: 1500, height: 1000 },
      bypassCSP: true,
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(e2e.server.loginUrl);
    await page.locator('.lab-card[data-lab="playground"] button.start').click();
    await connected(page);

    // Docker's defaults: 5.13 and 5.26 warn, and the inspector is open on the container.
    const total = playground(page).locator('.score-total');
    await expect.poll(() => total.innerText(), { timeout: 15_000 }).toBe('15/17 pass');
    const warned = await playground(page).locator('li.bench.warn').all();
    expect(await Promise.all(warned.map((w) => w.getAttribute('data-check')))).toEqual([
      '5.13',
      '5.26',
    ]);
    await expect
      .poll(() => page.locator('#inspector-panel .inspector-body').getAttribute('data-container'))
      .toBe('playground');
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-start.png') });

    // Compose: drop ALL, read-only root, no-new-privileges, user nobody, 64 MiB.
    const form = playground(page).locator('form.pg-form');
    await form.locator('input[name="capDrop"][value="ALL"]').check();
    await form.locator('input[name="readOnly"]').check();
    await form.locator('input[name="noNewPrivileges"]').check();
    await form.locator('select[name="user"]').selectOption('nobody');
    await form.locator('input[name="memoryMb"]').fill('64');
    const before = (await labelled(new Dockerode(), INSTANCE)).map((c) => c.Id);
    await playground(page).locator('button.pg-start').click();

    // The page reopens the lab on the new container.
    await expect.poll(() => total.innerText(), { timeout: 20_000 }).toBe('17/17 pass');
    await connected(page);
    const run = await playground(page).locator('pre.pg-docker-run').innerText();
    for (const flag of [
      '--user 65534:65534',
      '--cap-drop ALL',
      '--security-opt no-new-privileges',
      '--read-only',
      '--tmpfs /tmp',
      '--memory 64m',
      'playground-2',
    ])
      expect(run).toContain(flag);
    // The page moves on the old terminal's "replaced", while the server is still removing it.
    const containers = async (): Promise<string[]> =>
      (await labelled(new Dockerode(), INSTANCE)).map((c) => c.Id);
    await expect.poll(async () => (await containers()).length, { timeout: 15_000 }).toBe(1);
    const after = await containers();
    expect(before).not.toContain(after[0]);

    // The inspector reads the new container: no capabilities left, and read-only.
    const inspector = page.locator('#inspector-panel');
    await expect
      .poll(() => inspector.locator('.cap.dropped').count(), { timeout: 15_000 })
      .toBeGreaterThan(10);
    expect(await inspector.innerText()).toMatch(/read-only/i);

    // Probes: what stopped what, said from the profile.
    expect(await probe(page, 'chown')).toMatch(/Blocked[\s\S]*user nobody/);
    expect(await probe(page, 'write-root')).toMatch(/Blocked[\s\S]*(read-only|user nobody)/);
    expect(await probe(page, 'host-processes')).toMatch(/Blocked[\s\S]*private PID namespace/);

    // A refused profile: the page shows the server's reason and no container appears.
    await form.locator('input[name="pidsLimit"]').fill('5000');
    await playground(page).locator('button.pg-start').click();
    await expect
      .poll(() => playground(page).locator('.pg-error').innerText())
      .toMatch(/Field "pidsLimit" must be from 16 to 512/);
    expect((await labelled(new Dockerode(), INSTANCE)).map((c) => c.Id)).toEqual(after);

    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-hardened.png') });
    await playground(page).locator('.pg-score').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-score.png') });
    await playground(page).locator('.pg-probes').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-probes.png') });

    // Solo mode: the host's PID namespace and SYS_PTRACE are allowed, and scored as warnings.
    await form.locator('input[name="pidsLimit"]').fill('128');
    await form.locator('input[name="share"][value="pid"]').check();
    await form.locator('input[name="capAdd"][value="SYS_PTRACE"]').check();
    await playground(page).locator('button.pg-start').click();
    await expect.poll(() => total.innerText(), { timeout: 20_000 }).toBe('15/17 pass');
    await connected(page);
    const escapeProne = await playground(page).locator('li.bench.warn').all();
    expect(await Promise.all(escapeProne.map((w) => w.getAttribute('data-check')))).toEqual([
      '5.4',
      '5.16',
    ]);
    expect(await probe(page, 'host-processes')).toMatch(/It worked[\s\S]*dockerd/);
    await playground(page).locator('.pg-probes').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-escape-prone.png') });
    // Readable without sight or colour: no serious or critical axe-core violation.
    expect(await seriousViolations(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.locator('button.end').click();
    await context.close();
  }, 120_000);

  it('reads in Chinese: the form, the score, the probes and what stopped them', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 1500, height: 1000 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(e2e.server.loginUrl);
    await page.locator('.lang-choice[data-lang="zh"]').click();
    await expect.poll(() => page.locator('.catalogue h1').textContent()).toBe('选一个实验');
    await page.locator('.lab-card[data-lab="playground"] button.start').click();
    await expect
      .poll(() => page.locator('#session-status').textContent(), { timeout: 20_000 })
      .toBe('已连接');

    const total = playground(page).locator('.score-total');
    await expect.poll(() => total.innerText(), { timeout: 15_000 }).toBe('15/17 通过');
    expect(await playground(page).locator('h2').innerText()).toBe('你的配置');
    expect(await playground(page).locator('li.bench[data-check="5.13"]').innerText()).toMatch(
      /警告[\s\S]*根文件系统/,
    );
    const form = playground(page).locator('form.pg-form');
    await form.locator('input[name="readOnly"]').check();
    await form.locator('input[name="noNewPrivileges"]').check();
    await playground(page).locator('button.pg-start').click();
    await expect.poll(() => total.innerText(), { timeout: 20_000 }).toBe('17/17 通过');
    expect(await probe(page, 'write-root')).toMatch(/被挡住了[\s\S]*只读根文件系统/);
    expect(await probe(page, 'host-processes')).toMatch(/被挡住了[\s\S]*私有的 PID 命名空间/);

    // No English words left in the panel but flags, ids, commands and what the probes printed.
    const skipped = await playground(page).locator('pre, code').allInnerTexts();
    const words = skipped.reduce(
      (text, part) => text.replace(part, ' '),
      await playground(page).innerText(),
    );
    // Two or more words in a row with lower-case letters: capability names are upper case.
    const word = '[A-Za-z]*[a-z]{2,}[A-Za-z]*';
    const english = words.match(new RegExp(`\\b${word}(?: ${word})+\\b`, 'g')) ?? [];
    expect(english.filter((w) => !/docker|seccomp|cgroup|root nobody/i.test(w))).toEqual([]);

    await playground(page).locator('h2').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-zh.png') });
    await playground(page).locator('.pg-score').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-zh-score.png') });
    await playground(page).locator('.pg-probes').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-zh-probes.png') });
    expect(pageErrors).toEqual([]);
    await page.locator('button.end').click();
    await context.close();
  }, 120_000);
});
