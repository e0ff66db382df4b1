// Trends and funnels in ClickHouse (18.16 and current). Same semantics as ../duckdb/insights.ts
// (see ../../insights.md). windowFunnel() is not used: on 18.16 it takes UInt32 seconds (our ts are
// Int64 ms) and it lets one event or two same-ms events fill consecutive steps, where we require
// strictly increasing (ts, id). Funnels gather each user's events into arrays with one GROUP BY.
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

/**
 * SQL of (uk, chain): per user, the step timestamps of their attempt (empty when they never
 * entered; ../../insights.md). One GROUP BY gathers each user's candidate events sorted by (ts, id)
 * with a bitmask (bit j: matches step j; bit K: may start, ts <= to); the order's array stages then
 * decide per user. 18.16 has no window functions and no fold (arrayFold is 23.x), and looking an
 * element up by index inside a lambda captures the user's whole array per element (quadratic: 30k
 * events of one user exceeded 4 GB). So "the value of the last/next marked event" is carried by
 * one arraySort plus an arrayCumSum of deltas: a sort per user and level, no per-element lookups.
 */
function funnelUserChains(projectId: string, steps: EventFilter[][], opts: FunnelOptions): string {
  const r = funnelRange(steps, opts);
  const K = steps.length;
  const proj = sqlString(projectId);
  const where = `ts >= ${sqlInt(r.from)} AND ts <= ${sqlInt(r.end)} AND (${steps.map((f) => anyFilterSql(f)).join(' OR ')})`;
  const bits = [...steps.map((f, j) => `if(ifNull(${anyFilterSql(f)}, 0), ${2 ** j}, 0)`), `if(ts <= ${sqlInt(r.to)}, ${2 ** K}, 0)`];
  // x0 = ts, x1 = id, x2 = the bitmask
  const cols = ['ts', 'id', `toUInt64(${bits.join(' + ')})`];
  const m = r.order === 'any' ? anyOrderStages(K, sqlInt(r.windowMs), sqlInt(r.from)) : strictStages(K, sqlInt(r.windowMs));
  // Each stage is a SELECT over the one before: 18.16 expands aliases into one AST, and levels
  // defined through each other in one SELECT grow it exponentially ("AST is too big").
  let sql = `
      SELECT uk, arraySort(z -> (z.1, z.2), groupArray((x0, x1, x2))) AS hs_e, arrayMap(z -> z.1, hs_e) AS hs_t, arrayMap(z -> z.3, hs_e) AS hs_m
      FROM (${dedupedWithUser(proj, where, cols)})
      GROUP BY uk`;
  let carried = ['hs_t', 'hs_m'];
  for (const [i, stage] of m.stages.entries()) {
    // the chain in the last stage's SELECT: 18.16 drops a subquery column that the outer query
    // reads only inside a lambda ("Unknown identifier")
    const defs = i === m.stages.length - 1 ? [...stage.defs, `${m.chain} AS hs_chain`] : stage.defs;
    sql = `SELECT uk, ${[...carried, ...defs].join(',\n        ')} FROM (${sql})`;
    carried = [...carried, ...stage.keep];
  }
  return `SELECT uk, hs_chain AS chain FROM (${sql})`;
}

interface Stage {
  /** `expr AS alias` over the columns of the stage before */
  defs: string[];
  /** the aliases later stages read */
  keep: string[];
}

interface ChainStages {
  /** over hs_t (ts) and hs_m (bitmask): the user's events in (ts, id) order */
  stages: Stage[];
  /** the attempt's step timestamps, over the last stage's columns */
  chain: string;
}

const has = (m: string, j: number): string => `bitAnd(${m}, ${2 ** j}) != 0`;
/** deltas of a list, the first against 0: their running sum gives the list back */
const deltas = (xs: string): string => `arrayPopFront(arrayDifference(arrayPushFront(${xs}, toInt64(0))))`;

/**
 * Strict order. Level j: an event matching step j takes the chain of the LAST earlier event at
 * level j-1 (its start s and position p, carried forwards: the events (key 2i) sorted with those
 * (key 2p+1, after the event at p itself), summing the deltas of s and p) when t - s <= window.
 * The attempt is the first event at the highest level; its chain is rebuilt from the positions.
 */
