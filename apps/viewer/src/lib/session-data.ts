// Everything the replay page shows for one session, from the server (falling back to the
// IndexedDB cache when the server cannot be reached) or from an imported file.
import type { RawEvent, SessionSummary } from '@hindsight/schema';
import { ApiError, client, getReplayChunks, getReplayIndex, getSession, getSessionEvents, getSessionMatches, type DefinitionMatch } from '../api';
import { replayCache, type ReplayCache } from './replay-cache';
import { ReplayFeed, indexEvents, memoryIndex, segmentAt, type ChunkLoader, type ReplayIndex } from './replay-feed';
import type { ReplayEventLike } from './replay';

export interface SessionData {
  id: string;
  summary: SessionSummary | null;
  events: RawEvent[];
  matches: DefinitionMatch[];
  feed: ReplayFeed;
  /** where the session record came from */
  origin: 'server' | 'cache' | 'file';
  /** matches and summary when they arrive after the first frame */
  later?: Promise<{ matches: DefinitionMatch[]; summary: SessionSummary | null }>;
}

interface CachedSession {
  summary: SessionSummary | null;
  events: RawEvent[];
  matches: DefinitionMatch[];
  index: ReplayIndex;
}

const CHUNK_IDS_PER_REQUEST = 200;
/** keep each chunks response moderate (a 10k-node snapshot chunk is ~1 MB of JSON) */
const BYTES_PER_REQUEST = 8 * 1024 * 1024;

/** localStorage mark "this browser may hold session id": a stale one (evicted since) costs one lookup */
const MARK = 'hs:replay-cached:';
/**
 * Cache keys, scoped by the project the viewer acts on: session and chunk ids come from recorders
 * (anyone with a write key), so another project may hold the same ids with other data.
 */
export function cacheKeys(project: string | undefined) {
  const scope = encodeURIComponent(project ?? '');
  return { session: (id: string) => `s:${scope}:${id}`, chunk: (id: string) => `c:${scope}:${id}`, mark: (id: string) => `${MARK}${scope}:${id}` };
}
type CacheKeys = ReturnType<typeof cacheKeys>;

/** unreachable server or a server fault: the cache may answer; a 4xx (e.g. 401) must surface */
const offline = (e: unknown) => e instanceof ApiError && (e.status === 0 || e.status >= 500);

/** `at`: the moment the page opens at (`?t=`); its segment starts loading right away. */
export async function loadServerSession(id: string, signal?: AbortSignal, at?: number, cache: ReplayCache = replayCache()): Promise<SessionData> {
  // taken once: a project switch while this loads must not mix two projects' entries
  const { session: sessionKey, chunk: chunkKey, mark } = cacheKeys(client.project);
  // A session this browser never cached needs no IndexedDB (nor Dexie's code) before its first frame.
  const mayBeCached = hasCachedMark(mark(id));
  const cachedP = mayBeCached ? cache.get(sessionKey(id)).then((t) => (t ? (JSON.parse(t) as CachedSession) : null)).catch(() => null) : Promise.resolve(null);
  let fromCache = false;
  const orCached = async <T>(p: Promise<T>, pick: (c: CachedSession) => T): Promise<T> => {
    try {
      return await p;
    } catch (e) {
      const c = offline(e) ? await cachedP : null;
      if (!c) throw e;
      fromCache = true;
      return pick(c);
    }
  };
  // markers and the summary are extras: the first frame does not wait for them (matching runs
  // every saved definition), and the replay must not fail without them
  const matchesP = orCached(getSessionMatches(id, signal), (c) => c.matches).catch(() => [] as DefinitionMatch[]);
  const summaryP = orCached(getSession(id, signal), (c) => c.summary).catch(() => null);
  // Opening at its start: the first segment's index first (a cold server answers it before
  // indexing everything), with the chunks of its first frame. Opening at a moment (`?t=`): the
  // whole index, as that moment lies past the first segment's prefix, and waiting for the rest
  // until a frame painted would wait for a frame that needs the rest (PAINT_GRACE_MS, seconds).
  const fromStart = at === undefined;
  const [ev, first] = await Promise.all([orCached(getSessionEvents(id, signal), (c) => ({ events: c.events })), orCached(getReplayIndex(id, signal, fromStart, fromStart), (c) => c.index)]);
  const { head, ...index } = first;
  const preloaded = new Map((head ?? []).filter((c) => Array.isArray(c.events)).map((c) => [c.id, c.events]));
  // The first frame comes from its segment's head (the snapshot). The complete index and the rest
  // of the segment would compete with it for the main thread (parsing, sanitizing), so they are
  // asked for once the head is in and a frame has painted.
  let releaseRest!: () => void;
  const restGate = new Promise<void>((r) => (releaseRest = r));
  const full = index.complete === false ? restGate.then(() => getReplayIndex(id, signal)) : Promise.resolve(index);
  const events = ev.events.slice().sort((a, b) => a.ts - b.ts);
  const later = Promise.all([matchesP, summaryP]).then(([matches, summary]) => ({ matches, summary }));
  cache.keep.clear();
  cache.keep.add(sessionKey(id));
  // no cached record of this session: its chunks are not worth a cache lookup before fetching
  // (opening IndexedDB in a fresh browser alone costs ~150 ms); the marker answers at once
  let known: boolean | undefined = mayBeCached ? undefined : false;
  void cachedP.then((c) => (known = !!c));
  const feed: ReplayFeed = new ReplayFeed(index, serverLoader(id, (): ReplayIndex => feed.index, cache, chunkKey, () => known !== false, () => feed.painted, preloaded), full);
  void Promise.all([later, full.then(() => feed.whenComplete)]).then(([{ matches, summary }]) => {
    for (const c of feed.index.chunks) cache.keep.add(chunkKey(c.id));
    if (!fromCache) {
      void cache.putMany([{ key: sessionKey(id), text: JSON.stringify({ summary, events, matches, index: feed.index } satisfies CachedSession) }]);
      markCached(mark(id));
    }
  }).catch(() => {});
  for (const c of index.chunks) cache.keep.add(chunkKey(c.id));
  // the first frame's chunks load while the player's code (rrweb) is still being evaluated
  const t = at ?? feed.start;
  if (feed.playable) {
    // its head (the snapshot) first, on its own request: the first frame needs only that, and it
    // is known from the server's first-frame prefix even before the complete index
    const k = segmentAt(feed.segments, t);
    feed
      .loadHead(k)
      .then((head) => (head ? feed.painted : undefined))
      .catch(() => {})
      .finally(releaseRest);
    if (feed.covers(t)) void restGate.then(() => feed.loadSegment(k)).catch(() => {});
  } else releaseRest();
  return { id, summary: null, events, matches: [], later, feed, origin: fromCache ? 'cache' : 'server' };
}

