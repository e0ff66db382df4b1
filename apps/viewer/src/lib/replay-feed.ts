// Progressive replay: a session's rrweb stream cut into *segments*, each starting at an rrweb Meta
// event (emitted before every FullSnapshot: each page load and each periodic checkout, see the
// recorder's checkoutEveryNms). Any moment can be shown by loading just the segment containing
// it, so a 30-minute session neither downloads nor rebuilds from its beginning.
import { indexChunk, type ChunkIndexEntry, type ReplayIndex as WireReplayIndex } from '@hindsight/schema';
import { RRWEB_FULL_SNAPSHOT, sanitizeReplay, type ReplayEventLike } from './replay';

/** the recorder cuts a chunk right after a FullSnapshot; its Meta may end the chunk before */
const HEAD_PARTS = 2;

type HeadLoad = Promise<Map<string, ReplayEventLike[]>> & { ids: Set<string> };

/** Resolves after the browser painted the next frame (rAF runs just before the paint). */
export function afterNextPaint(): Promise<void> {
  if (typeof requestAnimationFrame === 'undefined') return Promise.resolve();
  return new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
}

/** how long work waiting for the first frame (ReplayFeed.painted) waits when no player shows one */
export const PAINT_GRACE_MS = 3000;

/** The parts' events, time-ordered (stable: events sharing a millisecond keep their recorded order). */
function collect(parts: Segment['parts'], got: Map<string, ReplayEventLike[]>): ReplayEventLike[] {
  const out: ReplayEventLike[] = [];
  for (const p of parts) {
    const evs = got.get(p.id);
    if (!evs) throw new Error('part of the recording could not be loaded');
    for (let k = p.from; k < p.to && k < evs.length; k++) {
      const e = evs[k];
      if (e && typeof e === 'object' && Number.isFinite(e.timestamp)) out.push(e);
    }
  }
  return out.sort((a, b) => a.timestamp - b.timestamp);
}

/** the replay index as the viewer reads it: chunk bodies in `head` are rrweb events */
export type ReplayIndex = WireReplayIndex<ReplayEventLike>;
export type { ChunkIndexEntry };

/** Index entry of an in-memory chunk (imported files), described like the server describes its chunks */
export function indexEvents(id: string, events: ReplayEventLike[]): ChunkIndexEntry {
  return indexChunk({ id, rec: 'import', seq: 0, ts: 0, events });
}

/** The whole index of chunks held in memory: nothing more to come from a server */
export function memoryIndex(chunks: ChunkIndexEntry[]): ReplayIndex {
  return { v: 1, chunks, complete: true, lastTs: Math.max(0, ...chunks.map((c) => c.ts)) };
}

export interface Segment {
  /** timestamp of the Meta event it starts with */
  start: number;
  /** last event timestamp (approximate: the end of its last chunk) */
  end: number;
  /** event ranges [from, to) of chunks, in order */
  parts: { id: string; from: number; to: number }[];
  /** JSON size of the chunks holding its Meta + FullSnapshot: how costly a rebuild is */
  snapshotBytes: number;
}

/**
 * Segments in time order. Chunks are taken by start time (concurrent tabs interleave, like the old
 * whole-array sort did); events before the first Meta cannot be rebuilt and are left out.
 */
export function buildSegments(chunks: ChunkIndexEntry[]): Segment[] {
  const sorted = chunks.map((c, k) => ({ c, k })).sort((a, b) => a.c.ts - b.c.ts || a.k - b.k);
  const segs: Segment[] = [];
  let cur: Segment | null = null;
  for (const { c } of sorted) {
    let from = 0;
    for (const m of c.metas) {
      if (cur && m.i > from) cur.parts.push({ id: c.id, from, to: m.i });
      if (cur) cur.end = Math.max(cur.end, Math.min(c.end, m.ts));
      cur = { start: m.ts, end: m.ts, parts: [], snapshotBytes: 0 };
      segs.push(cur);
      from = m.i;
    }
    if (cur && c.n > from) {
      cur.parts.push({ id: c.id, from, to: c.n });
      cur.end = Math.max(cur.end, c.end);
      // the recorder cuts right after a FullSnapshot; its Meta may end the chunk before
      if (cur.parts.length <= 2) cur.snapshotBytes = Math.max(cur.snapshotBytes, c.bytes);
    }
  }
  return segs;
}

