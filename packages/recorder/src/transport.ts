// Main-thread side of delivery: hands items to the worker (or the main-thread fallback
// pipeline), remembers what is not yet durable, and beacons exactly that on pagehide.
import { log } from './log';
import { toJson } from './json';
import { load, store } from './session';
import type { Config } from './config';
import type { Pipeline, PipelineOptions, Rec } from './worker/pipeline';

/** j is filled when posted: JSON text clones ~40% cheaper than the object graph */
type Item = Rec & { d?: unknown };

export interface Transport {
  put(k: 'e' | 'c', d: { id: string }): void;
  flush(): Promise<void>;
  kick(online?: boolean): void;
  /** pagehide: synchronously beacon everything not yet confirmed durable */
  beacon(): void;
}

const BEACON_MAX = 65000;
const UNSENT_MAX = 500;
const K_WORKER = 'hs_w';

/** GET as text over XMLHttpRequest, null on any failure: for when the page's fetch fails */
function xhrText(url: string): Promise<string | null> {
  return new Promise((res) => {
    try {
      const x = new XMLHttpRequest();
      x.open('GET', url);
      x.onload = () => res(x.status == 200 ? x.responseText : null);
      x.onerror = () => res(null);
      x.send();
    } catch {
      res(null);
    }
  });
}

