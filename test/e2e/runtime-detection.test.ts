// The runtime-detection lab in real Chromium: the lesson's first Run block lists the
// workload's processes in the monitor (they share a PID namespace), and the odd process's
// disguise is there among them. Saves test/artifacts/runtime-detection.png.
import path from 'node:path';
import { expect, it } from 'vitest';
import { plantedValue } from '../../labs/runtime-detection/planted-process.ts';
import { launchChromium } from '../support/chromium.ts';
import { expectNothingLabelled, pageErrors, startLab, terminalText } from '../support/lab-page.ts';
import { startTestServer } from '../support/test-server.ts';

const ARTIFACTS = path.join(import.meta.dirname, '..', 'artifacts');
const INSTANCE = 'test-runtime-detection-page';

it('shows the workload from the monitor, the disguised process among its own', async () => {
  {
    await using server = await startTestServer(INSTANCE, 2_000, { pool: 'off' });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const errors = pageErrors(page);
      await startLab(page, server.server.loginUrl, 'runtime-detection');
      await expect.poll(() => terminalText(page, 'monitor')).toContain('root@monitor');
      await page.locator('.lesson .code-block:has(pre.runnable) button.run').first().click();
      await expect.poll(() => terminalText(page, 'monitor')).toContain('docker-init');
      const [session] = server.server.sessions.all();
      if (session === undefined) throw new Error('no session');
      const { argv0 } = plantedValue(session.token);
      await expect.poll(() => terminalText(page, 'monitor')).toContain(argv0.slice(0, 20));
      await page.screenshot({ path: path.join(ARTIFACTS, 'runtime-detection.png') });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }
  await expectNothingLabelled(INSTANCE);
}, 120_000);
