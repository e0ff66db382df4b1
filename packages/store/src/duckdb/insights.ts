// Trends and funnels in DuckDB. Same semantics as ../clickhouse/insights.ts (see ../../insights.md).
import type { BreakdownOptions, BreakdownSeries, DropoffOptions, EventFilter, FunnelDropoff, FunnelOptions, FunnelStep, TrendOptions, TrendPoint } from '../types.js';
import { assembleBreakdown, assembleDropoffs, BREAKDOWN_PATTERNS, breakdownLimit, dropoffPlan, fillBuckets, funnelRange, funnelSteps, trendBuckets } from '../common/insights.js';
import { anyFilterSql } from './filters.js';
import { Params } from './params.js';

type Query = (sql: string, p: Params) => Promise<Record<string, unknown>[]>;

/** user key: identified user of the anonymous id, else the anonymous id (prefixes keep them apart) */
const userKey = (events: string): string => `coalesce('u:' || i.user_id, 'a:' || ${events}.anonymous_id)`;
const USER = userKey('e');

export async function duckdbTrend(query: Query, projectId: string, filters: EventFilter[], opts: TrendOptions): Promise<TrendPoint[]> {
  const b = trendBuckets(opts);
  const p = new Params();
  const proj = p.add(projectId);
  const origin = p.add(b.origin);
  const size = p.add(b.size);
  // Count per (bucket, anonymous id) first, then resolve users over those few rows: joining the
  // identities per matching event costs more than the whole scan.
  const rows = await query(
    `WITH g AS (
       SELECT e.ts - (((e.ts - ${origin}) % ${size}) + ${size}) % ${size} AS t, e.anonymous_id, count(*) AS n
       FROM events e
       WHERE e.project_id = ${proj} AND e.ts >= ${p.add(b.from)} AND e.ts <= ${p.add(b.to)} AND ${anyFilterSql(filters, p)}
       GROUP BY 1, 2)
     SELECT g.t, sum(g.n) AS events, count(DISTINCT coalesce('u:' || i.user_id, 'a:' || g.anonymous_id)) AS users
     FROM g LEFT JOIN identities i ON i.project_id = ${proj} AND i.anonymous_id = g.anonymous_id
     GROUP BY g.t`,
    p,
  );
  return fillBuckets(
    b,
    rows.map((r) => ({ t: Number(r.t), events: Number(r.events), users: Number(r.users) })),
  );
}

interface Machine {
  /** list_reduce's lambda over the state `a` and the event `x` ({t: ts, m: bitmask}) */
  step: string;
  initial: string;
  /** the attempt's step timestamps from the final state `a` */
  chain: string;
  /** the same with window functions, over `hv(u, ts, id, m)`, ending in `heavy(u, chain)` */
  windows: string[];
}

/** mask `m` has bit j (step j; bit K: the event may start an attempt) */
const bit = (m: string, j: number): string => `(${m} & ${2 ** j}) <> 0`;

/**
 * Strict order, forwards. State: l{j} = chain of the last event so far that reached step j (only
 * ever extended by a later event, so one event fills one step), b = the chain of the first event
 * at the highest step reached so far.
 */
function strictMachine(K: number, W: string): Machine {
  // event x reaches step j (with chain(j)): tested without building the list
  const reaches = (j: number): string => (j === 0 ? `${bit('x.m', 0)} AND ${bit('x.m', K)}` : `${bit('x.m', j)} AND x.t - a.l${j - 1}[1] <= ${W}`);
  const chain = (j: number): string => (j === 0 ? '[x.t]' : `list_append(a.l${j - 1}, x.t)`);
  const fields = Array.from({ length: K - 1 }, (_, j) => `'l${j}': CASE WHEN ${reaches(j)} THEN ${chain(j)} ELSE a.l${j} END`);
  // the highest step this event reaches replaces b when b is shorter
  const best = Array.from({ length: K }, (_, k) => K - 1 - k).map((j) => `WHEN len(a.b) <= ${j} AND ${reaches(j)} THEN ${chain(j)}`);
  fields.push(`'b': CASE ${best.join(' ')} ELSE a.b END`);
  const initial = [...Array.from({ length: K - 1 }, (_, j) => `'l${j}': NULL::BIGINT[]`), `'b': []::BIGINT[]`];
  // windows: level j's chain c{j} continues the last earlier c{j-1}; one window pass per level
  const cs = (n: number): string => Array.from({ length: n }, (_, k) => `, c${k}`).join('');
  const windows = [`h0 AS (SELECT u, ts, id, m, CASE WHEN ${bit('m', 0)} AND ${bit('m', K)} THEN [ts] END AS c0 FROM hv)`];
  for (let j = 1; j < K; j++) {
    windows.push(
      `hq${j} AS (SELECT u, ts, id, m${cs(j)}, last_value(c${j - 1} IGNORE NULLS) OVER (PARTITION BY u ORDER BY ts, id
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS p FROM h${j - 1})`,
      // MATERIALIZED: inlined, each level's plan grows with the one below (20 steps took 30 s to plan)
      `h${j} AS MATERIALIZED (SELECT u, ts, id, m${cs(j)}, CASE WHEN ${bit('m', j)} AND ts - p[1] <= ${W} THEN list_append(p, ts) END AS c${j}
        FROM hq${j})`,
    );
  }
  const firsts = Array.from({ length: K }, (_, k) => `first(c${K - 1 - k} ORDER BY ts, id) FILTER (WHERE c${K - 1 - k} IS NOT NULL)`);
  windows.push(`heavy AS (SELECT u, coalesce(${firsts.join(', ')}, []) AS chain FROM h${K - 1} GROUP BY u)`);
  return { step: `lambda a, x: {${fields.join(', ')}}`, initial: `{${initial.join(', ')}}`, chain: 'a.b', windows };
}

