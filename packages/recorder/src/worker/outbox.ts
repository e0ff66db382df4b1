// The durable outbox: every event and replay chunk waits here (as its JSON text) until the
// server acknowledged the batch that carried it. Keyed by the item's UUIDv7, so reading in
// key order replays items in creation order. Falls back to memory when IndexedDB is
// unavailable (then nothing is durable, but delivery still works).

export interface Rec {
  id: string;
  /** 'e' event, 'c' replay chunk */
  k: 'e' | 'c';
  /** the item as JSON */
  j: string;
}

export interface Outbox {
  durable: () => boolean;
  put(recs: Rec[]): Promise<void>;
  take(n: number): Promise<Rec[]>;
  del(ids: string[]): Promise<void>;
  keys(): Promise<string[]>;
}

const STORE = 'o';

function done<T>(r: IDBRequest<T> | IDBOpenDBRequest): Promise<T> {
  return new Promise((res, rej) => {
    r.onsuccess = () => res(r.result as T);
    r.onerror = () => rej(r.error);
  });
}

export function openOutbox(name: string): Outbox {
  const mem = new Map<string, Rec>();
  let db: IDBDatabase | null = null;
  const ready = (async () => {
    try {
      const r = indexedDB.open(name, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: 'id' });
      db = await done<IDBDatabase>(r);
      // another tab upgrading the schema must not be blocked by us
      db.onversionchange = () => db && db.close();
    } catch {
      db = null;
    }
  })();

  async function tx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T> | void): Promise<T> {
    await ready;
    const t = db!.transaction(STORE, mode);
    const r = fn(t.objectStore(STORE));
    return new Promise((res, rej) => {
      t.oncomplete = () => res(r ? r.result : (undefined as T));
      t.onerror = t.onabort = () => rej(t.error);
    });
  }

  return {
    durable: () => !!db,
    async put(recs) {
      await ready;
      if (db)
        try {
          return await tx('readwrite', (s) => recs.forEach((r) => s.put(r)));
        } catch {
          /* quota: keep them in memory below */
        }
      recs.forEach((r) => mem.set(r.id, r));
      throw 0; // tells the caller it is not durable
    },
    async take(n) {
      await ready;
      const m = [...mem.values()].slice(0, n);
      if (!db || m.length >= n) return m;
      return m.concat(await tx('readonly', (s) => s.getAll(null, n - m.length)));
    },
    async del(ids) {
      ids.forEach((id) => mem.delete(id));
      await ready;
      if (db) await tx('readwrite', (s) => ids.forEach((id) => s.delete(id)));
    },
    async keys() {
      await ready;
      const k = [...mem.keys()];
      return db ? k.concat((await tx('readonly', (s) => s.getAllKeys())) as string[]) : k;
    },
  };
}
