// The replay index of a stored session (what an entry says: @hindsight/schema's replay-index.ts).
// The viewer uses it to fetch only the chunks from the nearest preceding snapshot, so a 30-minute session starts
// and seeks without downloading all of it. Chunks are immutable once stored (deduplicated by id),
// so each chunk's entry is computed once and kept; a live session only reads its new chunks.
import { indexChunk, type ChunkIndexEntry, type ReplayIndex } from '@hindsight/schema';
import type { Store } from '@hindsight/store';

/**
 * Chunk bodies (`{"id","events"}` JSON) the first-segment index just read: the viewer asks for
 * exactly those chunks next, for its first frame, and reading them from the store a second time
 * was a good part of a cold open. Bounded LRU; chunks are immutable, so an entry never goes stale.
 */
const BODY_CACHE_BYTES = 64 * 1024 * 1024;

class BodyCache {
  private entries = new Map<string, string>();
  private bytes = 0;
  constructor(private readonly max: number) {}

  get(key: string): string | undefined {
    const v = this.entries.get(key);
    if (v !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, v);
    }
    return v;
  }

  set(key: string, v: string): void {
    if (v.length > this.max) return;
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.bytes -= old.length;
      this.entries.delete(key);
    }
    this.entries.set(key, v);
    this.bytes += v.length;
    for (const [k, old] of this.entries) {
      if (this.bytes <= this.max) break;
      this.entries.delete(k);
      this.bytes -= old.length;
    }
  }
}

/** chunks by start time, stable (the store's order breaks ties) */
function byTime<T extends { ts: number }>(chunks: T[]): T[] {
  return chunks.map((c, k) => ({ c, k })).sort((a, b) => a.c.ts - b.c.ts || a.k - b.k).map((x) => x.c);
}

/**
 * The chunks holding the start of index's first segment (its first Meta's chunk and the one after
 * it, where the FullSnapshot is): what the viewer's first frame needs (`head=true`).
 */
export function headIds(index: ReplayIndex): string[] {
  const order = byTime(index.chunks);
  const at = order.findIndex((c) => c.metas.length > 0);
  return at < 0 ? [] : order.slice(at, at + 2).map((c) => c.id);
}

const READ_BATCH = 200;
/** chunks read per step while looking for the start of the first segment */
const FIRST_STEP = 16;

export class ReplayIndexCache {
  /** session key → chunk id → entry; Map order is the LRU order */
  private sessions = new Map<string, Map<string, ChunkIndexEntry>>();
  private building = new Map<string, Promise<ReplayIndex>>();
  private bodies = new BodyCache(BODY_CACHE_BYTES);
  /** session key → chunk id → position in replay order (the store's order, from the chunk list) */
  private order = new Map<string, Map<string, number>>();
  constructor(
    private readonly store: Store,
    private readonly maxSessions = 200,
  ) {}

  /**
   * The session's index. With `firstSegment`, the answer is a time prefix that ends one chunk
   * after the first Meta (the recorder cuts right after a FullSnapshot, so its Meta may end the
   * chunk before): enough for the viewer to show the first frame, which then loads the rest of
   * the segment beside it. A cold session reads only those chunks; the rest is indexed by the
   * complete request that follows.
   */
  get(projectId: string, sessionId: string, opts: { firstSegment?: boolean } = {}): Promise<ReplayIndex> {
    if (opts.firstSegment) return this.build(projectId, sessionId, true);
    // one full build per session at a time (concurrent requests for it meet here)
    const key = JSON.stringify([projectId, sessionId]);
    let p = this.building.get(key);
    if (!p) {
      p = this.build(projectId, sessionId, false).finally(() => this.building.delete(key));
      this.building.set(key, p);
    }
    return p;
  }

  /**
   * The bodies of chunks `ids` in replay order when every one of them is cached (the first
   * segment just indexed), else null: the caller reads them from the store.
   */
  cachedBodies(projectId: string, sessionId: string, ids: string[]): string[] | null {
    const key = JSON.stringify([projectId, sessionId]);
    const pos = this.order.get(key);
    if (!pos) return null;
    const out: { at: number; body: string }[] = [];
    for (const id of ids) {
      const body = pos.has(id) ? this.bodies.get(`${key}/${id}`) : undefined;
      if (body === undefined) return null;
      out.push({ at: pos.get(id)!, body });
    }
    return out.sort((a, b) => a.at - b.at).map((x) => x.body);
  }

  /**
   * The `{"id","events"}` bodies of chunks `ids` (unknown ones left out) in replay order: from
   * memory when the first-segment index just read them all, else from the store.
   */
  async chunkBodies(projectId: string, sessionId: string, ids: string[]): Promise<string[]> {
    const cached = this.cachedBodies(projectId, sessionId, ids);
    if (cached) return cached;
    return (await this.store.replayChunksById(projectId, sessionId, ids)).map((c) => JSON.stringify({ id: c.id, events: c.events }));
  }

  private async build(projectId: string, sessionId: string, firstSegment: boolean): Promise<ReplayIndex> {
    const opts = { firstSegment };
    const key = JSON.stringify([projectId, sessionId]);
    const known = this.sessions.get(key) ?? new Map<string, ChunkIndexEntry>();
    this.sessions.delete(key);
    this.sessions.set(key, known);
    while (this.sessions.size > this.maxSessions) {
      const old = this.sessions.keys().next().value!;
      this.sessions.delete(old);
      this.order.delete(old);
    }
    const list = await this.store.replayChunkList(projectId, sessionId);
    this.order.set(key, new Map(list.map((m, k) => [m.id, k])));
    const lastTs = list.reduce((m, c) => Math.max(m, c.ts), 0);
    const read = async (ids: string[], keepBodies = false) => {
      for (const c of await this.store.replayChunksById(projectId, sessionId, ids)) {
        known.set(c.id, indexChunk(c));
        if (keepBodies) this.bodies.set(`${key}/${c.id}`, JSON.stringify({ id: c.id, events: c.events }));
      }
    };
    // also when every chunk is known: the prefix is a much smaller answer for the first frame
    if (opts.firstSegment) {
      const order = byTime(list);
      let firstMeta = -1;
      for (let i = 0; i < order.length; i++) {
        if (!known.has(order[i].id)) await read(order.slice(i, i + FIRST_STEP).filter((m) => !known.has(m.id)).map((m) => m.id), true);
        if (firstMeta < 0 && known.get(order[i].id)?.metas.length) firstMeta = i;
        if (firstMeta >= 0 && i > firstMeta && i < order.length - 1) {
          // The rest is indexed when asked for (the viewer asks once its first frame painted);
          // indexing it right now would compete with the first frame's own requests.
          const chunks = order.slice(0, i + 1).map((m) => known.get(m.id)!);
          return { v: 1, chunks, complete: false, lastTs };
        }
      }
    }
    const missing = list.filter((m) => !known.has(m.id)).map((m) => m.id);
    // first time: one query for the whole session beats many by-id pages
    if (known.size === 0 && missing.length > READ_BATCH) for (const c of await this.store.replayChunks(projectId, sessionId)) known.set(c.id, indexChunk(c));
    else for (let i = 0; i < missing.length; i += READ_BATCH) await read(missing.slice(i, i + READ_BATCH));
    return { v: 1, chunks: list.map((m) => known.get(m.id)).filter((e): e is ChunkIndexEntry => !!e), complete: true, lastTs };
  }
}
