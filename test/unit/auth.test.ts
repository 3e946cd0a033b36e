import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  Gate,
  LEARNER_COOKIE,
  SOLO_LEARNER,
  originAllowed,
  parseCookies,
  requestToken,
  TOKEN_COOKIE,
  tokenCookie,
  tokensEqual,
} from '../../server/http/auth.ts';

function request(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

describe('tokensEqual', () => {
  it('accepts the same token', () => {
    expect(tokensEqual('s3cret-token', 's3cret-token')).toBe(true);
  });

  it('rejects a different token of the same length', () => {
    expect(tokensEqual('s3cret-tokeN', 's3cret-token')).toBe(false);
  });

  it('rejects different lengths without throwing', () => {
    expect(tokensEqual('s3cret', 's3cret-token')).toBe(false);
    expect(tokensEqual('s3cret-token-and-more', 's3cret-token')).toBe(false);
    expect(tokensEqual('', 's3cret-token')).toBe(false);
  });

  it('rejects a missing candidate', () => {
    expect(tokensEqual(undefined, 's3cret-token')).toBe(false);
  });

  it('compares bytes, so same-length strings with different UTF-8 lengths do not throw', () => {
    expect(() => tokensEqual('ééé', 'abc')).not.toThrow();
    expect(tokensEqual('ééé', 'abc')).toBe(false);
    expect(tokensEqual('é', 'Ã©')).toBe(false);
  });
});

describe('parseCookies', () => {
  it('parses several cookies and decodes values', () => {
    const cookies = parseCookies('a=1; nslab_token=ab%2Bcd%3D; other = x y ');
    expect(cookies.get('a')).toBe('1');
    expect(cookies.get(TOKEN_COOKIE)).toBe('ab+cd=');
    expect(cookies.get('other')).toBe('x y');
  });

  it('keeps "=" inside values', () => {
    expect(parseCookies('t=a=b=c').get('t')).toBe('a=b=c');
  });

  it('ignores a malformed %-encoding but keeps the other cookies', () => {
    const cookies = parseCookies('bad=%E0%A4%A; nslab_token=good; worse=%');
    expect(cookies.has('bad')).toBe(false);
    expect(cookies.has('worse')).toBe(false);
    expect(cookies.get(TOKEN_COOKIE)).toBe('good');
  });

  it('ignores parts without a name or without "="', () => {
    const cookies = parseCookies('=nameless; flag; ;;');
    expect(cookies.size).toBe(0);
  });

  it('handles a missing header', () => {
    expect(parseCookies(undefined).size).toBe(0);
    expect(parseCookies('').size).toBe(0);
  });
});

describe('requestToken and the token holder', () => {
  const gate = new Gate({ token: 'tok', mode: 'solo', joinCode: 'join-code' });

  it('reads a bearer token', () => {
    const req = request({ authorization: 'Bearer tok' });
    expect(requestToken(req)).toBe('tok');
    expect(gate.access(req)).toEqual({ learner: SOLO_LEARNER, instructor: true });
  });

  it('reads the token cookie', () => {
    const req = request({ cookie: `x=1; ${TOKEN_COOKIE}=tok` });
    expect(gate.access(req)?.instructor).toBe(true);
  });

  it('refuses a request without a token, with a wrong one, or with another scheme', () => {
    expect(gate.access(request({}))).toBeUndefined();
    expect(gate.access(request({ authorization: 'Bearer nope' }))).toBeUndefined();
    expect(gate.access(request({ authorization: 'Basic tok' }))).toBeUndefined();
    expect(gate.access(request({ cookie: 'other_cookie=tok' }))).toBeUndefined();
  });
});

describe('Gate: learners', () => {
  const workshop = new Gate({ token: 'tok', mode: 'workshop', joinCode: 'join-code' });
  const solo = new Gate({ token: 'tok', mode: 'solo', joinCode: 'join-code' });
  const cookieOf = (gate: Gate, learner: string): string =>
    gate.learnerCookie(learner).split(';')[0] ?? '';

  it('lets a workshop learner in with a signed cookie only, as that learner and not instructor', () => {
    const cookie = cookieOf(workshop, 'learner-aaaa');
    expect(workshop.access(request({ cookie }))).toEqual({
      learner: 'learner-aaaa',
      instructor: false,
    });
    // In solo mode the same cookie without the token opens nothing.
    expect(solo.access(request({ cookie: cookieOf(solo, 'learner-aaaa') }))).toBeUndefined();
  });

  it('refuses a forged, unsigned or re-signed learner cookie', () => {
    const [, signature] = cookieOf(workshop, 'learner-aaaa').split('.');
    for (const cookie of [
      `${LEARNER_COOKIE}=learner-bbbb.${signature ?? ''}`,
      `${LEARNER_COOKIE}=learner-bbbb`,
      `${LEARNER_COOKIE}=learner-bbbb.`,
      `${LEARNER_COOKIE}=.${signature ?? ''}`,
      cookieOf(new Gate({ token: 'other', mode: 'workshop', joinCode: 'x' }), 'learner-bbbb'),
    ]) {
      expect(workshop.access(request({ cookie }))).toBeUndefined();
    }
  });

  it('honours X-Nslab-Learner only next to the token', () => {
    const cookie = cookieOf(workshop, 'learner-aaaa');
    expect(workshop.access(request({ cookie, 'x-nslab-learner': 'learner-bbbb' }))?.learner).toBe(
      'learner-aaaa',
    );
    expect(
      workshop.access(request({ authorization: 'Bearer tok', 'x-nslab-learner': 'learner-bbbb' })),
    ).toEqual({ learner: 'learner-bbbb', instructor: true });
  });

  it('matches the join code in workshop mode only', () => {
    expect(workshop.joinCodeMatches('join-code')).toBe(true);
    expect(workshop.joinCodeMatches('join-cod')).toBe(false);
    expect(workshop.joinCodeMatches(undefined)).toBe(false);
    expect(solo.joinCodeMatches('join-code')).toBe(false);
  });
});

describe('originAllowed', () => {
  const allowed = ['http://127.0.0.1:8080', 'http://localhost:8080'];

  it('allows a listed origin', () => {
    expect(originAllowed('http://localhost:8080', allowed)).toBe(true);
  });

  it.each([
    undefined,
    '',
    'null',
    'http://evil.example',
    'http://localhost:8081',
    'https://localhost:8080',
    'http://localhost:8080.evil.example',
    'http://LOCALHOST:8080x',
  ])('refuses %j', (origin) => {
    expect(originAllowed(origin, allowed)).toBe(false);
  });

  it('refuses everything when the list is empty', () => {
    expect(originAllowed('http://127.0.0.1:8080', [])).toBe(false);
  });
});

describe('tokenCookie', () => {
  it('is HttpOnly, SameSite=Strict and scoped to the whole site', () => {
    const cookie = tokenCookie('tok');
    const attributes = cookie.split(';').map((part) => part.trim());
    expect(attributes[0]).toBe(`${TOKEN_COOKIE}=tok`);
    expect(attributes).toContain('HttpOnly');
    expect(attributes).toContain('SameSite=Strict');
    expect(attributes).toContain('Path=/');
  });

  it('encodes the token so it cannot add attributes, and round-trips through parseCookies', () => {
    const token = 'a;b=c; Domain=evil.example';
    const cookie = tokenCookie(token);
    expect(cookie).not.toContain('Domain=evil.example');
    const pair = cookie.split(';')[0] ?? '';
    expect(parseCookies(pair).get(TOKEN_COOKIE)).toBe(token);
  });
});
