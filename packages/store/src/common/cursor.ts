import { SESSION_SORTS, type SessionSort, type SessionSummary } from '@hindsight/schema';
import { StoreError } from '../types.js';

export const DEFAULT_SESSION_LIMIT = 50;
export const MAX_SESSION_LIMIT = 500;
/** findEvents page size */
export const DEFAULT_FIND_LIMIT = 100;
export const MAX_FIND_LIMIT = 10_000;
/** countMatches sample size */
export const DEFAULT_SAMPLE_SIZE = 20;
export const MAX_SAMPLE_SIZE = 1000;

export function clampLimit(limit: number | undefined, def = DEFAULT_SESSION_LIMIT, max = MAX_SESSION_LIMIT): number {
  if (limit === undefined || limit === null) return def;
  if (!Number.isFinite(limit)) throw new StoreError('bad_input', 'limit must be a number');
  return Math.min(max, Math.max(1, Math.trunc(limit)));
}

/** Position after the last session of a page: its sort key and id, and the order it belongs to. */
export interface SessionCursor {
  sort: SessionSort;
  key: number;
  id: string;
}

/** The summary column each order sorts by, and its direction (ties broken by id the same way). */
export const SESSION_ORDERS: Record<SessionSort, { column: 'started_at' | 'duration_ms' | 'event_count'; desc: boolean }> = {
  newest: { column: 'started_at', desc: true },
  oldest: { column: 'started_at', desc: false },
  longest: { column: 'duration_ms', desc: true },
  most_events: { column: 'event_count', desc: true },
};

export function sessionSort(sort: string | undefined): SessionSort {
  if (sort === undefined) return 'newest';
  if (!(SESSION_SORTS as readonly string[]).includes(sort)) {
    throw new StoreError('bad_input', `sort must be one of ${SESSION_SORTS.join(', ')}`);
  }
  return sort as SessionSort;
}

/** The sort key of a summary row for `sort` (what the next page's cursor continues from). */
export function sortKey(sort: SessionSort, s: SessionSummary): number {
  const col = SESSION_ORDERS[sort].column;
  return col === 'started_at' ? s.startedAt : col === 'duration_ms' ? s.endedAt - s.startedAt : s.eventCount;
}

/** ORDER BY over the summary columns (`id` and the order's column). */
export function orderBySql(sort: SessionSort): string {
  const o = SESSION_ORDERS[sort];
  const dir = o.desc ? 'DESC' : 'ASC';
  return `${o.column} ${dir}, id ${dir}`;
}

/** WHERE condition selecting the rows after the cursor; `lit` renders a value for the store. */
export function afterCursorSql(c: SessionCursor, lit: (v: number | string) => string): string {
  const o = SESSION_ORDERS[c.sort];
  const cmp = o.desc ? '<' : '>';
  const k = lit(c.key);
  return `(${o.column} ${cmp} ${k} OR (${o.column} = ${k} AND id ${cmp} ${lit(c.id)}))`;
}

export function encodeCursor(c: SessionCursor): string {
  return Buffer.from(JSON.stringify([c.key, c.id, c.sort]), 'utf8').toString('base64url');
}

/** Decodes a cursor made for `sort` (two-element cursors from before sorting existed are 'newest'). */
export function decodeCursor(cursor: string | null | undefined, sort: SessionSort = 'newest'): SessionCursor | null {
  if (!cursor) return null;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new StoreError('bad_input', 'invalid cursor');
  }
  if (Array.isArray(v) && (v.length === 2 || v.length === 3) && Number.isSafeInteger(v[0]) && typeof v[1] === 'string') {
    const made = v.length === 3 ? v[2] : 'newest';
    if (made !== sort) throw new StoreError('bad_input', `this cursor continues the '${String(made)}' order, not '${sort}'`);
    return { sort, key: v[0], id: v[1] };
  }
  throw new StoreError('bad_input', 'invalid cursor');
}

/** The page's `next`: a cursor after its last session when more rows exist. */
export function nextCursor(sort: SessionSort, page: SessionSummary[], more: boolean): string | null {
  const last = page[page.length - 1];
  return more && last ? encodeCursor({ sort, key: sortKey(sort, last), id: last.id }) : null;
}
