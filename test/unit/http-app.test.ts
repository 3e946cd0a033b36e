import { Progress } from '../../server/store/progress.ts';
import { ProgressStore } from '../../server/store/progress-store.ts';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { labs } from '../../labs/index.ts';
import type { SessionFiles } from '../../server/host/session-files.ts';
import { AppError } from '../../server/errors/app-error.ts';
import { createApp } from '../../server/http/app.ts';
import { Gate, TOKEN_COOKIE } from '../../server/http/auth.ts';
import { TEST_FACTS } from './support/fake-check-context.ts';
import { Catalogue } from '../../server/catalogue/catalogue.ts';
import { log } from '../../server/log.ts';
import type { ApiError, LabSummary } from '../../server/protocol/api-types.ts';
import type { SessionManager } from '../../server/sessions/session-manager.ts';

const TOKEN = 'unit-test-token-0123456789';
const INDEX_HTML = '<!doctype html><title>nslab test page</title>';

/** Only what the routes under test reach: creating fails, and no session ever exists. */
const fakeSessions = {
  create: vi.fn((_labId: string): never => {
    throw new Error(
      'fake session manager: no engine in unit tests (at /srv/nslab/server/x.ts:1:1)',
    );
  }),
  get: vi.fn((_id: string): never => {
    throw new AppError('not_found', 'This session has ended or never existed.');
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

async function send(pathname: string, init: RequestInit = {}): Promise<Reply> {
  const response = await fetch(`${base}${pathname}`, { redirect: 'manual', ...init });
  const text = await response.text();
  bodies.push(text);
  return { status: response.status, headers: response.headers, text };
}

function authed(init: RequestInit = {}): RequestInit {
  return {
    ...init,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(init.headers as Record<string, string> | undefined),
    },
  };
}

function postJson(body: string): RequestInit {
  return authed({ method: 'POST', body, headers: { 'content-type': 'application/json' } });
}

function apiError(reply: Reply): ApiError['error'] {
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
  return (JSON.parse(reply.text) as ApiError).error;
}

function expectNoStackTrace(text: string): void {
  expect(text.includes('at ') && text.includes('.ts:')).toBe(false);
  expect(text).not.toMatch(/\n\s+at /);
}

beforeAll(async () => {
  webDir = mkdtempSync(path.join(tmpdir(), 'nslab-web-'));
  writeFileSync(path.join(webDir, 'index.html'), INDEX_HTML);
  mkdirSync(path.join(webDir, 'assets'));
  writeFileSync(path.join(webDir, 'assets', 'app.js'), 'console.log("nslab");');
  const catalogue = new Catalogue(labs, path.resolve(import.meta.dirname, '../../content'));
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
      ProgressStore.open(path.join(webDir, 'progress.db')),
      catalogue,
      () => true,
    ),
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

describe('the page', () => {
  it('answers 401 with an HTML explanation without a token', async () => {
    const reply = await send('/');
    expect(reply.status).toBe(401);
    expect(reply.headers.get('content-type')).toMatch(/^text\/html/);
    expect(reply.text).toContain('token');
    expect(reply.text).not.toContain(INDEX_HTML);
  });

  it('answers 401 for a wrong ?token= and sets no cookie', async () => {
    const reply = await send('/?token=wrong');
    expect(reply.status).toBe(401);
    expect(reply.headers.get('set-cookie')).toBeNull();
  });

  it('answers 401 for a token of the right length but wrong value', async () => {
    const reply = await send(`/?token=${'x'.repeat(TOKEN.length)}`);
    expect(reply.status).toBe(401);
  });

  it('redirects a right ?token= to a clean URL with an HttpOnly, SameSite=Strict cookie', async () => {
    const reply = await send(`/?token=${TOKEN}`);
    expect(reply.status).toBe(302);
    expect(reply.headers.get('location')).toBe('/');
    const cookie = reply.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`${TOKEN_COOKIE}=${TOKEN}`);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Strict/i);
  });

  it('serves the page to a browser that holds the cookie', async () => {
    const reply = await send('/', { headers: { cookie: `${TOKEN_COOKIE}=${TOKEN}` } });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(INDEX_HTML);
  });

  it('opens nothing with a ?join= code in solo mode', async () => {
    const reply = await send('/?join=unused-join');
    expect(reply.status).toBe(401);
    expect(reply.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a wrong cookie', async () => {
    const reply = await send('/', { headers: { cookie: `${TOKEN_COOKIE}=wrong` } });
    expect(reply.status).toBe(401);
  });

  it('serves assets', async () => {
    const reply = await send('/assets/app.js');
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('nslab');
  });

  // KNOWN BUG (error-handler.ts): errors from express.static (http-errors with status 404/400,
  // no body-parser `type`) are not AppErrors, so they become 500 "internal" and are logged
  // at ERROR with a stack. A stale or mistyped asset URL should be a 404. Change `it.fails`
  // to `it` once fixed.
  it('answers 404 for a missing asset', async () => {
    const reply = await send('/assets/missing.js');
    expect(reply.status).toBe(404);
  });

  it('never leaks details for a missing asset', async () => {
    const reply = await send('/assets/missing.js');
    expect(reply.status).toBeLessThan(600);
    expect(reply.text).not.toContain(webDir);
    expect(reply.text).not.toContain('ENOENT');
  });

  it('sends security headers', async () => {
    for (const pathname of ['/', `/?token=${TOKEN}`, '/api/labs']) {
      const reply = await send(pathname);
      const csp = reply.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
      expect(reply.headers.get('x-powered-by')).toBeNull();
    }
  });
});

describe('the API', () => {
  it('answers 401 JSON without a token', async () => {
    const reply = await send('/api/labs');
    expect(reply.status).toBe(401);
    expect(apiError(reply)).toMatchObject({ code: 'unauthorized' });
  });

  it('answers 401 JSON for a wrong bearer token', async () => {
    const reply = await send('/api/labs', { headers: { authorization: 'Bearer wrong' } });
    expect(reply.status).toBe(401);
    expect(apiError(reply).code).toBe('unauthorized');
  });

  it('checks the token before reading the body', async () => {
    const reply = await send('/api/sessions', {
      method: 'POST',
      body: '{not json',
      headers: { 'content-type': 'application/json' },
    });
    expect(reply.status).toBe(401);
  });

  it('lists the labs with a bearer token', async () => {
    const reply = await send('/api/labs', authed());
    expect(reply.status).toBe(200);
    const list = JSON.parse(reply.text) as LabSummary[];
    expect(list.map((lab) => lab.id)).toContain('uts');
    // Summaries only: no checks, hints or solutions reach the browser.
    expect(reply.text).not.toContain('hints');
    expect(reply.text).not.toContain('solution');
  });

  it('lists the labs with the cookie', async () => {
    const reply = await send('/api/labs', { headers: { cookie: `${TOKEN_COOKIE}=${TOKEN}` } });
    expect(reply.status).toBe(200);
  });

  it('answers 404 for a lab id that is a path', async () => {
    const reply = await send('/api/sessions', postJson(JSON.stringify({ labId: '../etc' })));
    expect(reply.status).toBe(404);
    expect(apiError(reply).code).toBe('not_found');
    expect(fakeSessions.create).not.toHaveBeenCalled();
  });

  it('answers 400 for a lab id that is not a string', async () => {
    const reply = await send('/api/sessions', postJson(JSON.stringify({ labId: 5 })));
    expect(reply.status).toBe(400);
    expect(apiError(reply)).toMatchObject({ code: 'bad_request' });
    expect(fakeSessions.create).not.toHaveBeenCalled();
  });

  it('answers 400 for a missing lab id', async () => {
    const reply = await send('/api/sessions', postJson('{}'));
    expect(reply.status).toBe(400);
    expect(apiError(reply).message).toMatch(/labId/);
  });

  it('answers 400 "Unexpected field" for any field beyond labId', async () => {
    const reply = await send(
      '/api/sessions',
      postJson(JSON.stringify({ labId: 'uts', image: 'alpine' })),
    );
    expect(reply.status).toBe(400);
    expect(apiError(reply).message).toContain('Unexpected field');
    expect(fakeSessions.create).not.toHaveBeenCalled();
  });

  it.each([
    ['an array', '["uts"]'],
    ['null', 'null'],
    ['a __proto__ field', '{"labId":"uts","__proto__":{"image":"alpine"}}'],
  ])('answers 400 for %s as the body', async (_label, body) => {
    const reply = await send('/api/sessions', postJson(body));
    expect(reply.status).toBe(400);
    expect(apiError(reply).code).toBe('bad_request');
    expect(fakeSessions.create).not.toHaveBeenCalled();
  });

  it('answers 400 for a body that is not JSON', async () => {
    const reply = await send('/api/sessions', postJson('{labId: uts'));
    expect(reply.status).toBe(400);
    expect(apiError(reply)).toMatchObject({ code: 'bad_request' });
  });

  it('answers 413 for a 20 KB body', async () => {
    const reply = await send(
      '/api/sessions',
      postJson(JSON.stringify({ labId: 'x'.repeat(20 * 1024) })),
    );
    expect(reply.status).toBe(413);
    expect(apiError(reply).code).toBe('payload_too_large');
    expect(fakeSessions.create).not.toHaveBeenCalled();
  });

  it('answers 500 with a generic message when starting a lab fails unexpectedly', async () => {
    const reply = await send('/api/sessions', postJson(JSON.stringify({ labId: 'uts' })));
    expect(fakeSessions.create).toHaveBeenCalledWith('uts', 'solo-learner');
    expect(reply.status).toBe(500);
    const error = apiError(reply);
    expect(error.code).toBe('internal');
    expect(reply.text).not.toContain('fake session manager');
    expect(reply.text).not.toContain('/srv/nslab');
  });

  it('answers 404 JSON for a session that does not exist', async () => {
    for (const [method, pathname] of [
      ['GET', '/api/sessions/AAAAAAAAAAAAAAAAAAAAAA'],
      ['DELETE', '/api/sessions/AAAAAAAAAAAAAAAAAAAAAA'],
      ['POST', '/api/sessions/AAAAAAAAAAAAAAAAAAAAAA/exercises/own-namespace/check'],
    ] as const) {
      const reply = await send(
        pathname,
        authed({
          method,
          ...(method === 'POST'
            ? { body: '{"answer":"x"}', headers: { 'content-type': 'application/json' } }
            : {}),
        }),
      );
      expect(reply.status, `${method} ${pathname}`).toBe(404);
      expect(apiError(reply).code).toBe('not_found');
    }
  });

  it('answers 404 JSON for an unknown API route', async () => {
    const reply = await send('/api/nope', authed());
    expect(reply.status).toBe(404);
    expect(apiError(reply).code).toBe('not_found');
  });

  it('answers 404 for an unknown page', async () => {
    const reply = await send('/etc/passwd');
    expect(reply.status).toBe(404);
  });
});