function hasCachedMark(key: string): boolean {
  try {
    return localStorage.getItem(key) !== null;
  } catch {
    return true; // no localStorage: ask the cache
  }
}
function markCached(key: string): void {
  try {
    localStorage.setItem(key, '1');
  } catch {
    /* full or unavailable: lookups just cost more */
  }
}

/**
 * Chunks sent with the index (`preloaded`, taken once) first, then cached ones, the rest from the
 * server in bounded requests. Fresh chunks are cached once the first frame painted (`painted`):
 * on a cold open, stringifying the snapshot and opening IndexedDB would hold that frame back.
 */
function serverLoader(sessionId: string, index: () => ReplayIndex, cache: ReplayCache, chunkKey: CacheKeys['chunk'], mayBeCached: () => boolean, painted: () => Promise<void>, preloaded: Map<string, ReplayEventLike[]>): ChunkLoader {
  const keep = (got: { id: string; events: ReplayEventLike[] }[]) => void painted().then(() => cache.putMany(got.map((c) => ({ key: chunkKey(c.id), text: chunkText(c.events) }))));
  return async (ids) => {
    const bytes = new Map(index().chunks.map((c) => [c.id, c.bytes]));
    const out = new Map<string, ReplayEventLike[]>();
    const sent = ids.filter((id) => preloaded.has(id)).map((id) => ({ id, events: preloaded.get(id)! }));
    for (const c of sent) {
      out.set(c.id, c.events);
      preloaded.delete(c.id);
    }
    if (sent.length) keep(sent);
    const rest = ids.filter((id) => !out.has(id));
    const hits = mayBeCached() && rest.length ? await cache.getMany(rest.map(chunkKey)) : new Map<string, string>();
    for (const id of rest) {
      const t = hits.get(chunkKey(id));
      if (t === undefined) continue;
      try {
        out.set(id, JSON.parse(t));
      } catch {
        /* a damaged entry is a miss */
      }
    }
    const missing = ids.filter((id) => !out.has(id));
    // the requests of one segment run side by side (the server answers each from one query)
    await Promise.all(
      [...batches(missing, (id) => bytes.get(id) ?? 0)].map(async (group) => {
        const { chunks } = await getReplayChunks(sessionId, group);
        const got = chunks.filter((c) => Array.isArray(c.events));
        for (const c of got) out.set(c.id, c.events);
        keep(got);
      }),
    );
    return out;
  };
}

/**
 * A chunk's cache text. The Replayer may have written into its events by then: its `delay` is left
 * out (recomputed on every load); what else it or sanitizeReplay changes replays the same (a
 * textarea's text node dropped in favour of its value attribute, link URLs removed).
 */
function chunkText(events: ReplayEventLike[]): string {
  return JSON.stringify(events.map((e) => (e && typeof e === 'object' && 'delay' in e ? { ...e, delay: undefined } : e)));
}

function* batches(ids: string[], size: (id: string) => number): Generator<string[]> {
  let cur: string[] = [];
  let sum = 0;
  for (const id of ids) {
    if (cur.length && (cur.length >= CHUNK_IDS_PER_REQUEST || sum + size(id) > BYTES_PER_REQUEST)) {
      yield cur;
      cur = [];
      sum = 0;
    }
    cur.push(id);
    sum += size(id);
  }
  if (cur.length) yield cur;
}

/** pieces an imported stream is cut into, so segments load like server chunks */
const IMPORT_CHUNK_EVENTS = 200;

/** A session held in memory (an imported file): no server involved. */
export function memorySession(id: string, summary: SessionSummary | null, events: RawEvent[], matches: DefinitionMatch[], replay: ReplayEventLike[]): SessionData {
  const sorted = replay.slice().sort((a, b) => a.timestamp - b.timestamp);
  const pieces = new Map<string, ReplayEventLike[]>();
  for (let i = 0; i < sorted.length; i += IMPORT_CHUNK_EVENTS) pieces.set(`f${i / IMPORT_CHUNK_EVENTS}`, sorted.slice(i, i + IMPORT_CHUNK_EVENTS));
  const index = memoryIndex([...pieces].map(([k, evs]) => indexEvents(k, evs)));
  const loader: ChunkLoader = async (ids) => new Map(ids.filter((k) => pieces.has(k)).map((k) => [k, pieces.get(k)!]));
  return { id, summary, events: events.slice().sort((a, b) => a.ts - b.ts), matches, feed: new ReplayFeed(index, loader), origin: 'file' };
}
