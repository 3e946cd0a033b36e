// Solo-mode access control: the token printed at start-up, carried by an HttpOnly cookie
// (browsers) or a bearer header (scripts), and an Origin allow-list for WebSockets, which
// browsers open cross-site without asking (Cross-Site WebSocket Hijacking).
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'nslab_token';

export function tokensEqual(candidate: string | undefined, token: string): boolean {
  if (candidate === undefined) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    try {
      cookies.set(name, decodeURIComponent(raw));
    } catch {
      // A malformed cookie is ignored, like a missing one.
    }
  }
  return cookies;
}

export function requestToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ') === true) return auth.slice('Bearer '.length).trim();
  return parseCookies(req.headers.cookie).get(TOKEN_COOKIE);
}

export function isAuthorized(req: IncomingMessage, token: string): boolean {
  return tokensEqual(requestToken(req), token);
}

export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  return origin !== undefined && allowed.includes(origin);
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}

export const LEARNER_COOKIE = 'nslab_learner';
const LEARNER_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
/** Requests that name no learner (scripts in solo mode) all belong to the one local learner. */
export const SOLO_LEARNER = 'solo-learner';

/**
 * Which learner a request belongs to: the browser's learner cookie, or for scripts the
 * X-Nslab-Learner header. Sessions are only ever visible to the learner who started them.
 */
export function learnerOf(req: IncomingMessage): string {
  const header = req.headers['x-nslab-learner'];
  const candidate =
    (typeof header === 'string' ? header : undefined) ??
    parseCookies(req.headers.cookie).get(LEARNER_COOKIE);
  return candidate !== undefined && LEARNER_PATTERN.test(candidate) ? candidate : SOLO_LEARNER;
}

export function learnerCookie(learner: string): string {
  return `${LEARNER_COOKIE}=${learner}; HttpOnly; SameSite=Strict; Path=/`;
}
