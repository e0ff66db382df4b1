// Retention and time-to-event in DuckDB. Same semantics as ../clickhouse/cohorts.ts (see
// ../../insights.md). Both gather each user's relevant timestamps into lists with one GROUP BY and
// decide per user from the lists, so a user with many events costs one pass.
import type { EventFilter, RetentionOptions, RetentionResult, TimeToEventOptions, TimeToEventResult } from '../types.js';
import { assembleRetention, assembleTimeToEvent, histogramSql, retentionPlan, timeToEventPlan } from '../common/cohorts.js';
import { anyFilterSql } from './filters.js';
import { Params } from './params.js';

type Query = (sql: string, p: Params) => Promise<Record<string, unknown>[]>;

const USER = `coalesce('u:' || i.user_id, 'a:' || e.anonymous_id)`;
const FROM_EVENTS = (proj: string) => `FROM events e LEFT JOIN identities i ON i.project_id = ${proj} AND i.anonymous_id = e.anonymous_id`;
/** nearest rank (1-based) of percentile pct among n sorted values: ceil(pct·n/100) */
const rank = (pct: number, n: string) => `(${pct} * ${n} + 99) // 100`;

export async function duckdbRetention(
  query: Query,
  projectId: string,
  start: EventFilter[],
  returning: EventFilter[],
  opts: RetentionOptions,
): Promise<RetentionResult> {
  const plan = retentionPlan(start, returning, opts);
  const p = new Params();
  const proj = p.add(projectId);
  const [O, S] = [p.add(plan.b.origin), p.add(plan.b.size)];
  const bucket = (t: string) => `(${t} - (((${t} - ${O}) % ${S}) + ${S}) % ${S})`;
  const steps = plan.split?.steps ?? [];
  const flags = [anyFilterSql(start, p), anyFilterSql(returning, p), ...steps.map((f) => anyFilterSql(f, p))];
  const cols = flags.map((f, j) => `coalesce(${f}, FALSE) AS f${j}`);
  const lists = steps.map((_, j) => `coalesce(list(ts) FILTER (WHERE f${j + 2}), []) AS x${j}`);
  let group = 'FALSE';
  if (plan.split) {
    const w = p.add(plan.split.withinMs);
    group = steps.map((_, j) => `len([t for t in x${j} if t >= t0 AND t <= t0 + ${w}]) > 0`).join(' AND ');
  }
  const P = p.add(plan.periods);
  const rows = await query(
    `WITH ev AS (
       SELECT ${USER} AS u, e.ts, ${cols.join(', ')}
       ${FROM_EVENTS(proj)}
       WHERE e.project_id = ${proj} AND (${flags.join(' OR ')})),
     us AS (
       SELECT u, min(ts) FILTER (WHERE f0) AS t0, coalesce(list(ts) FILTER (WHERE f1), []) AS bts${lists.map((l) => `, ${l}`).join('')}
       FROM ev GROUP BY u),
     co AS (
       SELECT ${bucket('t0')} AS c, (${group}) AS g,
         list_distinct([(${bucket('t')} - ${bucket('t0')}) // ${S} for t in bts if t >= ${bucket('t0')} + ${S}]) AS ks
       FROM us WHERE t0 >= ${p.add(plan.b.from)} AND t0 <= ${p.add(plan.b.to)})
     SELECT c, g::INT AS g, k, count(*) AS n
     FROM (SELECT c, g, unnest(list_prepend(0, ks)) AS k FROM co)
     WHERE k <= ${P}
     GROUP BY c, g, k`,
    p,
  );
  return assembleRetention(
    plan,
    rows.map((r) => ({ c: Number(r.c), g: Number(r.g), k: Number(r.k), n: Number(r.n) })),
  );
}

export async function duckdbTimeToEvent(
  query: Query,
  projectId: string,
  start: EventFilter[],
  end: EventFilter[],
  opts: TimeToEventOptions,
): Promise<TimeToEventResult> {
  const plan = timeToEventPlan(start, end, opts);
  const p = new Params();
  const proj = p.add(projectId);
  const to = p.add(plan.to);
  const fa = anyFilterSql(start, p);
  const fb = anyFilterSql(end, p);
  const W = p.add(plan.windowMs);
  const [row] = await query(
    `WITH ev AS (
       SELECT ${USER} AS u, e.ts, e.id, coalesce(${fa}, FALSE) AND e.ts <= ${to} AS a, coalesce(${fb}, FALSE) AS b
       ${FROM_EVENTS(proj)}
       WHERE e.project_id = ${proj} AND e.ts >= ${p.add(plan.from)} AND e.ts <= ${p.add(plan.end)} AND (${fa} OR ${fb})),
     us AS (
       SELECT u, arg_min(ts, (ts, id)) FILTER (WHERE a) AS t0, arg_min(id, (ts, id)) FILTER (WHERE a) AS id0,
         coalesce(list({'t': ts, 'i': id}) FILTER (WHERE b), []) AS bs
       FROM ev GROUP BY u),
     d AS (
       SELECT list_min([z.t for z in bs if (z.t > t0 OR (z.t = t0 AND z.i <> id0)) AND z.t <= t0 + ${W}]) - t0 AS d
       FROM us WHERE t0 IS NOT NULL)
     SELECT count(*) AS users, count(d) AS converted,
       list_sort(list(d) FILTER (WHERE d IS NOT NULL))[${rank(50, 'count(d)')}] AS p50,
       list_sort(list(d) FILTER (WHERE d IS NOT NULL))[${rank(90, 'count(d)')}] AS p90,
       ${histogramSql((c) => `count(*) FILTER (WHERE ${c})`, 'd').join(',\n       ')}
     FROM d`,
    p,
  );
  return assembleTimeToEvent(row);
}
