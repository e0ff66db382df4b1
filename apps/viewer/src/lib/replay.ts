import type { RawEvent } from '@hindsight/schema';
import { describeChain } from './chain';

export interface ReplayEventLike {
  type: number;
  timestamp: number;
  data?: any;
}

/** rrweb EventType.Meta — carries the page URL of each recording (one per page load). */
export const RRWEB_META = 4;

export type MarkerKind = 'click' | 'rage' | 'dead' | 'match' | 'pageview' | 'error';

export interface Marker {
  kind: MarkerKind;
  /** ms from replay start */
  offset: number;
  /** 0..100 along the timeline */
  pct: number;
  label: string;
  /** the raw event it stands for */
  eventId?: string;
}

const MARKER_KIND: Record<string, MarkerKind | undefined> = {
  click: 'click',
  rage_click: 'rage',
  dead_click: 'dead',
  pageview: 'pageview',
  error: 'error',
  network_error: 'error',
};

export function markerKind(type: string): MarkerKind | undefined {
  return MARKER_KIND[type];
}

export function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

/**
 * Timeline markers for clicks (rage and dead clicks apart), page views, errors and events matching
 * saved definitions (`matches`, one marker per definition and event), positioned on [start, start+total].
 */
export function buildMarkers(events: RawEvent[], start: number, total: number, matches: { name: string; eventId: string; ts: number }[] = []): Marker[] {
  const out: Marker[] = [];
  const at = (ts: number) => {
    const offset = clamp(ts - start, 0, total);
    return { offset, pct: total > 0 ? (offset / total) * 100 : 0 };
  };
  for (const e of events) {
    const kind = markerKind(e.type);
    if (!kind) continue;
    out.push({ kind, ...at(e.ts), label: `${e.type.replace('_', ' ')}: ${describeEvent(e)}`, eventId: e.id });
  }
  for (const m of matches) out.push({ kind: 'match', ...at(m.ts), label: m.name, eventId: m.eventId });
  return out;
}

/** Definition names matching each event id. */
export function matchNames(matches: { name: string; eventId: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of matches) {
    const list = out.get(m.eventId) ?? [];
    if (!list.includes(m.name)) list.push(m.name);
    out.set(m.eventId, list);
  }
  return out;
}

/** Index of the last event with ts <= t (events sorted by ts), or -1. */
export function eventIndexAt(events: { ts: number }[], t: number): number {
  let lo = 0;
  let hi = events.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid].ts <= t) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/**
 * Where a replay opens: `at` (`?t=`) kept within the session (its replay and its events, which
 * may run past the replay's end), else the replay's start.
 */
export function openingTs(feed: { start: number; end: number }, events: { ts: number }[], at: number | undefined): number {
  return at === undefined ? feed.start : clamp(at, feed.start, sessionEnd(feed, events));
}

/** The session's last moment: its replay's end or its last event, whichever is later. */
export function sessionEnd(feed: { end: number }, events: { ts: number }[]): number {
  return Math.max(feed.end, events.length ? events[events.length - 1].ts : feed.end);
}

/** The page changes of a session, time-ordered: page loads (rrweb Meta hrefs) and SPA page views. */
export function pageChanges(pages: { ts: number; url: string }[], events: RawEvent[]): { ts: number; url: string }[] {
  const list = [...pages];
  for (const e of events) if (e.type === 'pageview' && e.url) list.push({ ts: e.ts, url: e.url });
  return list.sort((a, b) => a.ts - b.ts);
}

/** The URL shown at t, from pageChanges: the last change at or before t, else the first. */
export function pageUrlAt(changes: { ts: number; url: string }[], t: number): string {
  let url = changes[0]?.url ?? '';
  for (const c of changes) {
    if (c.ts > t) break;
    url = c.url;
  }
  return url;
}

