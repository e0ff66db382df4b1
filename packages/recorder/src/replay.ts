// Session replay: rrweb record, cut into ordered ReplayChunks. One recording per page load
// (and per session change), so `rec.seq` of an event is an exact position in its stream.
import { __hsFlushers, __hsInputs, record } from '@rrweb/record';
import type { ReplayChunk, ReplayPosition } from '@hindsight/schema';
import type { Config } from './config';
import { uuidv7 } from './ids';
import { log } from './log';
import { redact } from './redact';
import { closestComposed } from './chain';

export interface Replay {
  /** where an event happening now sits: rrweb events [0, seq) of recording id */
  pos(): ReplayPosition;
  /** post the buffered rrweb events as a chunk now */
  cut(): void;
  /** new recording (new session): Meta + FullSnapshot again */
  restart(): void;
  stop(): void;
}

// added by build.mjs: hands each rrweb MutationObserver's pending records to rrweb now
const flushers = __hsFlushers;
/** added by build.mjs: rrweb's input handlers (one per recorded document), called synchronously */
export const recordInput = (el: Element) =>
  __hsInputs.forEach((f) => {
    try {
      f(el);
    } catch (e) {
      log(e);
    }
  });

const CHUNK_EVENTS = 100;
const CHUNK_MS = 1000;
const FULL_SNAPSHOT = 2;

export function startReplay(
  cfg: Config,
  sessionId: () => string,
  put: (c: ReplayChunk) => void,
  onEvent: (e: { type: number; data?: { source?: number } }) => void,
): Replay {
  let rec = uuidv7();
  let seq = 0; // rrweb events emitted by this recording so far
  let first = 0; // seq of buf[0]
  let buf: { timestamp: number }[] = [];
  let timer: ReturnType<typeof setTimeout> | 0 = 0;

  const cut = () => {
    if (timer) clearTimeout(timer);
    timer = 0;
    if (!buf.length) return;
    put({ id: uuidv7(), sessionId: sessionId(), rec, seq: first, ts: buf[0].timestamp, events: buf });
    buf = [];
    first = seq;
  };

  let stopFn: (() => void) | undefined;
  const begin = () => {
    stopFn = record({
      emit(e) {
        try {
          seq++;
          buf.push(e);
          onEvent(e as { type: number; data?: { source?: number } });
          // a full snapshot goes out at once: nothing is replayable before it arrives
          if (buf.length >= CHUNK_EVENTS || e.type === FULL_SNAPSHOT) cut();
          else if (!timer) timer = setTimeout(cut, CHUNK_MS);
        } catch (err) {
          log(err);
        }
      },
      checkoutEveryNms: 5 * 60_000, // seekable: the player starts from the last checkout
      maskAllInputs: true,
      blockSelector: cfg.block,
      ignoreSelector: cfg.ignore,
      // '*' routes every text node through maskTextFn: masked subtrees become stars,
      // everything else only loses card numbers, e-mails and national ids
      maskTextSelector: '*',
      maskTextFn: (t, el) => (el && closestComposed(el, cfg.mask) ? t.replace(/\S/g, '*') : redact(t)),
      inlineStylesheet: true,
      collectFonts: true,
      recordAfter: 'DOMContentLoaded',
      errorHandler: (e) => {
        log('rrweb', e);
        return true; // swallowed: never surfaces in the page
      },
    });
  };
  // start only once the DOM exists, so each recording begins with Meta + FullSnapshot
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', begin, { once: true });
  else begin();

  return {
    pos() {
      // mutations made earlier in this same task (before a scripted el.click()) belong before us
      for (const f of flushers)
        try {
          f();
        } catch (e) {
          log(e);
        }
      return { id: rec, seq };
    },
    cut,
    restart() {
      cut();
      rec = uuidv7();
      seq = first = 0;
      if (stopFn) record.takeFullSnapshot();
    },
    stop() {
      cut();
      stopFn?.();
      stopFn = undefined;
    },
  };
}

/** rrweb mirror id of a node (undefined when not recorded, e.g. inside a blocked element) */
export function nodeIdOf(n: Node): number | undefined {
  const id = record.mirror.getId(n);
  return id >= 0 ? id : undefined;
}