/** Index of the segment showing absolute time t: the last one starting at or before t (0 before all). */
export function segmentAt(segs: Segment[], t: number): number {
  let lo = 0;
  let hi = segs.length - 1;
  let ans = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (segs[mid].start <= t) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/** Loads chunk events by id (server + cache, or an imported file). Missing ids are left out. */
export type ChunkLoader = (ids: string[]) => Promise<Map<string, ReplayEventLike[]>>;

/**
 * A session's replay: its index, segments and a memoized, sanitized loader per segment. It may
 * start from a partial index (a time prefix holding at least the first whole segment) and take
 * the complete one when it arrives: segments of the prefix keep their numbers, only its last one
 * can still grow, so nothing at or after that loads before the complete index is there.
 */
export class ReplayFeed {
  index!: ReplayIndex;
  segments: Segment[] = [];
  start = 0;
  end = 0;
  /** page loads: Meta hrefs by time */
  pages: { ts: number; url: string }[] = [];
  complete = true;
  readonly whenComplete: Promise<void>;
  private loaded = new Map<number, Promise<ReplayEventLike[]>>();
  private heads = new Map<number, HeadLoad>();
  private listeners = new Set<() => void>();
  /**
   * Settles once a player showed a frame of this feed and it painted (markPainted), or after
   * PAINT_GRACE_MS without one. Work the first frame does not need (the rest of the index and of
   * the segment, cache writes) waits for it: on a cold open it would hold that frame back.
   */
  readonly painted: Promise<void>;
  private resolvePainted!: () => void;

  constructor(
    index: ReplayIndex,
    private readonly loader: ChunkLoader,
    rest?: Promise<ReplayIndex>,
  ) {
    this.painted = new Promise<void>((r) => (this.resolvePainted = r));
    setTimeout(() => this.resolvePainted(), PAINT_GRACE_MS);
    this.setIndex(index);
    this.complete = index.complete !== false || !rest;
    this.whenComplete = this.complete
      ? Promise.resolve()
      : rest!.then((full) => {
          const keep = this.segments.length - 1;
          this.setIndex(full);
          for (const k of [...this.loaded.keys()]) if (k >= keep) this.loaded.delete(k);
          this.complete = true;
          this.listeners.forEach((l) => l());
        });
    this.whenComplete.catch(() => {}); // awaited where needed; an unreachable server is reported there
  }

  markPainted(): void {
    this.resolvePainted();
  }

  private setIndex(index: ReplayIndex): void {
    this.index = index;
    this.segments = buildSegments(index.chunks);
    const all = index.chunks;
    this.start = this.segments[0]?.start ?? Math.min(...all.map((c) => c.ts), Infinity);
    this.end = Math.max(this.start, index.lastTs ?? 0, ...all.map((c) => c.end));
    if (!Number.isFinite(this.start)) this.start = this.end = 0;
    this.pages = all.flatMap((c) => c.metas.filter((m) => m.href).map((m) => ({ ts: m.ts, url: m.href }))).sort((a, b) => a.ts - b.ts);
  }

  /** called once the complete index replaced a partial one */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** whether segmentAt(t) is final (a partial index cannot place times in or after its last segment) */
  covers(t: number): boolean {
    return this.complete || (this.segments.length > 1 && t < this.segments[this.segments.length - 1].start);
  }

  get playable(): boolean {
    return this.segments.length > 0;
  }

  /** The segment's events, time-ordered and sanitized (recordings are untrusted, see replay.ts). */
  loadSegment(i: number): Promise<ReplayEventLike[]> {
    if (!this.complete && i >= this.segments.length - 1) return this.whenComplete.then(() => this.loadSegment(i));
    let p = this.loaded.get(i);
    if (!p) {
      p = this.read(i);
      this.loaded.set(i, p);
      p.catch(() => this.loaded.delete(i)); // a failed load may be retried
    }
    return p;
  }

  isLoaded(i: number): boolean {
    return this.loaded.has(i);
  }

  /**
   * The first chunks of segment i when they hold its FullSnapshot and the segment has more: enough
   * to show its first frame while the rest (up to 5 minutes of changes) is still on the way. Its
   * events are the very objects loadSegment(i) returns later (so the rest is told apart by
   * identity). null when there is nothing to gain or the head is not self-sufficient.
   */
  async loadHead(i: number): Promise<ReplayEventLike[] | null> {
    const seg = this.segments[i];
    if (!seg) return null;
    const head = seg.parts.slice(0, HEAD_PARTS);
    const headIds = [...new Set(head.map((p) => p.id))];
    // The last segment of a partial index (the server's first-frame prefix) still grows, but its
    // first parts do not change: the prefix is a time prefix and already holds them.
    const growing = !this.complete && i === this.segments.length - 1;
    if (growing ? head.length < HEAD_PARTS : new Set(seg.parts.map((p) => p.id)).size <= headIds.length) return null;
    let p = this.heads.get(i);
    if (!p) {
      if (this.loaded.has(i)) return null; // the whole segment is already on its way
      p = Object.assign(this.loader(headIds), { ids: new Set(headIds) });
      this.heads.set(i, p);
      p.catch(() => this.heads.delete(i));
    }
    const out = collect(head, await p);
    if (!out.some((e) => e.type === RRWEB_FULL_SNAPSHOT)) return null;
    return sanitizeReplay(out);
  }

  private async read(i: number): Promise<ReplayEventLike[]> {
    const seg = this.segments[i];
    if (!seg) return [];
    const ids = [...new Set(seg.parts.map((p) => p.id))];
    const headP = this.heads.get(i);
    let got: Map<string, ReplayEventLike[]>;
    if (headP) {
      // the head's chunks are reused, not fetched again: its events must stay the same objects
      const [head, rest] = await Promise.all([headP, this.loader(ids.filter((id) => !headP.ids.has(id)))]);
      got = new Map([...rest, ...head]);
    } else got = await this.loader(ids);
    // sanitizing is stateful along the segment (link elements), so it runs over all of it again
    return sanitizeReplay(collect(seg.parts, got));
  }

  /** Every rrweb event of the session in order (export). */
  async all(): Promise<ReplayEventLike[]> {
    await this.whenComplete;
    const got = await this.loader(this.index.chunks.map((c) => c.id));
    const out: ReplayEventLike[] = [];
    for (const c of this.index.chunks) for (const e of got.get(c.id) ?? []) out.push(e);
    return out.sort((a, b) => a.timestamp - b.timestamp);
  }
}