/** later than any ts, so never within a window (a NULL would make the sums NULL) */
const NONE = '9223372036854775807';

/**
 * Any order, backwards. State: n{j} = ts of the first event at or after this one that matches step
 * j (NONE: no such event); an event that may start counts the steps whose n{j} is within the window
 * from it, and becomes the best start when it counts at least as many as the best so far (walking
 * backwards, so ties go to the earliest start). b = [its count, its ts, its n0 …]: one list, as
 * separate fields each re-evaluated the count; the chain is the n{j} within the window, sorted.
 */
function anyOrderMachine(K: number, W: string): Machine {
  const steps = Array.from({ length: K }, (_, j) => j);
  const next = steps.map((j) => `CASE WHEN ${bit('x.m', j)} THEN x.t ELSE a.n${j} END`);
  // the event itself (if it matches step j) is within the window; NONE never is
  const level = `(${steps.map((j) => `(${bit('x.m', j)} OR a.n${j} <= x.t + ${W})::INTEGER`).join(' + ')})`;
  const fields = [...steps.map((j) => `'n${j}': ${next[j]}`), `'b': CASE WHEN ${bit('x.m', K)} AND ${level} >= a.b[1] THEN [${level}, x.t, ${next.join(', ')}] ELSE a.b END`];
  const initial = [...steps.map((j) => `'n${j}': ${NONE}::BIGINT`), `'b': [0]::BIGINT[]`];
  const chain = (b: string): string => `list_sort([t FOR t IN ${b}[3:] IF t <= ${b}[2] + ${W}])`;
  // windows: n{j} over the rows from this one on (one pass); the best start by (most steps, ts, id)
  const windows = [
    `hn AS (SELECT u, ts, id, m, ${steps.map((j) => `coalesce(min(CASE WHEN ${bit('m', j)} THEN ts END) OVER w, ${NONE}) AS n${j}`).join(', ')}
      FROM hv WINDOW w AS (PARTITION BY u ORDER BY ts, id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING))`,
    `hl AS (SELECT u, ts, id, ${steps.map((j) => `(n${j} <= ts + ${W})::INTEGER`).join(' + ')} AS lv, [${steps.map((j) => `n${j}`).join(', ')}] AS ns
      FROM hn WHERE ${bit('m', K)})`,
    `heavy AS (SELECT u, ${chain(`arg_min(list_concat([lv, ts], ns), {'l': -lv, 't': ts, 'i': id})`)} AS chain FROM hl GROUP BY u)`,
  ];
  return { step: `lambda a, x: {${fields.join(', ')}}`, initial: `{${initial.join(', ')}}`, chain: chain('a.b'), windows };
}

/** users with more candidate events than this take the window passes (see funnelCtes) */
const LIST_MAX = 2000;

/**
 * The per-user funnel CTEs, ending in `us(u, chain)`: chain = the step timestamps of the user's
 * attempt (insights.md; empty when they never entered). One scan tags each candidate event with a
 * bitmask (bit j: matches step j; bit K: may start an attempt, ts <= to), one GROUP BY gathers each
 * user's events in order and one list_reduce per user runs the order's state machine. (A window
 * pass per step for every user re-sorted ~8 M rows per step: 8 s for 3 steps over 10 M events.)
 */
