// Raw HTTP requests against the API for the fuzzer: each with the status it must get, and a
// watch on every answer for stack traces or source paths.
import type { FuzzContext } from './fuzz-types.ts';
import { rawRequest, type RawResponse } from './raw.ts';

export class ApiProber {
  /** Answers that gave away a stack trace or a source path. */
  readonly leaks: string[] = [];
  private n = 0;

  constructor(private readonly ctx: FuzzContext) {}

  /** The headers of an API call with the token, as `learner`. */
  headers(learner: string): Record<string, string> {
    return {
      authorization: `Bearer ${this.ctx.server.token}`,
      'x-nslab-learner': learner,
      'content-type': 'application/json',
    };
  }

  /**
   * A fresh learner per request keeps the cases clear of the per-learner rate limit;
   * requests about the attacker's own session go as its owner, so ownership is not what
   * refuses them.
   */
  fresh(): Record<string, string> {
    return this.headers(`fuzz-api-learner-${++this.n}`);
  }

  owner(): Record<string, string> {
    return this.headers('fuzz-attacker-learner');
  }

  async request(
    method: string,
    path: string,
    body: Buffer | string | undefined,
    h: Record<string, string>,
  ): Promise<RawResponse> {
    const response = await rawRequest(this.ctx.server.origin, method, path, h, body);
    if (/\bat [\w.<>]+ \(|node_modules|\.ts:\d+|\n\s+at /.test(response.body))
      this.leaks.push(`${method} ${path}: ${response.body.slice(0, 200)}`);
    return response;
  }

  async expectStatus(
    name: string,
    method: string,
    path: string,
    body: Buffer | string | undefined,
    allowed: number[],
    h = this.fresh(),
  ): Promise<void> {
    const response = await this.request(method, path, body, h);
    this.ctx.check(
      name,
      allowed.map((s) => `HTTP ${s}`).join(' or '),
      `HTTP ${response.status} ${response.body.slice(0, 120)}`,
      allowed.includes(response.status),
    );
  }
}
