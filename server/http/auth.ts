// Access control. Solo mode: the token printed at start-up, carried by an HttpOnly cookie
// (browsers) or a bearer header (scripts). Workshop mode adds learners who joined with the
// workshop's code and hold only a signed learner cookie: they reach their own sessions and
// nothing an instructor may do. WebSockets also need an allowed Origin, because browsers open
// them cross-site without asking (Cross-Site WebSocket Hijacking).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { message } from '../errors/server-message.ts';

export const TOKEN_COOKIE = 'nslab_token';

/** Every route's answer to a caller without the token, a learner cookie or a learner name. */
export const TOKEN_WRONG = message(
  'token_wrong',
  'The nslab token is missing or wrong.',
  'nslab 令牌缺失或不正确。',
);

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

/** Who a request is: which learner's sessions it reaches, and whether it holds the token. */
export interface Access {
  learner: string;
  /** Holds the token: the solo learner, or a workshop's instructor (and scripts, tests). */
  instructor: boolean;
}

export interface GateOptions {
  token: string;
  mode: 'solo' | 'workshop';
  joinCode: string;
  /**
   * Signs learner cookies. Kept in the progress store so a learner's browser is the same
   * learner after a restart; without one, a key derived from the token (tests).
   */
  cookieKey?: Buffer;
}

/**
 * Decides every request's Access. A learner cookie is `<id>.<signature>`, signed with the
 * server's own secret key: a learner can neither forge another learner's id nor pick one
 * (the X-Nslab-Learner header is honoured only next to the token).
 */
export class Gate {
  private readonly key: Buffer;

  constructor(private readonly options: GateOptions) {
    this.key =
      options.cookieKey ??
      createHmac('sha256', options.token).update('nslab learner cookie').digest();
  }

  get mode(): 'solo' | 'workshop' {
    return this.options.mode;
  }

  access(req: IncomingMessage): Access | undefined {
    const cookie = this.verifiedLearner(parseCookies(req.headers.cookie).get(LEARNER_COOKIE));
    if (tokensEqual(requestToken(req), this.options.token)) {
      const header = req.headers['x-nslab-learner'];
      const named = typeof header === 'string' && LEARNER_PATTERN.test(header) ? header : undefined;
      return { learner: named ?? cookie ?? SOLO_LEARNER, instructor: true };
    }
    if (this.options.mode === 'workshop' && cookie !== undefined)
      return { learner: cookie, instructor: false };
    return undefined;
  }

  joinCodeMatches(candidate: string | undefined): boolean {
    return this.options.mode === 'workshop' && tokensEqual(candidate, this.options.joinCode);
  }

  /** The learner a browser already has (so a second login keeps its sessions), or a new one. */
  learnerFor(req: IncomingMessage, fresh: () => string): string {
    return this.verifiedLearner(parseCookies(req.headers.cookie).get(LEARNER_COOKIE)) ?? fresh();
  }

  learnerCookie(learner: string): string {
    const value = `${learner}.${this.sign(learner)}`;
    return `${LEARNER_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/`;
  }

  private verifiedLearner(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    const dot = value.lastIndexOf('.');
    const learner = value.slice(0, dot);
    if (dot <= 0 || !LEARNER_PATTERN.test(learner)) return undefined;
    return tokensEqual(value.slice(dot + 1), this.sign(learner)) ? learner : undefined;
  }

  private sign(learner: string): string {
    return createHmac('sha256', this.key).update(learner).digest('base64url').slice(0, 22);
  }
}
