// Trends and funnels in ClickHouse (18.16 and current). Same semantics as ../duckdb/insights.ts
// (see ../../insights.md). windowFunnel() is not used: on 18.16 it takes UInt32 seconds (our ts are
// Int64 ms) and it lets one event or two same-ms events fill consecutive steps, where we require
// strictly increasing (ts, id). 18.16 has no window functions either, so each funnel step is a
// numbering of each user's sorted events (arrayCumSum) plus a GROUP BY that hands chains on.
import type { BreakdownOptions, BreakdownSeries, DropoffOptions, EventFilter, FunnelDropoff, FunnelOptions, FunnelStep, TrendOptions, TrendPoint } from '../types.js';
import { assembleBreakdown, assembleDropoffs, BREAKDOWN_PATTERNS, breakdownLimit, dropoffPlan, fillBuckets, funnelRange, funnelSteps, trendBuckets } from '../common/insights.js';
import { sqlInt, sqlString } from './escape.js';
import { anyFilterSql } from './filters.js';

type Rows = (sql: string) => Promise<Record<string, unknown>[]>;

/** Identity per anonymous id, exact before merges (as in store.ts). */
const identitiesSql = (proj: string): string =>
  `(SELECT anonymous_id, argMax(user_id, (ts, user_id)) AS ident_user FROM identities
    WHERE project_id = ${proj} GROUP BY anonymous_id)`;
const USER = `if(ident_user != '', concat('u:', ident_user), coalesce(concat('u:', user_id), concat('a:', anonymous_id)))`;

/**
 * Deduplicated matching rows with the user key resolved; `cols` are expressions over the events
 * table, returned as x0, x1, …. Copies of one id may differ in ts (a retried batch is skew-corrected
 * again), so the copy is chosen among ALL copies of each candidate id (the first received, the one
 * DuckDB keeps and findEvents shows) and only then filtered: a later copy never counts in place of a
 * first copy that does not match.
 */
export function dedupedWithUser(proj: string, where: string, cols: string[]): string {
  const xs = cols.map((_, i) => `x${i}`).join(', ');
  return `
    SELECT ${USER} AS uk, ${xs}
    FROM (
      SELECT anonymous_id, user_id, ${xs}
      FROM (
        SELECT id, anonymous_id, user_id, ${cols.map((c, i) => `${c} AS x${i}`).join(', ')}, toUInt8(ifNull(${where}, 0)) AS hs_ok
        FROM events
        WHERE project_id = ${proj} AND id IN (SELECT id FROM events WHERE project_id = ${proj} AND ${where})
        ORDER BY id, received_at, ts
        LIMIT 1 BY id
      )
      WHERE hs_ok = 1
    )
    ANY LEFT JOIN ${identitiesSql(proj)} USING anonymous_id`;
}

export async function clickhouseTrend(rows: Rows, projectId: string, filters: EventFilter[], opts: TrendOptions): Promise<TrendPoint[]> {
  const b = trendBuckets(opts);
  const proj = sqlString(projectId);
  const origin = sqlInt(b.origin);
  const size = sqlInt(b.size);
  const where = `ts >= ${sqlInt(b.from)} AND ts <= ${sqlInt(b.to)} AND ${anyFilterSql(filters)}`;
  const bucket = `ts - (((ts - ${origin}) % ${size}) + ${size}) % ${size}`;
  const result = await rows(`
    SELECT x0 AS t, count() AS events, uniqExact(uk) AS users
    FROM (${dedupedWithUser(proj, where, [bucket])})
    GROUP BY x0`);
  return fillBuckets(
    b,
    result.map((r) => ({ t: Number(r.t), events: Number(r.events), users: Number(r.users) })),
  );
}

