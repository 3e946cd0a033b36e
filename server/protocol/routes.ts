// Every route of nslab's HTTP API and the terminal WebSocket, spelled once. The express app
// registers the templates, the clients build paths from the same table, and the terminal
// gateway matches upgrade requests against it, so the three cannot drift apart.

/** The page, its assets and the API's mount point. */
export const PAGE_PATH = '/';
export const ASSETS_PATH = '/assets';
/** Where browsers look for an icon unasked; the page's own is FAVICON_FILE in the assets. */
export const FAVICON_PATH = '/favicon.ico';
export const FAVICON_FILE = 'favicon.svg';
export const API_PREFIX = '/api';
/** Prometheus metrics (token holder only), beside the API as Prometheus expects. */
export const METRICS_PATH = '/metrics';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** API routes relative to API_PREFIX, as express path templates (`:name` is a parameter). */
export const API_ROUTES = {
  labs: { method: 'GET', path: '/labs' },
  me: { method: 'GET', path: '/me' },
  progress: { method: 'GET', path: '/progress' },
  startSession: { method: 'POST', path: '/sessions' },
  session: { method: 'GET', path: '/sessions/:sessionId' },
  resetHost: { method: 'POST', path: '/host/reset' },
  extend: { method: 'POST', path: '/sessions/:sessionId/extend' },
  reset: { method: 'POST', path: '/sessions/:sessionId/reset' },
  skip: { method: 'POST', path: '/sessions/:sessionId/exercises/:exerciseId/skip' },
  check: { method: 'POST', path: '/sessions/:sessionId/exercises/:exerciseId/check' },
  /** The next hint of an exercise on request; the server picks it and records it. */
  hint: { method: 'POST', path: '/sessions/:sessionId/exercises/:exerciseId/hint' },
  endSession: { method: 'DELETE', path: '/sessions/:sessionId' },
  /** The isolation inspector: one reading now, and readings pushed as Server-Sent Events. */
  inspection: { method: 'GET', path: '/sessions/:sessionId/inspection' },
  inspectionStream: { method: 'GET', path: '/sessions/:sessionId/inspection/stream' },
  /** The profile playground (labs with LabDefinition.playground): the profile running now, a new one, a probe in it. */
  playground: { method: 'GET', path: '/sessions/:sessionId/playground' },
  startPlayground: { method: 'POST', path: '/sessions/:sessionId/playground' },
  playgroundProbe: { method: 'POST', path: '/sessions/:sessionId/playground/probes/:probe' },
  /** The terminal WebSocket: a GET upgraded by the terminal gateway, not an express route. */
  terminal: { method: 'GET', path: '/sessions/:sessionId/terminals/:terminal' },
  /** The learner names themself (workshop join). */
  displayName: { method: 'POST', path: '/me/name' },
  /** The control room (token holder only): the roster now, and as a Server-Sent Events stream. */
  roster: { method: 'GET', path: '/control/roster' },
  rosterStream: { method: 'GET', path: '/control/stream' },
  broadcast: { method: 'POST', path: '/control/broadcast' },
  controlReset: { method: 'POST', path: '/control/sessions/:sessionId/reset' },
  controlEnd: { method: 'POST', path: '/control/sessions/:sessionId/end' },
  /** The labs the workshop offers and their order: read, and chosen by the instructor. */
  offeredLabs: { method: 'GET', path: '/control/labs' },
  chooseLabs: { method: 'POST', path: '/control/labs' },
  /** Preflight: each offered lab run with its reference solution on this machine. */
  preflight: { method: 'GET', path: '/control/preflight' },
  startPreflight: { method: 'POST', path: '/control/preflight' },
  /** Progress per learner and exercise as a download; `format` is csv or json. */
  exportProgress: { method: 'GET', path: '/control/export/:format' },
  /** A read-only viewer of a learner's terminal: a WebSocket, like `terminal`. */
  watch: { method: 'GET', path: '/control/sessions/:sessionId/terminals/:terminal/watch' },
} as const satisfies Record<string, { method: HttpMethod; path: string }>;

export type ApiRouteName = keyof typeof API_ROUTES;

/** The parameter names of a path template: '/a/:x/b/:y' gives 'x' | 'y'. */
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

export type RouteParams<N extends ApiRouteName> = {
  [K in ParamNames<(typeof API_ROUTES)[N]['path']>]: string;
};

/** The routes whose template has no parameter, so their path needs no arguments. */
type PlainRoute = {
  [N in ApiRouteName]: ParamNames<(typeof API_ROUTES)[N]['path']> extends never ? N : never;
}[ApiRouteName];

function fill(template: string, params: Record<string, string>, encode: boolean): string {
  return template.replace(/:([A-Za-z]+)/g, (_whole, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`route parameter "${name}" is missing`);
    return encode ? encodeURIComponent(value) : value;
  });
}

/** The absolute path of an API route, each parameter percent-encoded as one segment. */
export function apiPath(name: PlainRoute): string;
export function apiPath<N extends ApiRouteName>(name: N, params: RouteParams<N>): string;
export function apiPath(name: ApiRouteName, params: Record<string, string> = {}): string {
  return API_PREFIX + fill(API_ROUTES[name].path, params, true);
}

/**
 * The same path with the parameters inserted as given, not encoded: for tests that send
 * malformed segments ("..", "%2e%2e%2f") on purpose. Clients use apiPath.
 */
export function rawApiPath<N extends ApiRouteName>(name: N, params: RouteParams<N>): string {
  return API_PREFIX + fill(API_ROUTES[name].path, params, false);
}

/** The page, optionally with the start-up token or a workshop join code in its query. */
export function pagePath(query: { token?: string; join?: string } = {}): string {
  const pairs: string[] = [];
  if (query.token !== undefined) pairs.push(`token=${encodeURIComponent(query.token)}`);
  if (query.join !== undefined) pairs.push(`join=${encodeURIComponent(query.join)}`);
  return pairs.length === 0 ? PAGE_PATH : `${PAGE_PATH}?${pairs.join('&')}`;
}

const matchers = new Map<ApiRouteName, RegExp>();

/**
 * Matches an absolute request path against an API route and returns its parameters as
 * they appear in the path (not decoded), or undefined when the path is not that route.
 */
export function matchApiPath<N extends ApiRouteName>(
  name: N,
  pathname: string,
): RouteParams<N> | undefined {
  let pattern = matchers.get(name);
  if (pattern === undefined) {
    const body = API_ROUTES[name].path.replace(/:([A-Za-z]+)/g, '(?<$1>[^/]+)');
    pattern = new RegExp(`^${API_PREFIX}${body}$`);
    matchers.set(name, pattern);
  }
  return pattern.exec(pathname)?.groups as RouteParams<N> | undefined;
}
