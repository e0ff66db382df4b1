import type { SessionSummary } from '@hindsight/schema';

/** Summary row (same column names in both stores) → SessionSummary. */
export function rowToSession(r: Record<string, unknown>): SessionSummary {
  return {
    id: String(r.id),
    anonymousId: String(r.anonymous_id),
    userId: r.user_id === null || r.user_id === undefined ? null : String(r.user_id),
    startedAt: Number(r.started_at),
    endedAt: Number(r.ended_at),
    eventCount: Number(r.event_count),
    entryUrl: String(r.entry_url),
    hasError: r.has_error === true || r.has_error === 1 || r.has_error === '1' || r.has_error === 'true',
    pageCount: Number(r.page_count),
    rageClicks: Number(r.rage_clicks),
    deadClicks: Number(r.dead_clicks),
  };
}
