// A user's profile: every session (their anonymous ids merged through identify, earlier anonymous
// sessions included), their events in time order and the traits their identify calls sent.
import { Hono } from 'hono';
import type { RawEvent, SessionSummary } from '@hindsight/schema';
import type { Store } from '@hindsight/store';
import { json } from '../http/json.js';
import { notFound } from '../http/errors.js';

/** a profile is for reading, not exporting: past these the response says `truncated` */
const MAX_SESSIONS = 500;
const MAX_EVENTS = 5000;

export function userRoutes(store: Store, projectId: string) {
  const r = new Hono();
  r.get('/users/:id', async (c) => {
    const userId = c.req.param('id').slice(0, 2048);
    const { sessions, next } = await store.listSessions(projectId, { userId, limit: MAX_SESSIONS });
    if (sessions.length === 0) throw notFound('no sessions for this user');
    const stored = await store.findEvents(projectId, [{ sessionIds: sessions.map((s) => s.id) }], { limit: MAX_EVENTS + 1 });
    const events: RawEvent[] = stored.slice(0, MAX_EVENTS).map(({ projectId: _p, chainHash: _h, ...e }) => e);
    return json({
      userId,
      anonymousIds: [...new Set(sessions.map((s) => s.anonymousId))].sort(),
      firstSeen: Math.min(...sessions.map((s) => s.startedAt)),
      lastSeen: Math.max(...sessions.map((s) => s.endedAt)),
      traits: mergeTraits(events, userId),
      sessions: sessions satisfies SessionSummary[],
      events,
      truncated: next !== null || stored.length > MAX_EVENTS,
    });
  });
  return r;
}

/** identify traits in time order, later values winning (like Segment's profile merge) */
export function mergeTraits(events: RawEvent[], userId: string): Record<string, unknown> {
  const traits: Record<string, unknown> = {};
  for (const e of events) {
    if (e.type !== 'identify' || e.userId !== userId || !e.props || typeof e.props !== 'object') continue;
    // `$`-prefixed props are the server's (browser, OS, device), not traits the site sent
    for (const [k, v] of Object.entries(e.props)) if (k !== '__proto__' && !k.startsWith('$')) traits[k] = v;
  }
  return traits;
}