/** SQL of (uk, chain): per user, the step timestamps of their attempt (empty when they never entered). */
function funnelUserChains(projectId: string, steps: EventFilter[][], opts: FunnelOptions): string {
  const r = funnelRange(steps, opts);
  const K = steps.length;
  const proj = sqlString(projectId);
  const W = sqlInt(r.windowMs);
  const where = `ts >= ${sqlInt(r.from)} AND ts <= ${sqlInt(r.end)} AND (${steps.map((f) => anyFilterSql(f)).join(' OR ')})`;
  // x0 = ts, x1 = id, x{2+j} = matches step j (step 0 only up to `to`)
  const cols = ['ts', 'id', ...steps.map((f, j) => `toUInt8(ifNull(${anyFilterSql(f)}${j === 0 ? ` AND ts <= ${sqlInt(r.to)}` : ''}, 0))`)];
  // Rows carry rt = (ts, id, f0 … f{K-1}, c0 … cj): f = step flags, c{j} = the chain of step
  // timestamps [t0 … tj] when the event reaches step j, else []. An event reaches step j by
  // extending the chain of the LAST earlier event of its user that reached step j-1, within the
  // window from that chain's start. Per level: number the user's events reaching step j-1 in
  // (ts, id) order (arrayCumSum), then hand each chain to the events whose last earlier such event
  // it is with a GROUP BY on (user, number): linear per user. (Looking it up by index inside a
  // lambda would capture the user's whole array per element: quadratic, and 30k events of one
  // user exceed 4 GB on 18.16. 18.16 has no window functions.)
  const fIdx = (j: number): number => 3 + j;
  const cIdx = (j: number): number => 3 + K + j;
  const elems = (y: string, n: number): string => Array.from({ length: n }, (_, k) => `${y}.${k + 1}`).join(', ');
  // rows of level j-1 complete: FROM source and the rt expression over it
  let source = `(${dedupedWithUser(proj, where, cols)})`;
  let rt = `(x0, x1, ${steps.map((_, j) => `x${2 + j}`).join(', ')}, if(x2 = 1, [x0], emptyArrayInt64()))`;
  for (let j = 1; j < K; j++) {
    const n = cIdx(j - 1); // elements in rt so far; the last one is c{j-1}
    // es: every event as a taker of the chain numbered s - d (its last earlier event at step j-1),
    // plus every event at step j-1 as the giver of chain number s. Two subqueries per step keep
    // 20 steps under max_subquery_depth (100).
    const numbered = `
      SELECT uk, arraySort(z -> (z.1, z.2), groupArray(${rt})) AS xs,
        arrayMap(z -> toUInt8(notEmpty(z.${n})), xs) AS ds, arrayCumSum(ds) AS ss,
        arrayConcat(
          arrayMap((z, d, s) -> (z, toUInt8(0), toUInt64(s - d)), xs, ds, ss),
          arrayMap((z, s) -> (z, toUInt8(1), toUInt64(s)), arrayFilter((z, d) -> d = 1, xs, ds), arrayFilter((s, d) -> d = 1, ss, ds))
        ) AS es
      FROM ${source}
      GROUP BY uk`;
    source = `(
      SELECT uk, e.3 AS k, anyIf(tupleElement(e.1, ${n}), e.2 = 1) AS pc, groupArrayIf(e.1, e.2 = 0) AS ys
      FROM (${numbered})
      ARRAY JOIN es AS e
      GROUP BY uk, k)
      ARRAY JOIN ys AS y`;
    rt = `(${elems('y', n)}, if(y.${fIdx(j)} = 1 AND notEmpty(pc) AND y.1 - pc[1] <= ${W}, arrayPushBack(pc, y.1), emptyArrayInt64()))`;
  }
  // per user: the chain of the first event at each step, then the one of the highest step reached
  const firsts = Array.from({ length: K }, (_, k) => `argMinIf(rt.${cIdx(K - 1 - k)}, (rt.1, rt.2), notEmpty(rt.${cIdx(K - 1 - k)})) AS fc${k}`);
  const chain = `arrayFirst(c -> notEmpty(c), [${Array.from({ length: K }, (_, k) => `fc${k}`).join(', ')}])`;
  return `SELECT uk, ${chain} AS chain FROM (SELECT uk, ${firsts.join(', ')} FROM (SELECT uk, ${rt} AS rt FROM ${source}) GROUP BY uk)`;
}

