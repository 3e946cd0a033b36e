// The one typed client for nslab's HTTP API, built on fetch so it runs in the browser and in
// Node: the page (same origin, the token travels in its cookie), `verify`, and the test and
// load scripts, which drive the server exactly as the browser does and carry the token as a
// bearer header, a learner's name next to it, or a workshop learner's signed cookie.
import type {
  PlaygroundRequest,
  PlaygroundView,
  ProbeId,
  ProbeResultView,
} from './playground-types.ts';
import type {
  ApiError,
  CheckResult,
  ExportFormat,
  HintResult,
  LabSummary,
  Me,
  OfferedLabsView,
  PreflightView,
  ProgressView,
  Roster,
  SessionView,
} from './api-types.ts';
import type { InspectorSnapshot } from './inspector-types.ts';
import { withLang, type Lang } from './lang.ts';
import {
  API_ROUTES,
  METRICS_PATH,
  apiPath,
  pagePath,
  type ApiRouteName,
  type RouteParams,
} from './routes.ts';

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const message =
      (body as Partial<ApiError> | undefined)?.error?.message ?? `The server answered ${status}.`;
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
    /** Where the server is, e.g. http://127.0.0.1:8080 (the page passes location.origin). */
    readonly origin: string,
    /** The start-up token, sent as a bearer header; '' sends none (the page has its cookie). */
    readonly token = '',
    /** Scripts that play several learners name each one; sessions belong to their learner. */
    readonly learner?: string,
    /** A workshop learner's signed cookie (`nslab_learner=…`), used instead of the token. */
    readonly learnerCookie?: string,
  ) {}

  /**
   * The language learner-facing answers come in (lessons, hints, check reasons), sent as
   * `?lang=` on every call; undefined sends none, which the server reads as English. The
   * page sets it when the reader switches language.
   */
  lang: Lang | undefined;

  /**
   * Joins a workshop as a learner does: follows the join address and keeps the signed
   * learner cookie it sets. The client holds no token. (Node only: a browser hides cookies.)
   */
  static async join(origin: string, joinCode: string): Promise<ApiClient> {
    const response = await fetch(`${origin}${pagePath({ join: joinCode })}`, {
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

  /** Any request, for callers that send what the typed methods would not (tests). */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.origin}${withLang(path, this.lang)}`, {
      method,
      credentials: 'same-origin',
      headers: {
        ...this.credentials,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // A proxy's HTML error page: the status says what happened.
      if (response.ok) throw new Error(`The server's answer to ${method} ${path} is not JSON.`);
    }
    if (!response.ok) throw new ApiRequestError(response.status, parsed);
    return parsed as T;
  }

  private send<T, N extends ApiRouteName>(
    name: N,
    params: RouteParams<N>,
    body?: unknown,
  ): Promise<T> {
    return this.request(API_ROUTES[name].method, apiPath(name, params), body);
  }

  labs(): Promise<LabSummary[]> {
    return this.send('labs', {});
  }

  me(): Promise<Me> {
    return this.send('me', {});
  }

  progress(): Promise<ProgressView> {
    return this.send('progress', {});
  }

  startSession(labId: string): Promise<SessionView> {
    return this.send('startSession', {}, { labId });
  }

  session(sessionId: string): Promise<SessionView> {
    return this.send('session', { sessionId });
  }

  check(sessionId: string, exerciseId: string, answer?: string): Promise<CheckResult> {
    return this.send('check', { sessionId, exerciseId }, answer === undefined ? {} : { answer });
  }

  extend(sessionId: string): Promise<SessionView> {
    return this.send('extend', { sessionId });
  }

  reset(sessionId: string): Promise<SessionView> {
    return this.send('reset', { sessionId });
  }

  /** The next hint of an exercise, in order; the server records it. */
  hint(sessionId: string, exerciseId: string): Promise<HintResult> {
    return this.send('hint', { sessionId, exerciseId });
  }

  skip(sessionId: string, exerciseId: string): Promise<CheckResult> {
    return this.send('skip', { sessionId, exerciseId });
  }

  /** The profile playground: the profile running now, with its docker run and score. */
  playground(sessionId: string): Promise<PlaygroundView> {
    return this.send('playground', { sessionId });
  }

  /** Starts a new profile in the playground; it replaces the container running now. */
  startPlayground(sessionId: string, profile: PlaygroundRequest): Promise<PlaygroundView> {
    return this.send('startPlayground', { sessionId }, profile);
  }

  /** Runs one of the playground's fixed probes in its container. */
  playgroundProbe(sessionId: string, probe: ProbeId): Promise<ProbeResultView> {
    return this.send('playgroundProbe', { sessionId, probe });
  }

  /** Solo mode: end every session and sweep everything they left on this host. */
  resetHost(): Promise<{ removed: number }> {
    return this.send('resetHost', {});
  }

  endSession(sessionId: string): Promise<void> {
    return this.send('endSession', { sessionId });
  }

  /** Workshop: the name the learner is shown by in the control room. */
  setDisplayName(name: string): Promise<Me> {
    return this.send('displayName', {}, { name });
  }

  /** The control room (token holder only): the roster as it is now. */
  roster(): Promise<Roster> {
    return this.send('roster', {});
  }

  /** Shows the message in every learner's page. */
  broadcast(message: string): Promise<{ sessions: number }> {
    return this.send('broadcast', {}, { message });
  }

  /** Starts the learner's lab afresh; their page moves to the new session. */
  controlReset(sessionId: string): Promise<{ sessionId: string }> {
    return this.send('controlReset', { sessionId });
  }

  controlEnd(sessionId: string): Promise<void> {
    return this.send('controlEnd', { sessionId });
  }

  /** Every lab, and the ones the workshop offers in order. */
  offeredLabs(): Promise<OfferedLabsView> {
    return this.send('offeredLabs', {});
  }

  /** Offers these labs, in this order; learners see only them. */
  chooseLabs(labIds: string[]): Promise<OfferedLabsView> {
    return this.send('chooseLabs', {}, { labIds });
  }

  preflight(): Promise<PreflightView> {
    return this.send('preflight', {});
  }

  /** Starts preflight in the background (or joins the run going); poll preflight(). */
  startPreflight(): Promise<PreflightView> {
    return this.send('startPreflight', {});
  }

  /** Where the browser downloads the progress export (its cookie carries the token). */
  exportUrl(format: ExportFormat): string {
    return `${this.origin}${apiPath('exportProgress', { format })}`;
  }

  /** The progress export as text, with the response's headers (Node: scripts and tests). */
  exportProgress(format: ExportFormat): Promise<{ text: string; headers: Headers }> {
    return this.text(this.exportUrl(format));
  }

  /** The Prometheus metrics, as text. */
  metrics(): Promise<{ text: string; headers: Headers }> {
    return this.text(`${this.origin}${METRICS_PATH}`);
  }

  private async text(url: string): Promise<{ text: string; headers: Headers }> {
    const response = await fetch(url, { headers: this.credentials });
    const text = await response.text();
    if (!response.ok) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      throw new ApiRequestError(response.status, body);
    }
    return { text, headers: response.headers };
  }

  /** One reading of the isolation inspector for the learner's own session. */
  inspection(sessionId: string): Promise<InspectorSnapshot> {
    return this.send('inspection', { sessionId });
  }

  /** The inspector's Server-Sent Events stream: readings about once a second while open. */
  inspectionStreamUrl(sessionId: string): string {
    return `${this.origin}${withLang(apiPath('inspectionStream', { sessionId }), this.lang)}`;
  }

  /** The roster's Server-Sent Events stream (an EventSource sends the page's cookies). */
  get rosterStreamUrl(): string {
    return `${this.origin}${apiPath('rosterStream')}`;
  }

  /** A read-only viewer's WebSocket address for a learner's terminal. */
  watchUrl(sessionId: string, terminal: string): string {
    const path = withLang(apiPath('watch', { sessionId, terminal }), this.lang);
    return `${this.origin.replace(/^http/, 'ws')}${path}`;
  }

  /** The terminal's WebSocket (ws:// or wss:// as the origin), `?lang=` for its notices. */
  terminalUrl(sessionId: string, terminal: string): string {
    const path = withLang(apiPath('terminal', { sessionId, terminal }), this.lang);
    return `${this.origin.replace(/^http/, 'ws')}${path}`;
  }

  /** Options for TerminalDriver.open that carry this client's credentials. */
  get terminalAuth(): TerminalAuth {
    return { origin: this.origin, headers: this.credentials };
  }
}
