// The route table and the one API client: paths built from the table, matched against it,
// and requests the client sends for the page (cookie, same origin) and for scripts (token).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiRequestError } from '../../server/protocol/api-client.ts';
import {
  API_ROUTES,
  apiPath,
  matchApiPath,
  pagePath,
  rawApiPath,
} from '../../server/protocol/routes.ts';

const SESSION = 'AbCdEfGhIjKlMnOpQrStUv';

describe('routes', () => {
  it('builds API paths from the table, one encoded segment per parameter', () => {
    expect(apiPath('labs')).toBe('/api/labs');
    expect(apiPath('check', { sessionId: SESSION, exerciseId: 'own-namespace' })).toBe(
      `/api/sessions/${SESSION}/exercises/own-namespace/check`,
    );
    expect(apiPath('terminal', { sessionId: '../x', terminal: 'a b' })).toBe(
      '/api/sessions/..%2Fx/terminals/a%20b',
    );
    expect(rawApiPath('session', { sessionId: '../labs' })).toBe('/api/sessions/../labs');
  });

  it('matches the terminal path and nothing around it', () => {
    const path = apiPath('terminal', { sessionId: SESSION, terminal: 'isolated' });
    expect(matchApiPath('terminal', path)).toEqual({ sessionId: SESSION, terminal: 'isolated' });
    expect(matchApiPath('terminal', `${path}/more`)).toBeUndefined();
    expect(matchApiPath('terminal', `/x${path}`)).toBeUndefined();
    expect(matchApiPath('terminal', `/api/sessions/${SESSION}/terminals/`)).toBeUndefined();
  });

  it('gives every route a distinct method and template', () => {
    const keys = Object.values(API_ROUTES).map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('puts the token or the join code in the page address', () => {
    expect(pagePath()).toBe('/');
    expect(pagePath({ join: 'a b&c' })).toBe('/?join=a%20b%26c');
    expect(pagePath({ token: 't0k' })).toBe('/?token=t0k');
  });
});

describe('ApiClient', () => {
  afterEach(() => vi.unstubAllGlobals());

  function stubFetch(status: number, body: string): ReturnType<typeof vi.fn> {
    const fetch = vi.fn(() => Promise.resolve(new Response(body === '' ? null : body, { status })));
    vi.stubGlobal('fetch', fetch);
    return fetch;
  }

  it('sends the token as a bearer header and the method from the table', async () => {
    const fetch = stubFetch(200, '{"exerciseId":"x","passed":true,"reason":"ok"}');
    const api = new ApiClient('http://127.0.0.1:9', 'tok', 'learner-1');
    await expect(api.check(SESSION, 'x', '42')).resolves.toMatchObject({ passed: true });
    expect(fetch).toHaveBeenCalledWith(
      `http://127.0.0.1:9/api/sessions/${SESSION}/exercises/x/check`,
      expect.objectContaining({
        method: 'POST',
        body: '{"answer":"42"}',
        headers: {
          authorization: 'Bearer tok',
          'x-nslab-learner': 'learner-1',
          'content-type': 'application/json',
        },
      }),
    );
  });

  it('sends no credentials of its own for the page, which has its cookie', async () => {
    const fetch = stubFetch(204, '');
    await expect(new ApiClient('https://lab.example').endSession(SESSION)).resolves.toBe(undefined);
    expect(fetch).toHaveBeenCalledWith(
      `https://lab.example/api/sessions/${SESSION}`,
      expect.objectContaining({ method: 'DELETE', credentials: 'same-origin', headers: {} }),
    );
  });

  it("throws the server's message with the status, or says the status", async () => {
    stubFetch(409, '{"error":{"code":"conflict","message":"Not now."}}');
    const api = new ApiClient('http://127.0.0.1:9', 'tok');
    await expect(api.labs()).rejects.toMatchObject({ status: 409, message: 'Not now.' });
    stubFetch(502, '<html>bad gateway</html>');
    const error: unknown = await api.labs().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ status: 502, message: 'The server answered 502.' });
  });

  it('turns the origin into the terminal WebSocket address', () => {
    expect(new ApiClient('https://lab.example').terminalUrl(SESSION, 'isolated')).toBe(
      `wss://lab.example/api/sessions/${SESSION}/terminals/isolated`,
    );
    expect(new ApiClient('http://127.0.0.1:8080').terminalUrl(SESSION, 'host-uts')).toBe(
      `ws://127.0.0.1:8080/api/sessions/${SESSION}/terminals/host-uts`,
    );
  });
});