export async function clickhouseFunnel(rows: Rows, projectId: string, steps: EventFilter[][], opts: FunnelOptions): Promise<FunnelStep[]> {
  const K = steps.length;
  const userChains = funnelUserChains(projectId, steps, opts);
  const agg: string[] = [];
  for (let k = 0; k < K; k++) {
    agg.push(`countIf(length(chain) > ${k}) AS n${k}`);
    if (k > 0) agg.push(`arraySort(groupArrayIf(chain[${k + 1}] - chain[${k}], length(chain) > ${k})) AS g${k}`);
  }
  const med: string[] = [];
  for (let k = 1; k < K; k++) {
    med.push(`if(length(g${k}) = 0, 0, (g${k}[intDiv(length(g${k}) + 1, 2)] + g${k}[intDiv(length(g${k}), 2) + 1]) / 2) AS m${k}`);
  }
  const [row] = await rows(`
    SELECT ${Array.from({ length: K }, (_, k) => `n${k}`).concat(med).join(', ')}
    FROM (
      SELECT ${agg.join(', ')}
      FROM (${userChains})
      WHERE notEmpty(chain)
    )`);
  return funnelSteps(
    steps.map((_, k) => Number(row?.[`n${k}`] ?? 0)),
    steps.map((_, k) => (k > 0 && row?.[`m${k}`] !== undefined ? Number(row[`m${k}`]) : null)),
  );
}

/** Users who reached step `step - 1` but not `step` (latest first), and where they were then. */
export async function clickhouseFunnelDropoffs(rows: Rows, projectId: string, steps: EventFilter[][], opts: DropoffOptions): Promise<FunnelDropoff[]> {
  const { step, limit } = dropoffPlan(steps, opts);
  const users = await rows(`
    SELECT uk AS u, chain[${sqlInt(step)}] AS ts FROM (${funnelUserChains(projectId, steps, opts)})
    WHERE length(chain) = ${sqlInt(step)}
    ORDER BY ts DESC, u
    LIMIT ${sqlInt(limit)}`);
  if (!users.length) return [];
  const where = `ts IN (${users.map((r) => sqlInt(Number(r.ts))).join(', ')}) AND ${anyFilterSql(steps[step - 1])}`;
  const events = await rows(`
    SELECT uk AS u, x0 AS ts, x1 AS session_id FROM (${dedupedWithUser(sqlString(projectId), where, ['ts', 'session_id', 'id'])})
    ORDER BY x0, x2`);
  return assembleDropoffs(users, events);
}

/** trend per breakdown value (see Breakdown in ../types.ts); the top values by a second pass */
export async function clickhouseTrendBreakdown(rows: Rows, projectId: string, filters: EventFilter[], opts: BreakdownOptions): Promise<BreakdownSeries[]> {
  const limit = breakdownLimit(opts);
  const b = trendBuckets(opts);
  const proj = sqlString(projectId);
  const origin = sqlInt(b.origin);
  const size = sqlInt(b.size);
  const bd = opts.breakdown;
  let value: string;
  if (bd.kind === 'chain') {
    const entries = Object.entries(bd.values);
    // transform() needs non-empty arrays of one type
    value = entries.length
      ? `transform(chain_hash, [${entries.map(([h]) => sqlString(h)).join(', ')}], [${entries.map(([, v]) => sqlString(v)).join(', ')}], '')`
      : `''`;
  } else if (bd.kind === 'event_name') {
    value = `ifNull(name, '')`;
  } else if (bd.kind === 'prop') {
    // 18.16 has no JSONExtract; props are JSON.stringify'd (no spaces), which visitParam* expects
    value = `visitParamExtractString(ifNull(props, ''), ${sqlString(bd.name)})`;
  } else {
    const col = bd.kind === 'referrer_domain' ? `ifNull(referrer, '')` : 'url';
    value = `extract(${col}, ${sqlString(BREAKDOWN_PATTERNS[bd.kind])})`;
  }
  const where = `ts >= ${sqlInt(b.from)} AND ts <= ${sqlInt(b.to)} AND ${anyFilterSql(filters)}`;
  const bucket = `ts - (((ts - ${origin}) % ${size}) + ${size}) % ${size}`;
  const rowsSql = dedupedWithUser(proj, where, [bucket, value]);
  const result = await rows(`
    SELECT x0 AS t, x1 AS v, count() AS events, uniqExact(uk) AS users
    FROM (${rowsSql})
    WHERE x1 IN (SELECT v FROM (SELECT x1 AS v, count() AS n FROM (${rowsSql}) GROUP BY x1 ORDER BY n DESC, v LIMIT ${sqlInt(limit)}))
    GROUP BY x0, x1`);
  return assembleBreakdown(
    b,
    result.map((r) => ({ t: Number(r.t), v: String(r.v), events: Number(r.events), users: Number(r.users) })),
  );
}
