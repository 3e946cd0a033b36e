// Debian's Chromium driven by playwright-core: no browser download, no network chatter
// (the flags keep Chromium from calling home on a machine with no route out).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.NSLAB_CHROMIUM ?? '/usr/bin/chromium';

/**
 * WebGL is off unless asked for: xterm.js then draws with its DOM renderer, whose rows tests
 * read as text (`.xterm-rows`). The terminal test turns it on to test the WebGL renderer.
 */
export async function launchChromium(options: { webgl?: boolean } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium (server/setup/test.sh does).`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.webgl === true ? [] : ['--disable-webgl']),
    ],
  });
}