function funnelCtes(p: Params, projectId: string, steps: EventFilter[][], opts: FunnelOptions): string[] {
  const r = funnelRange(steps, opts);
  const proj = p.add(projectId);
  const bits = steps.map((f, j) => `CASE WHEN ${anyFilterSql(f, p)} THEN ${2 ** j} ELSE 0 END`);
  bits.push(`CASE WHEN e.ts <= ${p.add(r.to)} THEN ${2 ** steps.length} ELSE 0 END`);
  // DuckDB refuses a bound parameter the statement does not use: a 1-step strict funnel has no window
  const W = r.order === 'any' || steps.length > 1 ? p.add(r.windowMs) : '';
  const m = r.order === 'any' ? anyOrderMachine(steps.length, W) : strictMachine(steps.length, W);
  // The events in (ts, m) order: sorting by (ts, id) carried every id string through the GROUP BY
  // and the sort (1 s of 3.5 s). That is the (ts, id) order except where one user has events of
  // different masks at one ts: only strict order tells those apart (in any order the first of them
  // starts the attempt holding them all, at one ts), so its users with such ties are sorted again
  // by (ts, id) from a second scan that DuckDB skips when there are none. Users with more than
  // LIST_MAX events take window passes instead (heavy): list_reduce costs ~25 µs per step of its
  // longest list, so one user with 300k events took 20 s (0.8 s in windows).
  const light = (l: string): string => `len(${l}) <= ${LIST_MAX}`;
  const reduce =
    r.order === 'any'
      ? [`st AS (SELECT u, list_reduce(list_reverse(l), ${m.step}, ${m.initial}) AS a FROM f WHERE ${light('l')})`]
      : [
          `tied AS (SELECT u, list_transform(list_sort(list({'t': ts, 'i': id, 'm': m})), lambda z: {'t': z.t, 'm': z.m}) AS l FROM ev
            WHERE u IN (SELECT u FROM f WHERE ${light('l')} AND len([1 FOR p IN list_zip(l, l[2:]) IF p[1].t = p[2].t AND p[1].m <> p[2].m]) > 0)
            GROUP BY u)`,
          `st AS (SELECT f.u, list_reduce(coalesce(tied.l, f.l), ${m.step}, ${m.initial}) AS a FROM f LEFT JOIN tied ON tied.u = f.u WHERE ${light('f.l')})`,
        ];
  return [
    // each step's filter evaluated once (as a mask bit, not again in WHERE); identities joined to
    // the candidates only; NOT MATERIALIZED: a copy would hold every id string again
    `ev AS NOT MATERIALIZED (
      SELECT ${userKey('c')} AS u, c.ts, c.id, c.m
      FROM (SELECT e.anonymous_id, e.ts, e.id, ${bits.join(' + ')} AS m
            FROM events e WHERE e.project_id = ${proj} AND e.ts >= ${p.add(r.from)} AND e.ts <= ${p.add(r.end)}) c
        LEFT JOIN identities i ON i.project_id = ${proj} AND i.anonymous_id = c.anonymous_id
      WHERE c.m % ${2 ** steps.length} <> 0)`,
    // MATERIALIZED: read several times; inlined, the GROUP BY and sort would run each time
    `f AS MATERIALIZED (SELECT u, list_sort(list({'t': ts, 'm': m})) AS l FROM ev GROUP BY u)`,
    ...reduce,
    `hv AS (SELECT * FROM ev WHERE u IN (SELECT u FROM f WHERE NOT ${light('l')}))`,
    ...m.windows,
    `us AS (SELECT u, ${m.chain} AS chain FROM st UNION ALL SELECT u, chain FROM heavy)`,
  ];
}

export async function duckdbFunnel(query: Query, projectId: string, steps: EventFilter[][], opts: FunnelOptions): Promise<FunnelStep[]> {
  const p = new Params();
  const ctes = funnelCtes(p, projectId, steps, opts);
  const K = steps.length;
  const cols: string[] = [];
  for (let k = 0; k < K; k++) {
    cols.push(`count(*) FILTER (WHERE len(chain) > ${k}) AS n${k}`);
    if (k > 0) cols.push(`quantile_cont(chain[${k + 1}] - chain[${k}], 0.5) FILTER (WHERE len(chain) > ${k}) AS d${k}`);
  }
  // no WHERE: DuckDB would evaluate the list_reduce again to filter (FILTER clauses do not)
  const [row] = await query(`WITH ${ctes.join(',\n')} SELECT ${cols.join(', ')} FROM us`, p);
  return funnelSteps(
    steps.map((_, k) => Number(row?.[`n${k}`] ?? 0)),
    steps.map((_, k) => (k > 0 && row?.[`d${k}`] !== null && row?.[`d${k}`] !== undefined ? Number(row[`d${k}`]) : null)),
  );
}

