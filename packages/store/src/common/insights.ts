// What both stores share for insights: option checks, bucket arithmetic, zero filling and the
// funnel's result shape. The SQL lives in ../duckdb/insights.ts and ../clickhouse/insights.ts;
// both compute the same thing (see ../../insights.md) so the answers are identical.
import { StoreError, type FunnelOptions, type FunnelStep, type TrendInterval, type TrendOptions, type TrendPoint } from '../types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const INTERVAL_MS: Record<TrendInterval, number> = { hour: HOUR, day: DAY, week: 7 * DAY };
/** 1970-01-01 was a Thursday; 1970-01-05 (4 days later) is the Monday weeks are aligned to */
const WEEK_ORIGIN = 4 * DAY;
/** more buckets than this is a mistake (a year of hours is 8,760) */
export const MAX_BUCKETS = 100_000;
/** the server allows 20 steps */
export const MAX_FUNNEL_STEPS = 50;

export interface Buckets {
  size: number;
  /** every bucket start is origin + k * size (origin may be negative or beyond a size) */
  origin: number;
  from: number;
  to: number;
  first: number;
  last: number;
}

function finite(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new StoreError('bad_input', `${field} must be a finite number`);
  return v;
}

/** floor-mod that is non-negative for negative x too (SQL `%` truncates like C) */
const mod = (x: number, m: number): number => ((x % m) + m) % m;

export function trendBuckets(opts: TrendOptions): Buckets {
  const size = INTERVAL_MS[opts?.interval];
  if (!size) throw new StoreError('bad_input', `interval must be hour, day or week`);
  const from = Math.ceil(finite(opts.from, 'from'));
  const to = Math.floor(finite(opts.to, 'to'));
  if (to < from) throw new StoreError('bad_input', 'to must not be before from');
  const off = opts.tzOffsetMinutes === undefined ? 0 : finite(opts.tzOffsetMinutes, 'tzOffsetMinutes');
  if (!Number.isInteger(off) || Math.abs(off) > 24 * 60) throw new StoreError('bad_input', 'tzOffsetMinutes must be an integer in [-1440, 1440]');
  // A local bucket boundary B (local time) is the UTC instant B - offset.
  const origin = (opts.interval === 'week' ? WEEK_ORIGIN : 0) - off * 60_000;
  const start = (ts: number): number => ts - mod(ts - origin, size);
  const first = start(from);
  const last = start(to);
  if ((last - first) / size + 1 > MAX_BUCKETS) throw new StoreError('bad_input', `too many buckets (at most ${MAX_BUCKETS})`);
  return { size, origin, from, to, first, last };
}

/** every bucket from first to last, counts from `rows` (bucket start → counts), zeros elsewhere */
export function fillBuckets(b: Buckets, rows: { t: number; events: number; users: number }[]): TrendPoint[] {
  const byT = new Map(rows.map((r) => [r.t, r]));
  const out: TrendPoint[] = [];
  for (let t = b.first; t <= b.last; t += b.size) {
    const r = byT.get(t);
    out.push({ t, events: r?.events ?? 0, users: r?.users ?? 0 });
  }
  return out;
}

export interface FunnelRange {
  windowMs: number;
  from: number;
  to: number;
  /** last ts a later step's event can have */
  end: number;
}

export function funnelRange(steps: unknown, opts: FunnelOptions): FunnelRange {
  if (!Array.isArray(steps) || steps.length === 0) throw new StoreError('bad_input', 'a funnel needs at least one step');
  if (steps.length > MAX_FUNNEL_STEPS) throw new StoreError('bad_input', `a funnel has at most ${MAX_FUNNEL_STEPS} steps`);
  if (!steps.every(Array.isArray)) throw new StoreError('bad_input', 'each funnel step is a list of filters');
  const windowMs = Math.floor(finite(opts?.windowMs, 'windowMs'));
  if (windowMs < 0) throw new StoreError('bad_input', 'windowMs must not be negative');
  const from = Math.ceil(finite(opts.from, 'from'));
  const to = Math.floor(finite(opts.to, 'to'));
  if (to < from) throw new StoreError('bad_input', 'to must not be before from');
  const end = to + windowMs;
  if (!Number.isSafeInteger(end) || !Number.isSafeInteger(from)) throw new StoreError('bad_input', 'number out of range');
  return { windowMs, from, to, end };
}

/** users[k] = users who reached step k; medians[k] = median ms from step k-1 (null for k = 0 or no users) */
export function funnelSteps(users: number[], medians: (number | null)[]): FunnelStep[] {
  const first = users[0] ?? 0;
  return users.map((n, k) => ({
    users: n,
    conversion: k === 0 ? (first > 0 ? 1 : 0) : first > 0 ? n / first : 0,
    medianMsFromPrevious: k === 0 || n === 0 || medians[k] === null || medians[k] === undefined ? null : Number(medians[k]),
  }));
}
