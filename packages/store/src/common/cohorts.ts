// What both stores share for retention and time-to-event: option checks, bucket arithmetic, the
// histogram ranges and the result shapes. The SQL is in ../duckdb/cohorts.ts and
// ../clickhouse/cohorts.ts; semantics in ../../insights.md.
import {
  StoreError,
  type EventFilter,
  type RetentionCohort,
  type RetentionOptions,
  type RetentionResult,
  type TimeToEventOptions,
  type TimeToEventResult,
} from '../types.js';
import { trendBuckets, type Buckets } from './insights.js';

export const MAX_RETENTION_PERIODS = 60;
export const MAX_SPLIT_STEPS = 10;

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
/** lower edges of the time-to-event histogram ranges (ms); the last range is open */
export const TTE_EDGES = [0, 10 * S, 30 * S, M, 5 * M, 15 * M, 30 * M, H, 3 * H, 6 * H, 12 * H, D, 2 * D, 7 * D, 14 * D, 30 * D];

export interface RetentionPlan {
  b: Buckets;
  periods: number;
  split?: { steps: EventFilter[][]; withinMs: number };
}

function wholeMs(v: unknown, field: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) {
    throw new StoreError('bad_input', `${field} must be a whole number of ms from 0 to ${max}`);
  }
  return v;
}

export function retentionPlan(start: unknown, returning: unknown, opts: RetentionOptions): RetentionPlan {
  if (!Array.isArray(start) || !Array.isArray(returning)) throw new StoreError('bad_input', 'start and returning are filter lists');
  if (opts?.interval !== 'day' && opts?.interval !== 'week') throw new StoreError('bad_input', 'retention interval must be day or week');
  const b = trendBuckets(opts);
  const periods = opts.periods;
  if (!Number.isInteger(periods) || periods < 1 || periods > MAX_RETENTION_PERIODS) {
    throw new StoreError('bad_input', `periods must be a whole number from 1 to ${MAX_RETENTION_PERIODS}`);
  }
  if (!opts.split) return { b, periods };
  const { steps, withinMs } = opts.split;
  if (!Array.isArray(steps) || steps.length === 0 || steps.length > MAX_SPLIT_STEPS || !steps.every(Array.isArray)) {
    throw new StoreError('bad_input', `split needs 1 to ${MAX_SPLIT_STEPS} steps, each a filter list`);
  }
  return { b, periods, split: { steps, withinMs: wholeMs(withinMs, 'split.withinMs', 366 * D) } };
}

/** rows: users per (cohort bucket c, group g: 1 = did the split steps, 0 = not, k = period) */
export function assembleRetention(plan: RetentionPlan, rows: { c: number; g: number; k: number; n: number }[]): RetentionResult {
  const table = (g: number | null): RetentionCohort[] => {
    const out: RetentionCohort[] = [];
    for (let t = plan.b.first; t <= plan.b.last; t += plan.b.size) out.push({ t, users: 0, returned: new Array(plan.periods + 1).fill(0) });
    for (const r of rows) {
      if (g !== null && r.g !== g) continue;
      const cohort = out[Math.round((r.c - plan.b.first) / plan.b.size)];
      if (!cohort || r.k < 0 || r.k > plan.periods) continue;
      cohort.returned[r.k] += r.n;
    }
    for (const c of out) c.users = c.returned[0];
    return out;
  };
  const result: RetentionResult = { cohorts: table(null) };
  if (plan.split) result.split = { did: table(1), didNot: table(0) };
  return result;
}

export interface TimeToEventPlan {
  from: number;
  to: number;
  windowMs: number;
  /** last ts an end event can have */
  end: number;
}

export function timeToEventPlan(start: unknown, end: unknown, opts: TimeToEventOptions): TimeToEventPlan {
  if (!Array.isArray(start) || !Array.isArray(end)) throw new StoreError('bad_input', 'start and end are filter lists');
  if (typeof opts?.from !== 'number' || typeof opts.to !== 'number' || !Number.isFinite(opts.from) || !Number.isFinite(opts.to)) {
    throw new StoreError('bad_input', 'from and to must be finite numbers');
  }
  const from = Math.ceil(opts.from);
  const to = Math.floor(opts.to);
  if (to < from) throw new StoreError('bad_input', 'to must not be before from');
  const windowMs = wholeMs(opts.windowMs, 'windowMs', 366 * D);
  const endTs = to + windowMs;
  if (!Number.isSafeInteger(endTs) || !Number.isSafeInteger(from)) throw new StoreError('bad_input', 'number out of range');
  return { from, to, windowMs, end: endTs };
}

/** result from the SQL row: users, converted, p50, p90, h0 … h{edges-1} */
export function assembleTimeToEvent(row: Record<string, unknown> | undefined): TimeToEventResult {
  const converted = Number(row?.converted ?? 0);
  return {
    users: Number(row?.users ?? 0),
    converted,
    medianMs: converted > 0 ? Number(row?.p50) : null,
    p90Ms: converted > 0 ? Number(row?.p90) : null,
    histogram: TTE_EDGES.map((fromMs, i) => ({ fromMs, toMs: TTE_EDGES[i + 1] ?? null, users: Number(row?.[`h${i}`] ?? 0) })),
  };
}

/** `count where d in range i` column expressions, h0 … */
export function histogramSql(countIf: (cond: string) => string, d: string): string[] {
  return TTE_EDGES.map((lo, i) => {
    const hi = TTE_EDGES[i + 1];
    return `${countIf(`${d} >= ${lo}${hi === undefined ? '' : ` AND ${d} < ${hi}`}`)} AS h${i}`;
  });
}
