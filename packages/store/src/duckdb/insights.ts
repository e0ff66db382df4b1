// Trends and funnels in DuckDB. Same semantics as ../clickhouse/insights.ts (see ../../insights.md).
import type { BreakdownOptions, BreakdownSeries, DropoffOptions, EventFilter, FunnelDropoff, FunnelOptions, FunnelStep, TrendOptions, TrendPoint } from '../types.js';
import { assembleBreakdown, assembleDropoffs, BREAKDOWN_PATTERNS, breakdownLimit, dropoffPlan, fillBuckets, funnelRange, funnelSteps, trendBuckets } from '../common/insights.js';
import { anyFilterSql } from './filters.js';
import { Params } from './params.js';

type Query = (sql: string, p: Params) => Promise<Record<string, unknown>[]>;

/** user key: identified user of the anonymous id, else the anonymous id (prefixes keep them apart) */
const USER = `coalesce('u:' || i.user_id, 'a:' || e.anonymous_id)`;

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

/** The per-user funnel CTEs (ending in `us(u, chain)`, chain = the user's attempt's step timestamps). */
function funnelCtes(p: Params, projectId: string, steps: EventFilter[][], opts: FunnelOptions): string[] {
  const r = funnelRange(steps, opts);
  const K = steps.length;
  const proj = p.add(projectId);
  const from = p.add(r.from);
  const to = p.add(r.to);
  // DuckDB refuses a bound parameter the statement does not use: add the window only when used
  const win = K > 1 ? p.add(r.windowMs) : '';
  const flags = steps.map((f, j) => `${anyFilterSql(f, p)}${j === 0 ? ` AND e.ts <= ${to}` : ''} AS m${j}`);
  const ctes = [
    `ev AS (
      SELECT ${USER} AS u, e.ts, e.id, ${flags.join(', ')}
      FROM events e LEFT JOIN identities i ON i.project_id = ${proj} AND i.anonymous_id = e.anonymous_id
      WHERE e.project_id = ${proj} AND e.ts >= ${from} AND e.ts <= ${p.add(r.end)}
        AND (${steps.map((f) => anyFilterSql(f, p)).join(' OR ')}))`,
    `l0 AS (SELECT u, ts, id, ${steps.map((_, j) => `coalesce(m${j}, FALSE) AS m${j}`).join(', ')},
      CASE WHEN coalesce(m0, FALSE) THEN [ts] END AS c0 FROM ev)`,
  ];
  const ms = steps.map((_, j) => `m${j}`).join(', ');
  const cs = (n: number): string => Array.from({ length: n }, (_, k) => `, c${k}`).join('');
  for (let j = 1; j < K; j++) {
    ctes.push(`q${j} AS (SELECT u, ts, id, ${ms}${cs(j)}, last_value(c${j - 1} IGNORE NULLS) OVER (PARTITION BY u ORDER BY ts, id
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS p${j} FROM l${j - 1})`);
    // MATERIALIZED: inlined, each level's plan grows with the one below (20 steps took 30 s to plan)
    ctes.push(`l${j} AS MATERIALIZED (SELECT u, ts, id, ${ms}${cs(j)}, CASE WHEN m${j} AND p${j} IS NOT NULL AND ts - p${j}[1] <= ${win}
        THEN list_append(p${j}, ts) END AS c${j} FROM q${j})`);
  }
  const firstChain = (j: number): string => `first(c${j} ORDER BY ts, id) FILTER (WHERE c${j} IS NOT NULL)`;
  ctes.push(`us AS (SELECT u, coalesce(${Array.from({ length: K }, (_, k) => firstChain(K - 1 - k)).join(', ')}) AS chain
    FROM l${K - 1} GROUP BY u)`);
  return ctes;
}

/**
 * Per user, over their candidate events in (ts, id) order, level j of an event that matches step j
 * is the chain of step timestamps [t0 … tj] continuing the LAST event before it that reached level
 * j-1 (that one has the latest start, so it is the best to extend), kept when tj - t0 <= window.
 * Level 0 is any step-0 event in [from, to]. The user's attempt is the chain of the first event at
 * the highest level reached. One window pass per step.
 */
export async function duckdbFunnel(query: Query, projectId: string, steps: EventFilter[][], opts: FunnelOptions): Promise<FunnelStep[]> {
  const p = new Params();
  const ctes = funnelCtes(p, projectId, steps, opts);
  const K = steps.length;
  const cols: string[] = [];
  for (let k = 0; k < K; k++) {
    cols.push(`count(*) FILTER (WHERE len(chain) > ${k}) AS n${k}`);
    if (k > 0) cols.push(`quantile_cont(chain[${k + 1}] - chain[${k}], 0.5) FILTER (WHERE len(chain) > ${k}) AS d${k}`);
  }
  const [row] = await query(`WITH ${ctes.join(',\n')} SELECT ${cols.join(', ')} FROM us WHERE chain IS NOT NULL`, p);
  return funnelSteps(
    steps.map((_, k) => Number(row?.[`n${k}`] ?? 0)),
    steps.map((_, k) => (k > 0 && row?.[`d${k}`] !== null && row?.[`d${k}`] !== undefined ? Number(row[`d${k}`]) : null)),
  );
}

/** Users whose attempt reached step `step - 1` but not `step`, with the ts of that last step. */
export async function duckdbFunnelDropoffs(query: Query, projectId: string, steps: EventFilter[][], opts: DropoffOptions): Promise<FunnelDropoff[]> {
  const { step, limit } = dropoffPlan(steps, opts);
  const p = new Params();
  const ctes = funnelCtes(p, projectId, steps, opts);
  const users = await query(
    // step and limit are validated integers (dropoffPlan): inlined, as a list index must be an INTEGER
    `WITH ${ctes.join(',\n')} SELECT u, chain[${step}] AS ts FROM us WHERE len(chain) = ${step} ORDER BY ts DESC, u LIMIT ${limit}`,
    p,
  );
  if (!users.length) return [];
  // where each of them was at that moment: their step `step - 1` event at that ts
  const p2 = new Params();
  const proj = p2.add(projectId);
  const events = await query(
    `SELECT ${USER} AS u, e.ts, e.session_id, e.id
     FROM events e LEFT JOIN identities i ON i.project_id = ${proj} AND i.anonymous_id = e.anonymous_id
     WHERE e.project_id = ${proj} AND e.ts IN (SELECT unnest(${p2.list(users.map((r) => String(r.ts)))})::BIGINT)
       AND ${anyFilterSql(steps[step - 1], p2)}
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