export function createTransport(cfg: Config, origFetch: typeof fetch): Transport {
  const url = `${cfg.endpoint}/v1/batch?key=${encodeURIComponent(cfg.key)}`;
  const db = 'hindsight:' + cfg.key;
  /** posted but not yet confirmed durable or delivered: what pagehide must beacon */
  const unpersisted = new Map<string, Item>();
  /**
   * events not yet acknowledged by the server: the last page of a visit has no next page to
   * resume its outbox, so pagehide beacons these too (small; duplicates are deduped by id)
   */
  const unsent = new Map<string, Item>();
  let queue: Item[] = [];
  let posting = false;
  let flushN = 0;
  const flushes = new Map<number, () => void>();
  let worker: Worker | null = null;
  let fallback: Pipeline | null = null;
  let ready = false;

  const stored = (ids: string[]) => ids.forEach((id) => unpersisted.delete(id));
  const sent = (ids: string[]) => ids.forEach((id) => unsent.delete(id));

  function onMessage(e: MessageEvent) {
    const m = e.data;
    if (m.t === 'ready') ready = true;
    else if (m.t === 'stored') stored(m.ids);
    else if (m.t === 'sent') sent(m.ids);
    else if (m.t === 'flushed') {
      flushes.get(m.n)?.();
      flushes.delete(m.n);
    }
  }

  /**
   * Worker unusable (CSP without blob:, no Worker, script failed): deliver durably from the
   * main thread. The worker bundle doubles as a classic script that, outside a worker, only
   * registers its pipeline factory; loading it on demand keeps recorder.js small.
   */
  let fellBack = false;
  function useFallback(why: unknown) {
    if (fellBack) return;
    fellBack = true;
    log('worker unavailable, delivering from the main thread', why);
    try {
      worker?.terminate();
    } catch {
      /* already gone */
    }
    worker = null;
    const g = window as unknown as { __hindsightPipeline?: (o: PipelineOptions) => Pipeline };
    const loadScript = (attempt: number) => {
      const s = document.createElement('script');
      s.src = cfg.workerUrl;
      s.onload = () => {
        if (!g.__hindsightPipeline) return log('fallback pipeline missing');
        // no gzip here: compressing on the main thread would cost the page; plain JSON is accepted
        fallback = g.__hindsightPipeline({ url, db, stored, sent, log, fetch: origFetch });
        serialise();
        fallback.put([...unpersisted.values()]);
        queue = [];
        flushes.forEach((res) => fallback!.flush().then(res));
        flushes.clear();
      };
      // blocked or server down: try again later; pagehide beacons cover the meantime
      s.onerror = () => {
        s.remove();
        setTimeout(() => loadScript(attempt + 1), Math.min(30_000, 1000 * 2 ** attempt));
      };
      (document.head || document.documentElement).appendChild(s);
    };
    loadScript(0);
  }

  /**
   * Cross-origin endpoints: the worker source is fetched and started from a Blob URL. The
   * last good source is kept in localStorage, so a page loaded while the server is down still
   * gets its durable outbox; with neither, starting is retried with backoff (data waits in memory).
   */
  async function start(attempt = 0) {
    try {
      let src = cfg.workerUrl;
      if (new URL(src, location.href).origin !== location.origin) {
        let text: string | null = null;
        try {
          const r = await origFetch(src, { credentials: 'omit' });
          if (r.ok) text = await r.text();
        } catch {
          /* server unreachable, or the page's fetch refuses (a wrapper, a blocker) */
        }
        text ??= await xhrText(src);
        if (text) {
          if (load(K_WORKER) !== text) store(K_WORKER, text);
        } else text = load(K_WORKER);
        if (!text) {
          setTimeout(() => start(attempt + 1), Math.min(30_000, 1000 * 2 ** attempt));
          return;
        }
        src = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
      }
      if (typeof Worker == 'undefined') throw 'no Worker';
      const w = new Worker(src);
      w.onmessage = onMessage;
      w.onerror = (e) => {
        e.preventDefault();
        if (!ready) useFallback(e);
      };
      w.postMessage({ t: 'init', url, db, debug: cfg.debug });
      worker = w;
      post();
      flushes.forEach((_, n) => w.postMessage({ t: 'flush', n }));
      // a worker that never answers (blocked silently) must not hold data hostage
      setTimeout(() => ready || useFallback('timeout'), 10_000);
    } catch (e) {
      useFallback(e);
    }
  }

  function serialise() {
    for (const it of queue)
      if (it.d) {
        try {
          it.j = toJson(it.d);
        } catch (e) {
          log('unserialisable item', e);
          it.j = 'null';
        }
        it.d = undefined;
      }
  }

  function post() {
    posting = false;
    if (!queue.length) return;
    serialise();
    if (fallback) fallback.put(queue);
    else if (worker) worker.postMessage({ t: 'put', items: queue });
    else return; // still starting: keep queueing
    queue = [];
  }

  start();

  return {
    put(k, d) {
      const it: Item = { id: d.id, k, d, j: '' };
      unpersisted.set(it.id, it);
      if (k == 'e') {
        unsent.set(it.id, it);
        // bounded: older ones still wait safely in the outbox
        if (unsent.size > UNSENT_MAX) unsent.delete(unsent.keys().next().value!);
      }
      queue.push(it);
      // one postMessage per task, not per event
      if (!posting) {
        posting = true;
        setTimeout(post, 0);
      }
    },
    flush() {
      post();
      if (fallback) return fallback.flush();
      return new Promise<void>((res) => {
        const n = ++flushN;
        flushes.set(n, res);
        // not started yet: start() replays pending flushes to whichever pipeline comes up
        worker?.postMessage({ t: 'flush', n });
      });
    },
    kick(online) {
      post();
      fallback ? fallback.kick(online) : worker?.postMessage({ t: 'kick', online });
    },
    beacon() {
      post();
      if (!navigator.sendBeacon) return;
      // events first: they are small and the most valuable; chunks as far as the quota goes
      const all = new Map([...unsent, ...unpersisted]);
      const items = [...all.values()].sort((a, b) => (a.k === b.k ? 0 : a.k === 'e' ? -1 : 1));
      let ev: string[] = [];
      let ch: string[] = [];
      let size = 0;
      const send = () => {
        if (ev.length || ch.length)
          navigator.sendBeacon(url, `{"v":1,"sentAt":${Date.now()},"events":[${ev}],"replay":[${ch}]}`);
        ev = [];
        ch = [];
        size = 0;
      };
      for (const it of items) {
        const j = it.j;
        if (j.length > BEACON_MAX) continue; // stays in the outbox for the next page
        if (size + j.length > BEACON_MAX) send();
        (it.k === 'e' ? ev : ch).push(j);
        size += j.length + 1;
      }
      send();
    },
  };
}
