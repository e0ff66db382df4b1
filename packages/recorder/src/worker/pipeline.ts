// Delivery pipeline: outbox ► batch ► (gzip) ► POST, with retry. Runs in the worker, or on
// the main thread when no worker can be started (then without compression: plain JSON is
// accepted by the server and keeps fflate out of the main bundle).
import { openOutbox, type Rec } from './outbox';
export type { Rec } from './outbox';

/** an event ('e') or replay chunk ('c') as JSON, serialised on the main thread */
export type Item = Rec;

export interface PipelineOptions {
  /** full ingest URL incl. ?key= */
  url: string;
  /** outbox database name (one per write key) */
  db: string;
  gzip?: (s: string) => Uint8Array<ArrayBuffer>;
  /** items now durable (in IndexedDB) or delivered */
  stored: (ids: string[]) => void;
  /** items acknowledged by the server (or dropped for good) */
  sent: (ids: string[]) => void;
  log: (...a: unknown[]) => void;
  /** fetch to use: the main thread passes the page's original, unpatched fetch */
  fetch?: typeof fetch;
}

export interface Pipeline {
  put(items: Item[]): void;
  /** resolves when everything put before, and everything in the outbox now, is acknowledged */
  flush(): Promise<void>;
  /** send now; `online` also forgets the current backoff */
  kick(online?: boolean): void;
}

const BATCH_ITEMS = 500; // ≤ LIMITS.chunksPerBatch, well under eventsPerBatch
const BATCH_CHARS = 1_500_000; // keeps even 3-byte UTF-8 text under the 5 MB body limit
const SEND_AFTER = 2000;
const SEND_AT_ITEMS = 200;
const KEEPALIVE_MAX = 65536; // browsers refuse keepalive bodies above 64 KB
const DROP = [400, 401, 403, 413];

export function createPipeline(o: PipelineOptions): Pipeline {
  const box = openOutbox(o.db);
  const doFetch = o.fetch || fetch;
  let writing: Promise<unknown> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  let unsent = 0;
  let attempt = 0;
  let retryAt = 0;
  let maxChars = BATCH_CHARS;
  let busy: Promise<void> | null = null;
  let again = false;

  const later = (ms: number) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = 0;
      pump();
    }, ms);
  };

  function backoff(retryAfter?: number) {
    // jittered exponential backoff, capped so a restarted server is found again quickly
    const base = Math.min(30_000, 1000 * 2 ** attempt++);
    retryAt = Date.now() + (retryAfter ?? base * (0.5 + Math.random() / 2));
    later(retryAt - Date.now());
  }

  /** sends until the outbox is empty or the server/network fails; false on failure */
  async function sendAll(): Promise<void> {
    while (Date.now() >= retryAt) {
      const recs: Rec[] = await box.take(BATCH_ITEMS);
      if (!recs.length) return;
      const ev: string[] = [];
      const ch: string[] = [];
      const ids: string[] = [];
      let chars = 0;
      for (const r of recs) {
        if (ids.length && chars + r.j.length > maxChars) break;
        (r.k === 'e' ? ev : ch).push(r.j);
        ids.push(r.id);
        chars += r.j.length;
      }
      const json = `{"v":1,"sentAt":${Date.now()},"events":[${ev}],"replay":[${ch}]}`;
      const body = o.gzip ? o.gzip(json) : json;
      const size = typeof body === 'string' ? body.length * 3 : body.length;
      let res: Response;
      try {
        res = await doFetch(o.url, {
          method: 'POST',
          body,
          // text/plain is CORS-safelisted: no preflight, works with keepalive
          headers: { 'content-type': 'text/plain' },
          keepalive: size <= KEEPALIVE_MAX,
          credentials: 'omit',
        });
      } catch (e) {
        o.log('send failed', e);
        return backoff();
      }
      const s = res.status;
      if ((s === 413 || s === 400) && ids.length > 1) {
        // split and retry, so one oversized or invalid item only ever drops itself
        maxChars = Math.max(1, chars >> 1);
        continue;
      }
      if (res.ok || DROP.includes(s)) {
        if (!res.ok) o.log('batch dropped', s, await res.text().catch(() => ''));
        await box.del(ids);
        o.stored(ids);
        o.sent(ids);
        attempt = 0;
        maxChars = BATCH_CHARS;
        continue;
      }
      o.log('send status', s);
      const ra = res.headers.get('retry-after');
      let wait: number | undefined;
      if (s === 429 && ra) wait = isNaN(+ra) ? Date.parse(ra) - Date.now() : +ra * 1000;
      return backoff(wait! >= 0 ? Math.min(wait!, 600_000) : undefined);
    }
  }

  /**
   * Web Locks make sending single flight across the tabs of the origin. An opaque origin (a
   * sandboxed iframe without allow-same-origin) may not use them, nor IndexedDB: its outbox is
   * in memory, private to the page, so it sends without the lock rather than never.
   */
  let lockable = true;
  function withLock(fn: () => Promise<void>): Promise<unknown> {
    const locks = lockable ? (self.navigator as Navigator | undefined)?.locks : undefined;
    if (!locks) return fn();
    const denied = (e: unknown) => {
      if ((e as { name?: unknown } | null)?.name !== 'SecurityError') throw e;
      lockable = false;
      return fn();
    };
    try {
      return locks.request('hindsight:' + o.db, fn).catch(denied);
    } catch (e) {
      return Promise.resolve(e).then(denied);
    }
  }

  /** single flight per tab (and, with the lock, across tabs) */
  function pump(): Promise<void> {
    if (busy) {
      again = true;
      return busy;
    }
    unsent = 0;
    const p = withLock(sendAll)
      .then(
        () => undefined,
        (e: unknown) => {
          o.log('pump', e);
          backoff();
        },
      )
      .finally(() => {
        busy = null;
        if (again) {
          again = false;
          pump();
        }
      });
    return (busy = p);
  }

  function put(recs: Item[]) {
    writing = writing.then(() =>
      box.put(recs).then(
        () => o.stored(recs.map((r) => r.id)),
        () => o.log('outbox not durable'),
      ),
    );
    unsent += recs.length;
    if (unsent >= SEND_AT_ITEMS) writing.then(pump);
    else if (!timer) later(SEND_AFTER);
  }

  async function flush(): Promise<void> {
    await writing;
    const wanted = new Set(await box.keys());
    for (;;) {
      await pump();
      if (!(await box.keys()).some((k) => wanted.has(k))) return;
      await new Promise((r) => setTimeout(r, Math.max(100, retryAt - Date.now())));
    }
  }

  // resume whatever earlier pages or other tabs left behind
  writing.then(pump);

  return {
    put,
    flush,
    kick(online) {
      if (online) {
        attempt = 0;
        retryAt = 0;
      }
      writing.then(pump);
    },
  };
}
