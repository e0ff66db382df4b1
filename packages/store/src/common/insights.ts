// What both stores share for insights: option checks, bucket arithmetic, zero filling and the
// funnel's result shape. The SQL lives in ../duckdb/insights.ts and ../clickhouse/insights.ts;
// both compute the same thing (see ../../insights.md) so the answers are identical.
import { PROP_NAME } from '@hindsight/schema';
import { StoreError, type EventFilter, type Breakdown, type BreakdownOptions, type BreakdownSeries, type DropoffOptions, type FunnelDropoff, type FunnelOptions, type FunnelOrder, type FunnelStep, type TrendInterval, type TrendOptions, type TrendPoint } from '../types.js';

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
  order: FunnelOrder;
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
  const order = opts.order ?? 'strict';
  if (order !== 'strict' && order !== 'any') throw new StoreError('bad_input', 'order must be strict or any');
  return { windowMs, from, to, end, order };
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

// ------------------------------------------------------------------ breakdowns

export const DEFAULT_BREAKDOWN_LIMIT = 10;
export const MAX_BREAKDOWN_LIMIT = 50;
/** RE2 patterns shared by both stores so both extract the same values */
export const BREAKDOWN_PATTERNS = {
  url_path: '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*([^?#]*)',
  referrer_domain: '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#:]*)',
  utm_source: '[?&]utm_source=([^&#]*)',
} as const;

export function breakdownLimit(opts: BreakdownOptions): number {
  const l = opts.limit ?? DEFAULT_BREAKDOWN_LIMIT;
  if (!Number.isInteger(l) || l < 1 || l > MAX_BREAKDOWN_LIMIT) throw new StoreError('bad_input', `limit must be 1 to ${MAX_BREAKDOWN_LIMIT}`);
  const b = opts.breakdown as Breakdown | undefined;
  const kinds = ['url_path', 'referrer_domain', 'utm_source', 'event_name', 'chain', 'prop'];
  if (!b || !kinds.includes(b.kind)) throw new StoreError('bad_input', `breakdown must be one of ${kinds.join(', ')}`);
  if (b.kind === 'chain' && (typeof b.values !== 'object' || b.values === null || !Object.values(b.values).every((v) => typeof v === 'string'))) {
    throw new StoreError('bad_input', 'a chain breakdown maps chain hashes to string values');
  }
  if (b.kind === 'prop' && (typeof b.name !== 'string' || !PROP_NAME.test(b.name))) {
    throw new StoreError('bad_input', 'a property name is 1–64 letters, digits or $ _ . - (starting with a letter, $ or _)');
  }
  return l;
}


/** rows (t, v, events, users) → one zero-filled series per value, most events first, ties by value */
export function assembleBreakdown(b: Buckets, rows: { t: number; v: string; events: number; users: number }[]): BreakdownSeries[] {
  const byValue = new Map<string, { t: number; events: number; users: number }[]>();
  for (const r of rows) {
    const list = byValue.get(r.v) ?? [];
    list.push(r);
    byValue.set(r.v, list);
  }
  return [...byValue.entries()]
    .map(([value, rs]) => ({ value, total: rs.reduce((n, r) => n + r.events, 0), points: fillBuckets(b, rs) }))
    .sort((a, c) => c.total - a.total || (a.value < c.value ? -1 : a.value > c.value ? 1 : 0));
}

// ------------------------------------------------------------------ funnel drop-offs

export const DEFAULT_DROPOFF_LIMIT = 50;
export const MAX_DROPOFF_LIMIT = 500;

/**
 * `at`: the filters of the event where a user stopped, at their attempt's last ts: that of step
 * `step - 1` in strict order; in any order, whichever step was done last, so any step's.
 */
export function dropoffPlan(steps: EventFilter[][], opts: DropoffOptions): { step: number; limit: number; at: EventFilter[] } {
  const { order } = funnelRange(steps, opts);
  const step = opts.step;
  if (!Number.isInteger(step) || step < 1 || step >= steps.length) throw new StoreError('bad_input', `step must be 1 to ${steps.length - 1}`);
  const limit = opts.limit ?? DEFAULT_DROPOFF_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DROPOFF_LIMIT) throw new StoreError('bad_input', `limit must be 1 to ${MAX_DROPOFF_LIMIT}`);
  return { step, limit, at: order === 'any' ? steps.flat() : steps[step - 1] };
}

/**
 * users: (u = 'u:<user>' | 'a:<anon>', ts of their last reached step) in result order; events:
 * (u, ts, session_id) of events of that step ordered by (ts, id): the first one per user and ts is
 * where they were.
 */
export function assembleDropoffs(users: Record<string, unknown>[], events: Record<string, unknown>[]): FunnelDropoff[] {
  const where = new Map<string, string>();
  for (const e of events) {
    const k = `${String(e.u)}\u0000${Number(e.ts)}`;
    if (!where.has(k)) where.set(k, String(e.session_id));
  }
  return users.map((r) => {
    const u = String(r.u);
    const ts = Number(r.ts);
    return { user: u.slice(2), identified: u.startsWith('u:'), sessionId: where.get(`${u}\u0000${ts}`) ?? '', ts };
  });
}
