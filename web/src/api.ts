// The browser's view of nslab's HTTP API; the cookie set from the start-up token travels
// with every same-origin request.
import type {
  ApiError,
  CheckResult,
  LabSummary,
  Me,
  SessionView,
} from '../../server/protocol/api-types.ts';

export class ApiFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: {} };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const message =
      (data as Partial<ApiError> | undefined)?.error?.message ??
      `The server answered ${response.status}.`;
    throw new ApiFailure(message, response.status);
  }
  return data as T;
}

export const api = {
  labs: () => request<LabSummary[]>('GET', '/api/labs'),
  me: () => request<Me>('GET', '/api/me'),
  startSession: (labId: string) => request<SessionView>('POST', '/api/sessions', { labId }),
  session: (id: string) => request<SessionView>('GET', `/api/sessions/${encodeURIComponent(id)}`),
  check: (sessionId: string, exerciseId: string, answer?: string) =>
    request<CheckResult>(
      'POST',
      `/api/sessions/${encodeURIComponent(sessionId)}/exercises/${encodeURIComponent(exerciseId)}/check`,
      answer === undefined ? {} : { answer },
    ),
  extend: (id: string) =>
    request<SessionView>('POST', `/api/sessions/${encodeURIComponent(id)}/extend`),
  reset: (id: string) =>
    request<SessionView>('POST', `/api/sessions/${encodeURIComponent(id)}/reset`),
  skip: (sessionId: string, exerciseId: string) =>
    request<CheckResult>(
      'POST',
      `/api/sessions/${encodeURIComponent(sessionId)}/exercises/${encodeURIComponent(exerciseId)}/skip`,
    ),
  resetHost: () => request<{ removed: number }>('POST', '/api/host/reset'),
  endSession: (id: string) =>
    request<undefined>('DELETE', `/api/sessions/${encodeURIComponent(id)}`),
};

export function terminalSocketUrl(sessionId: string, terminal: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api/sessions/${encodeURIComponent(sessionId)}/terminals/${encodeURIComponent(terminal)}`;
}