function strictStages(K: number, W: string): ChainStages {
  const stages: Stage[] = [
    {
      defs: [`arrayMap(m -> toUInt8(bitAnd(m, ${2 ** 0 + 2 ** K}) = ${2 ** 0 + 2 ** K}), hs_m) AS hs_r0`, `hs_t AS hs_s0`, `arrayFirstIndex(r -> r = 1, hs_r0) AS hs_f0`],
      keep: ['hs_r0', 'hs_s0', 'hs_f0'],
    },
  ];
  for (let j = 1; j < K; j++) {
    const given = (xs: string): string => `arrayFilter((z, r) -> r = 1, ${xs}, hs_r${j - 1})`;
    stages.push({
      defs: [
        `${given('arrayEnumerate(hs_t)')} AS hs_g`,
        `arraySort(z -> z.1, arrayConcat(
          arrayMap(i -> (toUInt64(i * 2), toInt64(0), toInt64(0), toUInt8(0)), arrayEnumerate(hs_t)),
          arrayMap((p, ds, dp) -> (toUInt64(p * 2 + 1), ds, dp, toUInt8(1)), hs_g, ${deltas(given(`hs_s${j - 1}`))}, ${deltas('arrayMap(p -> toInt64(p), hs_g)')})
        )) AS hs_x`,
        `arrayFilter((c, z) -> z.4 = 0, arrayCumSum(arrayMap(z -> z.2, hs_x)), hs_x) AS hs_s${j}`,
        `arrayFilter((c, z) -> z.4 = 0, arrayCumSum(arrayMap(z -> z.3, hs_x)), hs_x) AS hs_p${j}`,
        `arrayMap((m, t, s, p) -> toUInt8(${has('m', j)} AND p > 0 AND t - s <= ${W}), hs_m, hs_t, hs_s${j}, hs_p${j}) AS hs_r${j}`,
        `arrayFirstIndex(r -> r = 1, hs_r${j}) AS hs_f${j}`,
      ],
      keep: [`hs_r${j}`, `hs_s${j}`, `hs_p${j}`, `hs_f${j}`],
    });
  }
  // the highest level reached (-1: none), then the chain's positions from it down to step 0
  const levels = Array.from({ length: K }, (_, k) => K - 1 - k).flatMap((j) => [`hs_f${j} > 0`, String(j)]);
  const last: string[] = [`${K === 1 ? `if(hs_f0 > 0, 0, -1)` : `multiIf(${levels.join(', ')}, -1)`} AS hs_l`];
  for (let j = K - 1; j >= 0; j--) {
    last.push(`${j === K - 1 ? `if(hs_l = ${j}, toInt64(hs_f${j}), toInt64(0))` : `if(hs_l = ${j}, toInt64(hs_f${j}), if(hs_l > ${j}, hs_p${j + 1}[hs_q${j + 1}], toInt64(0)))`} AS hs_q${j}`);
  }
  stages.push({ defs: last, keep: [] });
  const ts = Array.from({ length: K }, (_, j) => `hs_t[hs_q${j}]`).join(', ');
  return { stages, chain: `if(hs_l < 0, emptyArrayInt64(), arraySlice([${ts}], 1, hs_l + 1))` };
}

/**
 * Any order. Per step j, the first event at or after each event that matches step j (its ts
 * carried backwards: the events (key -2i) sorted with the step's events (key -2p-1, before the
 * event at p), one sort for all steps). Values are ts - from + 1, so 0 means "none". An event that
 * may start counts the steps within the window from it; the attempt is the first with the most.
 */
function anyOrderStages(K: number, W: string, from: string): ChainStages {
  const steps = Array.from({ length: K }, (_, j) => j);
  const givers = steps.map((j) => {
    const of = (xs: string): string => `arrayReverse(arrayFilter((z, m) -> ${has('m', j)}, ${xs}, hs_m))`;
    return `arrayMap((p, d) -> (-toInt64(p * 2 + 1), toUInt8(${j}), d), ${of('arrayEnumerate(hs_t)')}, ${deltas(of('hs_v'))})`;
  });
  const within = steps.map((j) => `(n${j} > 0 AND n${j} <= v + ${W})`).join(' + ');
  const stages: Stage[] = [
    { defs: [`arrayMap(t -> t - ${from} + 1, hs_t) AS hs_v`], keep: ['hs_v'] },
    {
      defs: [`arraySort(z -> z.1, arrayConcat(arrayMap(i -> (-toInt64(i * 2), toUInt8(255), toInt64(0)), arrayEnumerate(hs_t)), ${givers.join(', ')})) AS hs_x`],
      keep: ['hs_x'],
    },
    {
      defs: steps.map((j) => `arrayReverse(arrayFilter((c, z) -> z.2 = 255, arrayCumSum(arrayMap(z -> if(z.2 = ${j}, z.3, toInt64(0)), hs_x)), hs_x)) AS hs_n${j}`),
      keep: steps.map((j) => `hs_n${j}`),
    },
    {
      defs: [
        `arrayMap((m, v, ${steps.map((j) => `n${j}`).join(', ')}) -> if(${has('m', K)}, ${within}, 0), hs_m, hs_v, ${steps.map((j) => `hs_n${j}`).join(', ')}) AS hs_lv`,
        `arrayReduce('max', hs_lv) AS hs_best`,
        `arrayFirstIndex(l -> l = hs_best, hs_lv) AS hs_i`,
        `hs_v[hs_i] + ${W} AS hs_end`,
      ],
      keep: [],
    },
  ];
  const at = steps.map((j) => `hs_n${j}[hs_i]`).join(', ');
  return { stages, chain: `if(hs_best = 0, emptyArrayInt64(), arrayMap(v -> v + ${from} - 1, arraySort(arrayFilter(v -> v > 0 AND v <= hs_end, [${at}]))))` };
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
  const { step, limit, at } = dropoffPlan(steps, opts);
  const users = await rows(`
    SELECT uk AS u, chain[${sqlInt(step)}] AS ts FROM (${funnelUserChains(projectId, steps, opts)})
    WHERE length(chain) = ${sqlInt(step)}
    ORDER BY ts DESC, u
    LIMIT ${sqlInt(limit)}`);
  if (!users.length) return [];
  const where = `ts IN (${users.map((r) => sqlInt(Number(r.ts))).join(', ')}) AND ${anyFilterSql(at)}`;
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
