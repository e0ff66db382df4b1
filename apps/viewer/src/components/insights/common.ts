import type { Definition } from '@hindsight/schema';

/** What every insight view gets from the page: its query-string state and the shared date range. */
export interface ViewProps {
  q: URLSearchParams;
  /** writes keys into the query string (null deletes; arrays repeat the key) */
  set: (patch: Record<string, string | string[] | null>) => void;
  defs: Definition[];
  /** epoch ms, local start of the From day / end of the To day */
  from: number;
  to: number;
}

/** minutes east of UTC for local day/week buckets (JS getTimezoneOffset() is its negation) */
export const tzOffsetMinutes = (): number => -new Date().getTimezoneOffset();

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export const pct = (x: number): string => `${(x * 100).toFixed(x > 0 && x < 0.1 ? 1 : 0)}%`;

export const CHART = { grid: '#e6e8ef', axis: '#8a90a2', a: '#4f46e5', b: '#0ea5e9', c: '#f59e0b', muted: '#b8bdd0' };
