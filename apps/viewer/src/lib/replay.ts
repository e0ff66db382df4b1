import type { RawEvent } from '@hindsight/schema';
import { describeChain } from './chain';

export interface ReplayEventLike {
  type: number;
  timestamp: number;
  data?: any;
}

/** rrweb EventType.Meta — carries the page URL of each recording (one per page load). */
const RRWEB_META = 4;

export type MarkerKind = 'click' | 'pageview' | 'error';

export interface Marker {
  kind: MarkerKind;
  /** ms from replay start */
  offset: number;
  /** 0..100 along the timeline */
  pct: number;
  label: string;
}

const MARKER_KIND: Record<string, MarkerKind | undefined> = {
  click: 'click',
  rage_click: 'click',
  dead_click: 'click',
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

/** Timeline markers for clicks, page views and errors, positioned on [start, start+total]. */
export function buildMarkers(events: RawEvent[], start: number, total: number): Marker[] {
  const out: Marker[] = [];
  for (const e of events) {
    const kind = markerKind(e.type);
    if (!kind) continue;
    const offset = clamp(e.ts - start, 0, total);
    out.push({ kind, offset, pct: total > 0 ? (offset / total) * 100 : 0, label: `${e.type}: ${describeEvent(e)}` });
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

/** The page URL being shown at absolute time t: last rrweb Meta href or pageview url at or before t. */
export function urlAt(replay: ReplayEventLike[], events: RawEvent[], t: number): string {
  let best = '';
  let bestTs = -Infinity;
  for (const e of replay) {
    if (e.timestamp > t) break;
    if (e.type === RRWEB_META && typeof e.data?.href === 'string' && e.timestamp >= bestTs) {
      best = e.data.href;
      bestTs = e.timestamp;
    }
  }
  for (const e of events) {
    if (e.ts > t) break;
    if (e.type === 'pageview' && e.url && e.ts >= bestTs) {
      best = e.url;
      bestTs = e.ts;
    }
  }
  if (!best) {
    const firstMeta = replay.find((e) => e.type === RRWEB_META && typeof e.data?.href === 'string');
    best = firstMeta?.data.href ?? events[0]?.url ?? '';
  }
  return best;
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
