// Session summaries are aggregated from events at query time (no rollup to keep consistent with
// dedupe). Shared SQL for listSessions and getSession.
import type { Params } from './params.js';

/**
 * `inner` narrows the events aggregated (e.g. one session, or sessions with a matching URL);
 * `outer` filters the summaries (userId, start bounds, hasError, frustration, duration, cursor).
 */
export function sessionsSql(p: Params, projectParam: string, inner: string[], outer: string[], limit: string | null, orderBy = 'started_at DESC, id DESC'): string {
  return `
    WITH s AS (
      SELECT session_id AS id,
        arg_min(anonymous_id, (ts, id)) AS anonymous_id,
        min(ts) AS started_at,
        max(ts) AS ended_at,
        max(ts) - min(ts) AS duration_ms,
        count(*) AS event_count,
        count_if(type = 'pageview') AS page_count,
        count_if(type = 'rage_click') AS rage_clicks,
        count_if(type = 'dead_click') AS dead_clicks,
        arg_min(url, (ts, id)) AS entry_url,
        bool_or(type = 'error') AS has_error,
        max(user_id) AS any_user_id
      FROM events e
      WHERE e.project_id = ${projectParam} ${inner.map((c) => `AND ${c}`).join(' ')}
      GROUP BY session_id
    ), j AS (
      SELECT s.*, coalesce(i.user_id, s.any_user_id) AS user_id
      FROM s LEFT JOIN identities i ON i.project_id = ${projectParam} AND i.anonymous_id = s.anonymous_id
    )
    SELECT id, anonymous_id, user_id, started_at, ended_at, event_count, entry_url, has_error,
      page_count, rage_clicks, dead_clicks
    FROM j
    ${outer.length ? `WHERE ${outer.join(' AND ')}` : ''}
    ORDER BY ${orderBy}
    ${limit ? `LIMIT ${limit}` : ''}`;
}

