// Token buckets: a steady rate with room for a burst. Used for the HTTP API (per learner)
// and for WebSocket messages (per connection), so one client cannot starve the rest.
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors/app-error.ts';
import { message } from '../errors/server-message.ts';

const SLOW_DOWN = message(
  'rate_limited',
  'Too many requests; slow down a little.',
  '请求太多了，请稍微慢一点。',
);

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Seconds until the next token. */
  get waitSeconds(): number {
    return Math.max(1, Math.ceil((1 - this.tokens) / this.perSecond));
  }
}

/** Per-key limiter for express; keys idle for a minute are forgotten so the map stays small. */
export function rateLimit(options: {
  perSecond: number;
  burst: number;
  key: (req: Request) => string;
}) {
  const buckets = new Map<string, { bucket: TokenBucket; seen: number }>();
  let lastPrune = Date.now();
  return (req: Request, res: Response, next: NextFunction): void => {
    const now = Date.now();
    if (now - lastPrune > 60_000) {
      for (const [key, entry] of buckets) if (now - entry.seen > 60_000) buckets.delete(key);
      lastPrune = now;
    }
    const key = options.key(req);
    let entry = buckets.get(key);
    if (entry === undefined) {
      entry = { bucket: new TokenBucket(options.perSecond, options.burst), seen: now };
      buckets.set(key, entry);
    }
    entry.seen = now;
    if (entry.bucket.take()) {
      next();
      return;
    }
    res.setHeader('Retry-After', String(entry.bucket.waitSeconds));
    next(new AppError('too_many_requests', SLOW_DOWN()));
  };
}
