// IndexedDB cache (Dexie) of replay chunks and session records, so a reopened session starts
// from local data, also when the server cannot be reached. Chunks are immutable once stored
// (deduplicated by id), so a cached chunk never goes stale. Values are stored as JSON text: the
// Replayer writes into event objects, and text is cheap to structured-clone and to size.
// Total size is bounded; least recently used entries go first (lru.ts).
import type { Dexie, Table } from 'dexie';
import { planEviction, type CacheEntry } from './lru';

interface BlobRow {
  key: string;
  text: string;
}

type CacheDb = Dexie & { entries: Table<CacheEntry, string>; blobs: Table<BlobRow, string> };

/** Dexie loads beside the session's first requests instead of before them. */
async function openDb(name: string): Promise<CacheDb | null> {
  if (typeof indexedDB === 'undefined') return null; // e.g. some private modes: every read is a miss
  const { default: DexieClass } = await import('dexie');
  const db = new DexieClass(name) as CacheDb;
  db.version(1).stores({ entries: 'key', blobs: 'key' });
  return db;
}

export const DEFAULT_CACHE_BYTES = 256 * 1024 * 1024;

export class ReplayCache {
  private opened: Promise<CacheDb | null> | null = null;
  /** keys the open page uses: never evicted while it shows them */
  readonly keep = new Set<string>();

  constructor(
    readonly name = 'hindsight-replay-cache',
    readonly maxBytes = DEFAULT_CACHE_BYTES,
  ) {}

  /** opened on first use: loading Dexie and opening IndexedDB cost a fresh browser ~100 ms of main thread */
  private get dbP(): Promise<CacheDb | null> {
    return (this.opened ??= openDb(this.name).catch(() => null));
  }

  /** Cached texts by key (misses left out); marks the hits as used now. */
  async getMany(keys: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const db = await this.dbP;
    if (!db || keys.length === 0) return out;
    try {
      const rows = await db.blobs.bulkGet(keys);
      for (const r of rows) if (r) out.set(r.key, r.text);
      if (out.size) void db.entries.where('key').anyOf([...out.keys()]).modify({ usedAt: Date.now() }).catch(() => {});
    } catch {
      /* a broken cache is only a miss */
    }
    return out;
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.getMany([key])).get(key);
  }

  /** Stores texts, then evicts least recently used entries beyond the budget. */
  async putMany(items: { key: string; text: string }[]): Promise<void> {
    const db = await this.dbP;
    if (!db || items.length === 0) return;
    const now = Date.now();
    try {
      await db.transaction('rw', db.entries, db.blobs, async () => {
        await db.blobs.bulkPut(items);
        await db.entries.bulkPut(items.map((i) => ({ key: i.key, bytes: i.text.length, usedAt: now })));
      });
      await this.evict();
    } catch {
      /* quota or a closed database: caching is best effort */
    }
  }

  async evict(): Promise<string[]> {
    const db = await this.dbP;
    if (!db) return [];
    const victims = planEviction(await db.entries.toArray(), this.maxBytes, this.keep);
    if (victims.length) {
      await db.transaction('rw', db.entries, db.blobs, async () => {
        await db.entries.bulkDelete(victims);
        await db.blobs.bulkDelete(victims);
      });
    }
    return victims;
  }

  async totalBytes(): Promise<number> {
    const db = await this.dbP;
    if (!db) return 0;
    let n = 0;
    await db.entries.each((e) => (n += e.bytes));
    return n;
  }
}

let shared: ReplayCache | null = null;
/** The viewer's one cache (created lazily: Dexie loads with the replay page only). */
export function replayCache(): ReplayCache {
  return (shared ??= new ReplayCache());
}
