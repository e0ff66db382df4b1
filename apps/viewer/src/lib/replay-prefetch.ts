// Opening a replay URL directly (a link from the sessions list, a shared link, a reload): the
// session starts loading (index, events, then the first segment's chunks) while the main bundle
// is still starting, before React renders and before the replay page's code and rrweb arrive.
// On a cold open these chains (main bundle → page chunk → render → requests → chunks) were most
// of the time to first frame.
import { matchRoute } from './router';
import { loadServerSession, type SessionData } from './session-data';

let pending: { id: string; at: number | undefined; started: number; data: Promise<SessionData> } | null = null;

/**
 * A prefetched load older than this is loaded afresh: the session may have grown since (a row
 * pressed but not opened, then opened a minute later, must not show the older recording).
 */
const PREFETCH_FRESH_MS = 10_000;

/** the `?t=` moment a replay URL opens at */
export function openAt(search: string): number | undefined {
  const t = Number(new URLSearchParams(search).get('t'));
  return Number.isFinite(t) && t > 0 ? t : undefined;
}

/** The replay page's code (rrweb with it): fetched and evaluated before the page is needed. */
export function preloadReplayCode(): void {
  void import('../pages/ReplayPage').catch(() => {});
  void import('../components/Player').catch(() => {});
}

/**
 * Starts the replay page's code and data for a replay URL (by default the current one: a replay
 * opened directly; the sessions list calls it when a row is pressed, before the click lands).
 * `code: false` leaves the page's code (React with it) for later: the entry shows the first frame
 * before the app (early-replay.ts). Returns the load started (or reused), null for another URL.
 */
export function prefetchReplay(path = location.pathname, search = location.search, { code = true } = {}): { data: Promise<SessionData>; at: number | undefined } | null {
  const route = matchRoute(path);
  // `/sessions/import` is the offline import screen (ReplayPage's IMPORT_ID), not a session
  if (route.name !== 'replay' || route.id === 'import') return null;
  if (code) preloadReplayCode();
  const at = openAt(search);
  if (!(pending && pending.id === route.id && pending.at === at && performance.now() - pending.started < PREFETCH_FRESH_MS)) {
    pending = { id: route.id, at, started: performance.now(), data: loadServerSession(route.id, undefined, at) };
    // taken and awaited by the page, which reports a failure; not an unhandled rejection here
    pending.data.catch(() => {});
  }
  return { data: pending.data, at };
}

/**
 * Session id at `at` for the replay page: the prefetched load, once (a later open loads afresh);
 * a prefetch that failed (e.g. 401 before the login screen) is loaded again, not shown as the error.
 */
export function openSession(id: string, at: number | undefined, signal: AbortSignal): Promise<SessionData> {
  const p = pending && pending.id === id && pending.at === at && performance.now() - pending.started < PREFETCH_FRESH_MS ? pending.data : null;
  pending = null;
  const fresh = () => loadServerSession(id, signal, at);
  return p ? p.catch(fresh) : fresh();
}
