// Per-definition numbers for the definitions page and the tracking-plan export, computed with the
// definitions engine (the same matching as previews, trends and funnels).
import type { Definition } from '@hindsight/schema';
import type { Store, TrendPoint } from '@hindsight/store';
import { StoreError } from '@hindsight/store';
import { describeRules } from '@hindsight/definitions';
import type { Engine } from '../engine.js';
import { HttpError } from '../http/errors.js';
import type { PlanRow } from './render.js';

const DAY = 86_400_000;

export interface DefinitionStats {
  id: string;
  /** events in the last 7 / 30 local days (today included) */
  last7: number;
  last30: number;
  /** one point per local day, oldest first (30 points) */
  daily: { t: number; events: number }[];
}

export interface DefinitionStatsError {
  id: string;
  error: { code: string; message: string };
}

/**
 * A definition whose rules the store refuses (e.g. a regex RE2 cannot compile, saved before a
 * check existed) must not break the whole page or export: it gets an error entry instead.
 */
async function perDefinition<T>(fn: () => Promise<T>): Promise<T | { code: string; message: string }> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof StoreError && e.code === 'bad_input') return { code: e.code, message: e.message };
    if (e instanceof HttpError && e.status < 500) return { code: e.code, message: e.message };
    throw e;
  }
}

/** Start of the local day (tzOffsetMinutes east of UTC) `days - 1` days before the one holding `now`. */
export function windowStart(now: number, days: number, tzOffsetMinutes: number): number {
  const off = tzOffsetMinutes * 60_000;
  const today = Math.floor((now + off) / DAY) * DAY - off;
  return today - (days - 1) * DAY;
}

export async function definitionStats(
  store: Store,
  engine: Engine,
  projectId: string,
  defs: Definition[],
  opts: { now: number; tzOffsetMinutes: number },
): Promise<(DefinitionStats | DefinitionStatsError)[]> {
  const from = windowStart(opts.now, 30, opts.tzOffsetMinutes);
  const out: (DefinitionStats | DefinitionStatsError)[] = [];
  // One definition at a time: each is a chain scan plus one store query, and the machine this
  // runs on may have two cores shared with ingest.
  for (const d of defs) {
    const r = await perDefinition(() => engine.trend(projectId, d.rules, 'day', from, opts.now, opts.tzOffsetMinutes));
    if ('code' in r) {
      out.push({ id: d.id, error: r });
      continue;
    }
    const daily = r.series.map((p: TrendPoint) => ({ t: p.t, events: p.events }));
    const sum = (xs: { events: number }[]) => xs.reduce((a, p) => a + p.events, 0);
    out.push({ id: d.id, last7: sum(daily.slice(-7)), last30: sum(daily), daily });
  }
  return out;
}

/** Rows of the tracking-plan export: rules in words, first seen ever, events in the last 30 days. */
export async function planRows(store: Store, engine: Engine, projectId: string, defs: Definition[], now: number): Promise<PlanRow[]> {
  const rows: PlanRow[] = [];
  for (const d of defs) {
    const base = { name: d.name, description: d.description, category: d.category, rules: describeRules(d.rules) };
    const r = await perDefinition(async () => {
      const filters = await engine.filtersFor(projectId, d.rules);
      const [first] = await store.findEvents(projectId, filters, { limit: 1 }); // ordered by ts
      const recent = filters.map((f) => ({ ...f, from: now - 30 * DAY, to: now }));
      const { events } = await store.countMatches(projectId, recent, 0);
      return { firstSeen: first ? first.ts : null, count30d: events };
    });
    rows.push('code' in r ? { ...base, firstSeen: null, count30d: null } : { ...base, ...r });
  }
  return rows;
}
