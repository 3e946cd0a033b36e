// The HTTP app of the unit tests: the real Express app on a loopback port, with a session
// manager that never reaches an engine; requests as a browser or an API client send them.
// Every body a test file receives is checked for stack traces when the file ends.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest';
import { labs } from '../../../labs/index.ts';
import { Catalogue } from '../../../server/catalogue/catalogue.ts';
import { AppError } from '../../../server/errors/app-error.ts';
import { relayed } from '../../../server/errors/server-message.ts';
import type { SessionFiles } from '../../../server/host/session-files.ts';
import { createApp } from '../../../server/http/app.ts';
import { Gate } from '../../../server/http/auth.ts';
import { log } from '../../../server/log.ts';
import type { ApiError } from '../../../server/protocol/api-types.ts';
import type { SessionManager } from '../../../server/sessions/session-manager.ts';
import { Progress } from '../../../server/store/progress.ts';
import { ProgressStore } from '../../../server/store/progress-store.ts';
import { TEST_FACTS } from './fake-check-context.ts';
import { workshopDeps } from './workshop-deps.ts';

export const TOKEN = 'unit-test-token-0123456789';
export const INDEX_HTML = '<!doctype html><title>nslab test page</title>';

/** Only what the routes under test reach: creating fails, and no session ever exists. */
export const fakeSessions = {
  create: vi.fn((_labId: string): never => {
    throw new Error(
      'fake session manager: no engine in unit tests (at /srv/nslab/server/x.ts:1:1)',
    );
  }),
  get: vi.fn((_id: string): never => {
    throw new AppError(
      'not_found',
      relayed('no_such_session', {
        en: 'This session has ended or never existed.',
        zh: '这个会话已经结束，或者从未存在。',
      }),
    );
  }),
};

/** No route under test may reach the engine: any use of the client fails the request loudly. */
const unreachableFiles = new Proxy(
  {},
  {
    get(_target, property) {
      throw new Error(`unit test reached SessionFiles.${String(property)}`);
    },
  },
) as unknown as SessionFiles;

let server: Server;
let base: string;
let webDir: string;
const bodies: string[] = [];

interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

export async function send(pathname: string, init: RequestInit = {}): Promise<Reply> {
  const response = await fetch(`${base}${pathname}`, { redirect: 'manual', ...init });
  const text = await response.text();
  bodies.push(text);
  return { status: response.status, headers: response.headers, text };
}

export function authed(init: RequestInit = {}): RequestInit {
  return {
    ...init,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(init.headers as Record<string, string> | undefined),
    },
  };
}

export function postJson(body: string): RequestInit {
  return authed({ method: 'POST', body, headers: { 'content-type': 'application/json' } });
}

export function apiError(reply: Reply): ApiError['error'] {
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
  return (JSON.parse(reply.text) as ApiError).error;
}

export function expectNoStackTrace(text: string): void {
  expect(text.includes('at ') && text.includes('.ts:')).toBe(false);
  expect(text).not.toMatch(/\n\s+at /);
}

/** Where the app serves its page from (a temporary directory). */
export function testWebDir(): string {
  return webDir;
}

/** Starts the app before the file's tests and checks every body received after them. */
export function useTestApp(): void {
  beforeAll(async () => {
    webDir = mkdtempSync(path.join(tmpdir(), 'nslab-web-'));
    writeFileSync(path.join(webDir, 'index.html'), INDEX_HTML);
    mkdirSync(path.join(webDir, 'assets'));
    writeFileSync(path.join(webDir, 'assets', 'app.js'), 'console.log("nslab");');
    writeFileSync(
      path.join(webDir, 'assets', 'favicon.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg"/>',
    );
    const catalogue = new Catalogue(labs, path.resolve(import.meta.dirname, '../../../content'));
    const store = ProgressStore.open(path.join(webDir, 'progress.db'));
    const { offered, preflight } = workshopDeps(catalogue, store);
    const app = createApp({
      token: TOKEN,
      gate: new Gate({ token: TOKEN, mode: 'solo', joinCode: 'unused-join' }),
      graceMs: 30_000,
      catalogue,
      sessions: fakeSessions as unknown as SessionManager,
      files: unreachableFiles,
      resetHost: () => Promise.reject(new Error('unit test reached resetHost')),
      facts: TEST_FACTS,
      webDir,
      progress: new Progress(
        store,
        catalogue,
        () => true,
        () => offered.ids(),
      ),
      offered,
      preflight,
    });
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
    rmSync(webDir, { recursive: true, force: true });
    // Every body this file received, on every path, must be free of stack traces.
    expect(bodies.length).toBeGreaterThan(10);
    for (const body of bodies) expectNoStackTrace(body);
  });

  beforeEach(() => {
    // Unexpected errors are logged with their stacks on purpose; keep the test output clean.
    vi.spyOn(log, 'error').mockImplementation(() => undefined);
    vi.spyOn(log, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    vi.restoreAllMocks();
    fakeSessions.create.mockClear();
    fakeSessions.get.mockClear();
  });
}