/** Users whose attempt reached step `step - 1` but not `step`, with the ts of that last step. */
export async function duckdbFunnelDropoffs(query: Query, projectId: string, steps: EventFilter[][], opts: DropoffOptions): Promise<FunnelDropoff[]> {
  const { step, limit, at } = dropoffPlan(steps, opts);
  const p = new Params();
  const ctes = funnelCtes(p, projectId, steps, opts);
  // step and limit are validated integers (dropoffPlan): inlined, as a list index must be an INTEGER.
  // The users who stopped sort first; no WHERE, as DuckDB would evaluate the list_reduce again to filter.
  const rows = await query(
    `WITH ${ctes.join(',\n')} SELECT u, chain[${step}] AS ts, len(chain) = ${step} AS hit FROM us ORDER BY hit DESC, ts DESC, u LIMIT ${limit}`,
    p,
  );
  const users = rows.filter((r) => r.hit === true);
  if (!users.length) return [];
  // where each of them was at that moment: their event of the last done step at that ts
  const p2 = new Params();
  const proj = p2.add(projectId);
  const events = await query(
    `SELECT ${USER} AS u, e.ts, e.session_id, e.id
     FROM events e LEFT JOIN identities i ON i.project_id = ${proj} AND i.anonymous_id = e.anonymous_id
     WHERE e.project_id = ${proj} AND e.ts IN (SELECT unnest(${p2.list(users.map((r) => String(r.ts)))})::BIGINT)
       AND ${anyFilterSql(at, p2)}
     ORDER BY e.ts, e.id`,
    p2,
  );
  return assembleDropoffs(users, events);
}

/** trend per breakdown value (see Breakdown in ../types.ts); top values chosen in the same query */
export async function duckdbTrendBreakdown(query: Query, projectId: string, filters: EventFilter[], opts: BreakdownOptions): Promise<BreakdownSeries[]> {
  const limit = breakdownLimit(opts);
  const b = trendBuckets(opts);
  const p = new Params();
  const proj = p.add(projectId);
  const origin = p.add(b.origin);
  const size = p.add(b.size);
  const bd = opts.breakdown;
  let value: string;
  let join = '';
  if (bd.kind === 'chain') {
    const entries = Object.entries(bd.values);
    join = `LEFT JOIN (SELECT unnest(${p.list(entries.map(([h]) => h))}) AS hash, unnest(${p.list(entries.map(([, v]) => v))}) AS val) m ON m.hash = e.chain_hash`;
    value = `coalesce(m.val, '')`;
  } else if (bd.kind === 'event_name') {
    value = `coalesce(e.name, '')`;
  } else if (bd.kind === 'prop') {
    // string values only ('' for numbers, objects, absent), like ClickHouse's visitParamExtractString
    const path = p.add(`$."${bd.name}"`);
    value = `coalesce(CASE WHEN json_type(e.props, ${path}) = 'VARCHAR' THEN json_extract_string(e.props, ${path}) END, '')`;
  } else {
    const col = bd.kind === 'referrer_domain' ? `coalesce(e.referrer, '')` : 'e.url';
    value = `regexp_extract(${col}, ${p.add(BREAKDOWN_PATTERNS[bd.kind])}, 1)`;
  }
  const rows = await query(
    `WITH g AS (
       SELECT e.ts - (((e.ts - ${origin}) % ${size}) + ${size}) % ${size} AS t, ${value} AS v, e.anonymous_id, count(*) AS n
       FROM events e ${join}
       WHERE e.project_id = ${proj} AND e.ts >= ${p.add(b.from)} AND e.ts <= ${p.add(b.to)} AND ${anyFilterSql(filters, p)}
       GROUP BY 1, 2, 3),
     top AS (SELECT v FROM g GROUP BY v ORDER BY sum(n) DESC, v LIMIT ${p.add(limit)})
     SELECT g.t, g.v, sum(g.n) AS events, count(DISTINCT coalesce('u:' || i.user_id, 'a:' || g.anonymous_id)) AS users
     FROM g LEFT JOIN identities i ON i.project_id = ${proj} AND i.anonymous_id = g.anonymous_id
     WHERE g.v IN (SELECT v FROM top)
     GROUP BY g.t, g.v`,
    p,
  );
  return assembleBreakdown(
    b,
    rows.map((r) => ({ t: Number(r.t), v: String(r.v), events: Number(r.events), users: Number(r.users) })),
  );
}