/** Path + query + hash of a URL (the origin is the same for a whole session, so it is noise). */
export function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}${u.hash}` || '/';
  } catch {
    return url;
  }
}

/** One-line description of a raw event for the event list. */
export function describeEvent(e: RawEvent): string {
  switch (e.type) {
    case 'pageview':
    case 'pageleave':
      return shortUrl(e.url);
    case 'custom':
      return e.name ?? '(unnamed)';
    case 'identify':
      return e.userId ?? e.name ?? '';
    case 'error':
      return e.name ?? String((e.props as any)?.message ?? 'error');
    case 'network_error': {
      const p = (e.props ?? {}) as Record<string, unknown>;
      const bits = [p.method, p.status, p.url].filter((x) => x !== undefined && x !== null && x !== '');
      return bits.length ? bits.join(' ') : (e.name ?? 'request failed');
    }
    default:
      return e.chain ? describeChain(e.chain) : (e.name ?? shortUrl(e.url));
  }
}

// ---- untrusted recordings ------------------------------------------------------------------
// The sandbox (no allow-scripts) and the viewer's CSP stop every script. What they do not stop in
// Chromium is `<link rel=prefetch>`: it ignores CSP (prefetch-src is gone, default-src does not
// apply) and fetches any URL a forged recording names. DESIGN habit 9 lets a replay load only
// images, fonts and stylesheets, so a <link> keeps its href only while its rel is a stylesheet.

export const RRWEB_FULL_SNAPSHOT = 2;
const RRWEB_INCREMENTAL = 3;
const RRWEB_MUTATION = 0;
const RRWEB_ELEMENT = 2;
/** link attributes that make Chromium fetch something */
const LINK_URL_ATTRS = ['href', 'imagesrcset'];

function isStylesheetRel(rel: unknown): boolean {
  return typeof rel === 'string' && rel.toLowerCase().split(/\s+/).includes('stylesheet');
}

/** Strips fetching attributes from non-stylesheet links and notes every link's rel by node id. */
function sanitizeNode(node: any, links: Map<number, unknown>): void {
  if (!node || typeof node !== 'object') return;
  if (node.type === RRWEB_ELEMENT && typeof node.tagName === 'string' && node.tagName.toLowerCase() === 'link') {
    const attrs = node.attributes && typeof node.attributes === 'object' ? node.attributes : (node.attributes = {});
    links.set(node.id, attrs.rel);
    if (!isStylesheetRel(attrs.rel)) for (const a of LINK_URL_ATTRS) delete attrs[a];
  }
  if (Array.isArray(node.childNodes)) for (const c of node.childNodes) sanitizeNode(c, links);
}

/**
 * Neutralizes what the sandbox and CSP cannot, in place (idempotent): `<link>` elements whose rel
 * is not a stylesheet lose their URL, in the full snapshot, in added nodes, and when a later
 * attribute change turns a link into one (the URL is removed before the new rel is applied).
 */
export function sanitizeReplay<T extends ReplayEventLike>(events: T[]): T[] {
  const links = new Map<number, unknown>();
  for (const e of events) {
    if (!e || typeof e !== 'object' || !e.data || typeof e.data !== 'object') continue;
    if (e.type === RRWEB_FULL_SNAPSHOT) {
      links.clear();
      sanitizeNode(e.data.node, links);
    } else if (e.type === RRWEB_INCREMENTAL && e.data.source === RRWEB_MUTATION) {
      if (Array.isArray(e.data.adds)) for (const a of e.data.adds) sanitizeNode(a?.node, links);
      if (!Array.isArray(e.data.attributes)) continue;
      e.data.attributes = e.data.attributes.map((m: any) => {
        if (!m || !links.has(m.id) || !m.attributes || typeof m.attributes !== 'object') return m;
        const rel = 'rel' in m.attributes ? m.attributes.rel : links.get(m.id);
        links.set(m.id, rel);
        if (isStylesheetRel(rel)) return m;
        const rest = { ...m.attributes };
        for (const a of LINK_URL_ATTRS) delete rest[a];
        // removals first (null removes the attribute), so no moment has the URL with the new rel
        return { ...m, attributes: { href: null, imagesrcset: null, ...rest } };
      });
    }
  }
  return events;
}
