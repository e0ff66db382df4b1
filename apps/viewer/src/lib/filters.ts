import type { SessionQuery } from '../api';
import { parseDateInput } from './time';

/** Session-list filters as they live in the query string (`?userId=&url=&hasError=1&from=&to=`). */
export interface SessionFilters {
  userId: string;
  url: string;
  hasError: boolean;
  /** `YYYY-MM-DD` */
  from: string;
  /** `YYYY-MM-DD` */
  to: string;
}

export const EMPTY_FILTERS: SessionFilters = { userId: '', url: '', hasError: false, from: '', to: '' };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseFilters(search: string): SessionFilters {
  const p = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const date = (k: string) => {
    const v = p.get(k) ?? '';
    return DATE.test(v) ? v : '';
  };
  const he = p.get('hasError');
  return {
    userId: (p.get('userId') ?? '').trim(),
    url: (p.get('url') ?? '').trim(),
    hasError: he === '1' || he === 'true',
    from: date('from'),
    to: date('to'),
  };
}

/** Canonical query string (`''` or `?a=b…`), only non-empty filters, stable key order. */
export function filtersToSearch(f: SessionFilters): string {
  const p = new URLSearchParams();
  if (f.userId.trim()) p.set('userId', f.userId.trim());
  if (f.url.trim()) p.set('url', f.url.trim());
  if (f.hasError) p.set('hasError', '1');
  if (DATE.test(f.from)) p.set('from', f.from);
  if (DATE.test(f.to)) p.set('to', f.to);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The API query for the filters: dates become local start/end-of-day epoch ms. */
export function filtersToQuery(f: SessionFilters): SessionQuery {
  const q: SessionQuery = {};
  if (f.userId.trim()) q.userId = f.userId.trim();
  if (f.url.trim()) q.url = f.url.trim();
  if (f.hasError) q.hasError = true;
  const from = parseDateInput(f.from);
  const to = parseDateInput(f.to, true);
  if (from !== undefined) q.from = from;
  if (to !== undefined) q.to = to;
  return q;
}

export function hasAnyFilter(f: SessionFilters): boolean {
  return filtersToSearch(f) !== '';
}
