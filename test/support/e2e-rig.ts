// What every e2e file starts before its tests and stops after them: a real nslab server under
// the file's own instance label (test-server.ts) and Debian's Chromium. Vitest runs afterAll
// hooks in reverse order (sequence.hooks 'stack'): a file's own afterAll registered after
// e2eRig runs before the browser closes, one registered before it runs after the server stopped.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { ServerConfig } from '../../server/config.ts';
import type { NslabServer } from '../../server/nslab-server.ts';
import { ApiClient } from '../../server/protocol/api-client.ts';
import { launchChromium } from './chromium.ts';
import { expectNothingLabelled } from './lab-page.ts';
import { startTestServer, type TestServer } from './test-server.ts';

/** Where e2e tests save screenshots for a person to look at. */
export const ARTIFACTS = path.join(import.meta.dirname, '..', 'artifacts');

export interface E2eOptions {
  /** How long a closed page's session lives on; 2 s unless a test needs longer. */
  graceMs?: number;
  /** More server configuration; a function when it needs what an earlier beforeAll made. */
  config?: Partial<ServerConfig> | (() => Partial<ServerConfig>);
  /** WebGL on in Chromium (the terminal test's renderer check). */
  webgl?: boolean;
  /** After the server stopped, wait for the engine and expect nothing of the instance left. */
  expectNothingLeft?: boolean;
  /** Runs after the browser closed, while the server still answers. */
  beforeStop?: (rig: E2eRig) => Promise<unknown>;
}

/** The file's server, its instructor's API client and the browser, once beforeAll has run. */
export interface E2eRig {
  readonly server: NslabServer;
  readonly api: ApiClient;
  readonly browser: Browser;
}

function started<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the e2e rig is used before its beforeAll ran');
  return value;
}

/** Registers the file's beforeAll and afterAll; returns what the tests use. */
export function e2eRig(instance: string, options: E2eOptions = {}): E2eRig {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const rig: E2eRig = {
    get server() {
      return started(server).server;
    },
    get api() {
      return started(server).api;
    },
    get browser() {
      return started(browser);
    },
  };
  beforeAll(async () => {
    const { config } = options;
    server = await startTestServer(
      instance,
      options.graceMs ?? 2_000,
      typeof config === 'function' ? config() : config,
    );
    browser = await launchChromium({ webgl: options.webgl });
    await mkdir(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    if (server !== undefined) {
      await options.beforeStop?.(rig);
      await server[Symbol.asyncDispose]();
    }
    if (options.expectNothingLeft === true) await expectNothingLabelled(instance);
  });
  return rig;
}

/** The API as the learner a browser context is (its signed cookie), for work done beside the page. */
export async function learnerApi(rig: E2eRig, context: BrowserContext): Promise<ApiClient> {
  const cookie = (await context.cookies()).find((c) => c.name === 'nslab_learner');
  if (cookie === undefined) throw new Error('the page set no learner cookie');
  return new ApiClient(
    rig.server.origin,
    rig.api.token,
    undefined,
    `nslab_learner=${cookie.value}`,
  );
}
