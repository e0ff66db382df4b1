// Retention and time-to-event in ClickHouse (18.16 and current). Same semantics as
// ../duckdb/cohorts.ts (see ../../insights.md): each user's relevant timestamps are gathered into
// arrays with one GROUP BY and decided per user with array functions (18.16 has no window
// functions, and its JOINs only take equality keys).
import type { EventFilter, RetentionOptions, RetentionResult, TimeToEventOptions, TimeToEventResult } from '../types.js';
import { assembleRetention, assembleTimeToEvent, histogramSql, retentionPlan, timeToEventPlan } from '../common/cohorts.js';
import { sqlInt, sqlString } from './escape.js';
import { anyFilterSql } from './filters.js';
import { dedupedWithUser } from './insights.js';

type Rows = (sql: string) => Promise<Record<string, unknown>[]>;

const flag = (f: string) => `toUInt8(ifNull(${f}, 0))`;
/** nearest rank (1-based) of percentile pct among n sorted values: ceil(pct·n/100) */
const rank = (pct: number, n: string) => `toUInt64(intDiv(${pct} * ${n} + 99, 100))`;

export async function clickhouseRetention(
  rows: Rows,
  projectId: string,
  start: EventFilter[],
  returning: EventFilter[],
  opts: RetentionOptions,
): Promise<RetentionResult> {
  const plan = retentionPlan(start, returning, opts);
  const proj = sqlString(projectId);
  const [O, S] = [sqlInt(plan.b.origin), sqlInt(plan.b.size)];
  const bucket = (t: string) => `(${t} - (((${t} - ${O}) % ${S}) + ${S}) % ${S})`;
  const steps = plan.split?.steps ?? [];
  const filters = [start, returning, ...steps].map((f) => anyFilterSql(f));
  // x0 = ts, x{1+j} = matches filter list j (start, returning, split steps)
  const cols = ['ts', ...filters.map(flag)];
  const lists = steps.map((_, j) => `groupArrayIf(x0, x${j + 3} = 1) AS xs${j}`);
  let group = 'toUInt8(0)';
  if (plan.split) {
    const w = sqlInt(plan.split.withinMs);
    group = `toUInt8(${steps.map((_, j) => `arrayExists(t -> t >= t0 AND t <= t0 + ${w}, xs${j})`).join(' AND ')})`;
  }
  const result = await rows(`
    SELECT c, g, k, count() AS n
    FROM (
      SELECT c, g, arrayJoin(arrayConcat([toInt64(0)], ks)) AS k
      FROM (
        SELECT ${bucket('t0')} AS c, ${group} AS g,
          arrayDistinct(arrayMap(t -> toInt64(intDiv(${bucket('t')} - c, ${S})), arrayFilter(t -> t >= c + ${S}, bts))) AS ks
        FROM (
          SELECT uk, minIf(x0, x1 = 1) AS t0, countIf(x1 = 1) AS na, groupArrayIf(x0, x2 = 1) AS bts${lists.map((l) => `, ${l}`).join('')}
          FROM (${dedupedWithUser(proj, `(${filters.join(' OR ')})`, cols)})
          GROUP BY uk
        )
        WHERE na > 0 AND t0 >= ${sqlInt(plan.b.from)} AND t0 <= ${sqlInt(plan.b.to)}
      )
    )
    WHERE k <= ${sqlInt(plan.periods)}
    GROUP BY c, g, k`);
  return assembleRetention(
    plan,
    result.map((r) => ({ c: Number(r.c), g: Number(r.g), k: Number(r.k), n: Number(r.n) })),
  );
}

export async function clickhouseTimeToEvent(
  rows: Rows,
  projectId: string,
  start: EventFilter[],
  end: EventFilter[],
  opts: TimeToEventOptions,
): Promise<TimeToEventResult> {
  const plan = timeToEventPlan(start, end, opts);
  const proj = sqlString(projectId);
  const fa = anyFilterSql(start);
  const fb = anyFilterSql(end);
  const where = `ts >= ${sqlInt(plan.from)} AND ts <= ${sqlInt(plan.end)} AND (${fa} OR ${fb})`;
  // x0 = ts, x1 = id, x2 = start event in range, x3 = end event
  const cols = ['ts', 'id', `toUInt8(ifNull(${fa} AND ts <= ${sqlInt(plan.to)}, 0))`, flag(fb)];
  const W = sqlInt(plan.windowMs);
  const [row] = await rows(`
    SELECT count() AS users, countIf(ok) AS converted,
      arraySort(groupArrayIf(d, ok)) AS ds,
      if(converted = 0, 0, ds[${rank(50, 'converted')}]) AS p50,
      if(converted = 0, 0, ds[${rank(90, 'converted')}]) AS p90,
      ${histogramSql((c) => `countIf(ok AND ${c})`, 'd').join(',\n      ')}
    FROM (
      SELECT notEmpty(ts1) AS ok, if(ok, arrayReduce('min', ts1) - t0, 0) AS d
      FROM (
        SELECT tupleElement(st, 1) AS t0,
          arrayMap(z -> z.1, arrayFilter(z -> (z.1 > t0 OR (z.1 = t0 AND z.2 != tupleElement(st, 2))) AND z.1 <= t0 + ${W}, bs)) AS ts1
        FROM (
          SELECT uk, argMinIf((x0, x1), (x0, x1), x2 = 1) AS st, countIf(x2 = 1) AS na, groupArrayIf((x0, x1), x3 = 1) AS bs
          FROM (${dedupedWithUser(proj, where, cols)})
          GROUP BY uk
        )
        WHERE na > 0
      )
    )`);
  return assembleTimeToEvent(row);
}
