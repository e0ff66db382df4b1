// Typed HTTP errors with stable codes. Every bad input ends as `{ error: { code, message } }`
// with a 4xx status; the one place that maps errors to responses is `toErrorResponse`.
import { StoreError } from '@hindsight/store';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, code = 'bad_request') => new HttpError(400, code, message);
export const notFound = (message = 'not found') => new HttpError(404, 'not_found', message);

const STORE_STATUS: Record<StoreError['code'], number> = {
  store_unavailable: 503,
  store_locked: 503,
  store_full: 507,
  not_found: 404,
  conflict: 409,
  bad_input: 400,
};

export function toErrorResponse(err: unknown, log: (msg: string) => void): Response {
  let status = 500;
  let code = 'internal';
  let message = 'internal error';
  let headers: Record<string, string> = {};
  if (err instanceof HttpError) {
    ({ status, code, message, headers } = err);
  } else if (err instanceof StoreError) {
    status = STORE_STATUS[err.code] ?? 500;
    code = err.code;
    message = err.message;
    // the recorder's outbox retries 5xx; Retry-After paces it (disk full takes a human to fix)
    if (status === 503) headers = { 'retry-after': '5' };
    if (status === 507) headers = { 'retry-after': '30' };
  } else {
    log(`unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
  return new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}
