// The API over HTTP: tokens, bodies, errors without stack traces.
import { describe, expect, it } from 'vitest';
import { TOKEN_COOKIE } from '../../server/http/auth.ts';
import type { LabSummary } from '../../server/protocol/api-types.ts';
import {
  apiError,
  authed,
  fakeSessions,
  postJson,
  send,
  TOKEN,
  useTestApp,
} from './support/http-app-harness.ts';

useTestApp();

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
      ['POST', '/api/sessions/AAAAAAAAAAAAAAAAAAAAAA/exercises/own-namespace/hint'],
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
