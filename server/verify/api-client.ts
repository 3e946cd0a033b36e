// A typed client for nslab's HTTP API, used by `verify`, the load scripts and the tests:
// it drives the server exactly as the browser does, with the token as a bearer header.
import type { ApiError, CheckResult, LabSummary, SessionView } from '../protocol/api-types.ts';

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const message = (body as Partial<ApiError> | undefined)?.error?.message ?? `HTTP ${status}`;
    super(message);
    this.name = 'ApiRequestError';
  }
}

/** What a terminal WebSocket needs to be let in: an allowed Origin and credentials. */
export interface TerminalAuth {
  origin: string;
  /** Request headers carrying the token, a learner's name or a learner's cookie. */
  headers: Record<string, string>;
}

export class ApiClient {
  constructor(
    readonly origin: string,
    readonly token: string,
    /** Scripts that play several learners name each one; sessions belong to their learner. */
    readonly learner?: string,
    /** A workshop learner's signed cookie (`nslab_learner=…`), used instead of the token. */
    readonly learnerCookie?: string,
  ) {}

  /**
   * Joins a workshop as a learner does: follows the join address and keeps the signed
   * learner cookie it sets. The client holds no token.
   */
  static async join(origin: string, joinCode: string): Promise<ApiClient> {
    const response = await fetch(`${origin}/?join=${encodeURIComponent(joinCode)}`, {
      redirect: 'manual',
    });
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0] ?? '')
      .find((c) => c.startsWith('nslab_learner='));
    if (response.status !== 302 || cookie === undefined)
      throw new ApiRequestError(response.status, undefined);
    return new ApiClient(origin, '', undefined, cookie);
  }

  private get credentials(): Record<string, string> {
    return {
      ...(this.token === '' ? {} : { authorization: `Bearer ${this.token}` }),
      ...(this.learnerCookie === undefined ? {} : { cookie: this.learnerCookie }),
      ...(this.learner === undefined ? {} : { 'x-nslab-learner': this.learner }),
    };
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.origin}${path}`, {
      method,
      headers: {
        ...this.credentials,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    if (!response.ok) throw new ApiRequestError(response.status, parsed);
    return parsed as T;
  }

  labs(): Promise<LabSummary[]> {
    return this.request('GET', '/api/labs');
  }

  startSession(labId: string): Promise<SessionView> {
    return this.request('POST', '/api/sessions', { labId });
  }

  check(sessionId: string, exerciseId: string, answer?: string): Promise<CheckResult> {
    return this.request(
      'POST',
      `/api/sessions/${sessionId}/exercises/${exerciseId}/check`,
      answer === undefined ? {} : { answer },
    );
  }

  extend(sessionId: string): Promise<SessionView> {
    return this.request('POST', `/api/sessions/${sessionId}/extend`);
  }

  reset(sessionId: string): Promise<SessionView> {
    return this.request('POST', `/api/sessions/${sessionId}/reset`);
  }

  skip(sessionId: string, exerciseId: string): Promise<CheckResult> {
    return this.request('POST', `/api/sessions/${sessionId}/exercises/${exerciseId}/skip`);
  }

  /** Options for TerminalDriver.open that carry this client's credentials. */
  get terminalAuth(): TerminalAuth {
    return { origin: this.origin, headers: this.credentials };
  }

  /** Solo mode: end every session and sweep everything they left on this host. */
  resetHost(): Promise<{ removed: number }> {
    return this.request('POST', '/api/host/reset');
  }

  endSession(sessionId: string): Promise<void> {
    return this.request('DELETE', `/api/sessions/${sessionId}`);
  }

  terminalUrl(sessionId: string, terminal: string): string {
    return `${this.origin.replace(/^http/, 'ws')}/api/sessions/${sessionId}/terminals/${terminal}`;
  }
}
