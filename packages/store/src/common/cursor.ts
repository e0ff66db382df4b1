import { StoreError } from '../types.js';

export const DEFAULT_SESSION_LIMIT = 50;
export const MAX_SESSION_LIMIT = 500;
/** findEvents page size */
export const DEFAULT_FIND_LIMIT = 100;
export const MAX_FIND_LIMIT = 10_000;
/** countMatches sample size */
export const DEFAULT_SAMPLE_SIZE = 20;
export const MAX_SAMPLE_SIZE = 1000;

/** Position after the last session of a page (sessions are ordered startedAt DESC, id DESC). */
export interface SessionCursor {
  startedAt: number;
  id: string;
}

export function clampLimit(limit: number | undefined, def = DEFAULT_SESSION_LIMIT, max = MAX_SESSION_LIMIT): number {
  if (limit === undefined || limit === null) return def;
  if (!Number.isFinite(limit)) throw new StoreError('bad_input', 'limit must be a number');
  return Math.min(max, Math.max(1, Math.trunc(limit)));
}

export function encodeCursor(c: SessionCursor): string {
  return Buffer.from(JSON.stringify([c.startedAt, c.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): SessionCursor | null {
  if (!cursor) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string') {
      return { startedAt: v[0], id: v[1] };
    }
  } catch {
    /* fall through */
  }
  throw new StoreError('bad_input', 'invalid cursor');
}
