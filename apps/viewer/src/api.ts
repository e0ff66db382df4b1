// Every call the viewer makes to the Hindsight API lives here, typed, so this module can later be
// swapped for a generated typed client without touching the screens.
import type {
  ApiErrorBody,
  Definition,
  DefinitionInput,
  PreviewResult,
  RawEvent,
  Rule,
  SessionSummary,
} from '@hindsight/schema';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** Called whenever any request answers 401, so the app can show the login screen. */
export function onUnauthorized(fn: UnauthorizedListener): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'Cannot reach the Hindsight server.');
  }
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const err = (data as ApiErrorBody | undefined)?.error;
    if (res.status === 401) unauthorizedListeners.forEach((fn) => fn());
    throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? `${res.status} ${res.statusText}`);
  }
  return data as T;
}

// ------------------------------------------------------------------ auth

export function login(token: string): Promise<unknown> {
  return request('POST', '/api/login', { token });
}

export function logout(): Promise<unknown> {
  return request('POST', '/api/logout', {});
}

// ------------------------------------------------------------------ sessions

export interface SessionQuery {
  limit?: number;
  cursor?: string | null;
  userId?: string;
  url?: string;
  /** epoch ms */
  from?: number;
  /** epoch ms */
  to?: number;
  hasError?: boolean;
}

export interface SessionPage {
  sessions: SessionSummary[];
  next: string | null;
}

export function listSessions(q: SessionQuery, signal?: AbortSignal): Promise<SessionPage> {
  const p = new URLSearchParams();
  if (q.limit) p.set('limit', String(q.limit));
  if (q.cursor) p.set('cursor', q.cursor);
  if (q.userId) p.set('userId', q.userId);
  if (q.url) p.set('url', q.url);
  if (q.from !== undefined) p.set('from', String(q.from));
  if (q.to !== undefined) p.set('to', String(q.to));
  if (q.hasError) p.set('hasError', 'true');
  const qs = p.toString();
  return request('GET', `/api/sessions${qs ? `?${qs}` : ''}`, undefined, signal);
}

export function getSessionEvents(id: string, signal?: AbortSignal): Promise<{ events: RawEvent[] }> {
  return request('GET', `/api/sessions/${encodeURIComponent(id)}/events`, undefined, signal);
}

/** rrweb `eventWithTime` objects, ordered. Untrusted data: only ever rebuilt in a sandboxed iframe. */
export interface ReplayEvent {
  type: number;
  timestamp: number;
  data: any;
}

export function getSessionReplay(id: string, signal?: AbortSignal): Promise<ReplayEvent[]> {
  return request('GET', `/api/sessions/${encodeURIComponent(id)}/replay`, undefined, signal);
}

// ------------------------------------------------------------------ definitions

export function previewRules(rules: Rule[], signal?: AbortSignal): Promise<PreviewResult> {
  return request('POST', '/api/definitions/preview', { rules }, signal);
}

export async function listDefinitions(signal?: AbortSignal): Promise<Definition[]> {
  const r = await request<{ definitions: Definition[] }>('GET', '/api/definitions', undefined, signal);
  return r.definitions;
}

export function getDefinition(id: string, signal?: AbortSignal): Promise<Definition> {
  return request('GET', `/api/definitions/${encodeURIComponent(id)}`, undefined, signal);
}

export function createDefinition(input: DefinitionInput): Promise<Definition> {
  return request('POST', '/api/definitions', input);
}

export function updateDefinition(id: string, input: DefinitionInput): Promise<Definition> {
  return request('PUT', `/api/definitions/${encodeURIComponent(id)}`, input);
}

export function deleteDefinition(id: string): Promise<unknown> {
  return request('DELETE', `/api/definitions/${encodeURIComponent(id)}`);
}

export async function listDefinitionVersions(id: string, signal?: AbortSignal): Promise<Definition[]> {
  const r = await request<{ versions: Definition[] }>('GET', `/api/definitions/${encodeURIComponent(id)}/versions`, undefined, signal);
  return r.versions;
}

// ------------------------------------------------------------------ insights

export type Interval = 'hour' | 'day' | 'week';

export interface TrendQuery {
  definitionId?: string;
  rules?: Rule[];
  interval: Interval;
  /** epoch ms */
  from: number;
  /** epoch ms */
  to: number;
}

export interface TrendPoint {
  /** bucket start: epoch ms (or an ISO string from older servers) */
  t: number | string;
  events: number;
  users: number;
}

export function trend(q: TrendQuery, signal?: AbortSignal): Promise<{ series: TrendPoint[] }> {
  return request('POST', '/api/insights/trend', q, signal);
}
