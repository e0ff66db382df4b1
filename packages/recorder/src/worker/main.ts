// Delivery worker entry. Protocol (main → worker): {t:'init', url, db, debug}, {t:'put', items},
// {t:'flush', n}, {t:'kick', online}; (worker → main): {t:'ready'}, {t:'stored', ids}, {t:'sent', ids},
// {t:'flushed', n}.
import { gzipSync, strToU8 } from 'fflate';
import { packRec } from './pack';
import { createPipeline, type Pipeline, type Rec } from './pipeline';

const g = self as unknown as DedicatedWorkerGlobalScope;
let p: Pipeline | null = null;
let debug = false;
const log = (...a: unknown[]) => {
  if (debug) console.debug('[hindsight worker]', ...a);
};

// Loaded with a <script> tag (main-thread fallback when no worker can run): only expose the
// pipeline factory; the page side drives it directly.
if (typeof document != 'undefined')
  (self as unknown as { __hindsightPipeline: typeof createPipeline }).__hindsightPipeline = createPipeline;
else g.onmessage = (e: MessageEvent) => {
  const m = e.data;
  try {
    if (m.t === 'init') {
      debug = !!m.debug;
      p = createPipeline({
        url: m.url,
        db: m.db,
        gzip: (s) => gzipSync(strToU8(s), { level: 6 }) as Uint8Array<ArrayBuffer>,
        stored: (ids) => g.postMessage({ t: 'stored', ids }),
        sent: (ids) => g.postMessage({ t: 'sent', ids }),
        log,
      });
      g.postMessage({ t: 'ready' });
    } else if (!p) return;
    else if (m.t === 'put') p.put((m.items as Rec[]).map(packRec));
    else if (m.t === 'flush') p.flush().then(() => g.postMessage({ t: 'flushed', n: m.n }));
    else if (m.t === 'kick') p.kick(m.online);
  } catch (err) {
    log(err);
  }
};
if (typeof document == 'undefined') g.addEventListener('online', () => p && p.kick(true));
