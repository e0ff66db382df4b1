// The one request function every call goes through: JSON in and out, API errors as ApiError.
import type { ApiErrorBody } from '@hindsight/schema';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** the whole error object (e.g. `suggestion` of a naming_convention error) */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ClientOptions {
  /** server origin, e.g. `http://localhost:8787`; '' (default) = same origin (the viewer) */
  baseUrl?: string;
  /** admin token for Node scripts (`Authorization: Bearer`); browsers use the session cookie instead */
  token?: string;
  /** fetch implementation (default: the global one) */
  fetch?: typeof fetch;
  /** called on every 401 (the viewer shows its login screen) */
  onUnauthorized?: () => void;
  /** project to act on (`X-Hindsight-Project`); only the server admin may name another project */
  project?: string;
}

export type Requester = <T>(method: string, path: string, body?: unknown, signal?: AbortSignal) => Promise<T>;

export function requester(opts: ClientOptions): Requester {
  const base = (opts.baseUrl ?? '').replace(/\/+$/, '');
  return async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.project) headers['x-hindsight-project'] = opts.project;
    let res: Response;
    try {
      res = await (opts.fetch ?? fetch)(base + path, {
        method,
        credentials: 'same-origin',
        headers,
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
        data = res.ok ? text : undefined;
      }
    }
    if (!res.ok) {
      const err = (data as ApiErrorBody | undefined)?.error as (ApiErrorBody['error'] & Record<string, unknown>) | undefined;
      if (res.status === 401) opts.onUnauthorized?.();
      throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? `${res.status} ${res.statusText}`, err ?? {});
    }
    return data as T;
  };
}
