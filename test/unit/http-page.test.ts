// The page over HTTP: the token, its cookie, assets and security headers.
import { describe, expect, it } from 'vitest';
import { TOKEN_COOKIE } from '../../server/http/auth.ts';
import { INDEX_HTML, send, testWebDir, TOKEN, useTestApp } from './support/http-app-harness.ts';

useTestApp();

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

  it('answers /favicon.ico with the SVG icon, without a token, so a browser never gets 404', async () => {
    const reply = await send('/favicon.ico');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(reply.text).toContain('<svg');
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
    expect(reply.text).not.toContain(testWebDir());
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
