import { SESSION_SORTS, type SessionSort } from '@hindsight/schema';
import type { SessionQuery } from '../api';
import { parseDateInput } from './time';

/**
 * Session-list filters and order as they live in the query string
 * (`?userId=&url=&hasError=1&frustrated=1&minDuration=60&definition=ID&from=&to=&sort=longest`).
 */
export interface SessionFilters {
  userId: string;
  url: string;
  hasError: boolean;
  /** at least one rage or dead click */
  frustrated: boolean;
  /** minimum duration in seconds; 0 = any */
  minDuration: number;
  /** performed this named event (definition id); '' = any */
  definitionId: string;
  /** `YYYY-MM-DD` */
  from: string;
  /** `YYYY-MM-DD` */
  to: string;
  sort: SessionSort;
}

export const EMPTY_FILTERS: SessionFilters = {
  userId: '',
  url: '',
  hasError: false,
  frustrated: false,
  minDuration: 0,
  definitionId: '',
  from: '',
  to: '',
  sort: 'newest',
};

/** Choices offered for the minimum duration (seconds). */
export const MIN_DURATIONS: [seconds: number, label: string][] = [
  [0, 'Any length'],
  [10, '≥ 10 s'],
  [30, '≥ 30 s'],
  [60, '≥ 1 min'],
  [300, '≥ 5 min'],
  [900, '≥ 15 min'],
];

export const SORT_LABELS: Record<SessionSort, string> = {
  newest: 'Newest first',
  oldest: 'Oldest first',
  longest: 'Longest first',
  most_events: 'Most events',
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const flag = (v: string | null) => v === '1' || v === 'true';

export function parseFilters(search: string): SessionFilters {
  const p = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const date = (k: string) => {
    const v = p.get(k) ?? '';
    return DATE.test(v) ? v : '';
  };
  const minDuration = Number(p.get('minDuration') ?? '');
  const sort = p.get('sort') ?? '';
  return {
    userId: (p.get('userId') ?? '').trim(),
    url: (p.get('url') ?? '').trim(),
    hasError: flag(p.get('hasError')),
    frustrated: flag(p.get('frustrated')),
    minDuration: Number.isSafeInteger(minDuration) && minDuration > 0 ? minDuration : 0,
    definitionId: (p.get('definition') ?? '').trim(),
    from: date('from'),
    to: date('to'),
    sort: (SESSION_SORTS as readonly string[]).includes(sort) ? (sort as SessionSort) : 'newest',
  };
}

/** Canonical query string (`''` or `?a=b…`), only non-default values, stable key order. */
export function filtersToSearch(f: SessionFilters): string {
  const p = new URLSearchParams();
  if (f.userId.trim()) p.set('userId', f.userId.trim());
  if (f.url.trim()) p.set('url', f.url.trim());
  if (f.hasError) p.set('hasError', '1');
  if (f.frustrated) p.set('frustrated', '1');
  if (f.minDuration > 0) p.set('minDuration', String(Math.trunc(f.minDuration)));
  if (f.definitionId.trim()) p.set('definition', f.definitionId.trim());
  if (DATE.test(f.from)) p.set('from', f.from);
  if (DATE.test(f.to)) p.set('to', f.to);
  if (f.sort !== 'newest') p.set('sort', f.sort);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The API query for the filters: dates become local start/end-of-day epoch ms. */
export function filtersToQuery(f: SessionFilters): SessionQuery {
  const q: SessionQuery = {};
  if (f.userId.trim()) q.userId = f.userId.trim();
  if (f.url.trim()) q.url = f.url.trim();
  if (f.hasError) q.hasError = true;
  if (f.frustrated) q.frustrated = true;
  if (f.minDuration > 0) q.minDurationMs = Math.trunc(f.minDuration) * 1000;
  if (f.definitionId.trim()) q.definitionId = f.definitionId.trim();
  const from = parseDateInput(f.from);
  const to = parseDateInput(f.to, true);
  if (from !== undefined) q.from = from;
  if (to !== undefined) q.to = to;
  if (f.sort !== 'newest') q.sort = f.sort;
  return q;
}

/** Whether any filter narrows the list (the order alone does not). */
export function hasAnyFilter(f: SessionFilters): boolean {
  return filtersToSearch({ ...f, sort: 'newest' }) !== '';
}
