// A synthetic long session in the recorder's wire format: one page of ~10,000 rrweb nodes,
// periodic checkouts (Meta + FullSnapshot, like the recorder's checkoutEveryNms), a clock whose
// text a mutation changes every few seconds (so a test can tell which moment a frame shows),
// notes added and removed, mouse moves and scrolls. Used by e2e/viewer/replay-long.spec.ts and
// bench/replay.ts.
import { randomUUID } from 'node:crypto';
import type { RawEvent, ReplayChunk } from '@hindsight/schema';
import { batch, eventId, postBatch } from './batches';

export interface LongSessionOptions {
  durationMs?: number;
  /** target element + text nodes in the page */
  nodes?: number;
  checkoutEveryMs?: number;
  clockEveryMs?: number;
  start?: number;
}

export interface LongSession {
  sessionId: string;
  start: number;
  end: number;
  chunks: ReplayChunk[];
  events: RawEvent[];
  /** what #clock shows at absolute time t */
  clockAt: (t: number) => string;
  nodes: number;
  /** `.card` elements in the page */
  cards: number;
  /** the page at its start as plain HTML (what the first snapshot serializes); built on demand */
  html: () => string;
  rrwebEvents: number;
}

const URL_ = 'https://shop.example/long';
const CHUNK_EVENTS = 100;
const CHUNK_MS = 1000;

type Node = Record<string, unknown>;

export function makeLongSession(o: LongSessionOptions = {}): LongSession {
  const duration = o.durationMs ?? 30 * 60_000;
  const checkoutEvery = o.checkoutEveryMs ?? 5 * 60_000;
  const clockEvery = o.clockEveryMs ?? 5_000;
  const target = o.nodes ?? 10_000;
  const start = o.start ?? Date.now() - duration - 60_000;
  const sessionId = `long-${randomUUID()}`;
  let nextId = 1;
  const id = () => nextId++;
  const el = (tagName: string, attributes: Record<string, string>, childNodes: Node[]): Node => ({ type: 2, tagName, attributes, childNodes, id: id() });
  const text = (textContent: string): Node => ({ type: 3, textContent, id: id() });

  // static page: cards of 16 nodes each (div, h3+text, p+text, ul, 5 × li+text)
  const cards: Node[] = [];
  for (let i = 0; cards.length * 16 < target - 20; i++) {
    const lis = Array.from({ length: 5 }, (_, k) => el('li', {}, [text(`Item ${i}.${k}`)]));
    cards.push(el('div', { class: 'card', id: `card-${i}` }, [el('h3', {}, [text(`Card ${i}`)]), el('p', {}, [text(`Description of card ${i}`)]), el('ul', {}, lis)]));
  }
  const clockText = text('T+0s');
  const clock = el('div', { id: 'clock', style: 'position:fixed;top:0;left:0;font:32px sans-serif;background:#ff0;z-index:9' }, [clockText]);
  const notesBox = el('div', { id: 'notes' }, []);
  const style = el('style', {}, [text('.card{display:inline-block;width:180px;height:160px;margin:4px;border:1px solid #ccc;overflow:hidden;font:11px sans-serif}')]);
  const head = el('head', {}, [style]);
  const body = el('body', {}, [clock, notesBox, el('main', { id: 'grid' }, cards)]);
  const html = el('html', {}, [head, body]);
  const doctypeId = id();
  const documentId = id();
  const nodes = nextId - 1;

  // dynamic state, mirrored into each checkout's snapshot
  let clockValue = 'T+0s';
  const notes: { el: Node; textId: number; label: string }[] = [];
  const snapshot = (): Node => {
    clockText.textContent = clockValue;
    notesBox.childNodes = notes.map((n) => ({ ...n.el, childNodes: [{ type: 3, textContent: n.label, id: n.textId }] }));
    return structuredClone({
      type: 0,
      childNodes: [{ type: 1, name: 'html', publicId: '', systemId: '', id: doctypeId }, html],
      id: documentId,
    });
  };

  const rr: { type: number; timestamp: number; data: unknown }[] = [];
  const checkout = (t: number) => {
    rr.push({ type: 4, timestamp: t, data: { href: URL_, width: 1280, height: 800 } });
    rr.push({ type: 2, timestamp: t, data: { node: snapshot(), initialOffset: { top: 0, left: 0 } } });
  };
  checkout(start);
  let noteN = 0;
  for (let t = start + 100; t <= start + duration; t += 100) {
    const off = t - start;
    if (off % checkoutEvery === 0) checkout(t);
    if (off % clockEvery === 0) {
      clockValue = `T+${off / 1000}s`;
      rr.push({ type: 3, timestamp: t, data: { source: 0, texts: [{ id: clockText.id, value: clockValue }], attributes: [], removes: [], adds: [] } });
    }
    if (off % 30_000 === 0) {
      const label = `Note ${++noteN}`;
      const node = { type: 2, tagName: 'div', attributes: { class: 'note' }, childNodes: [], id: id() };
      const textId = id();
      notes.push({ el: node, textId, label });
      const adds = [
        { parentId: notesBox.id, nextId: null, node },
        { parentId: node.id, nextId: null, node: { type: 3, textContent: label, id: textId } },
      ];
      const removes = notes.length > 20 ? [{ parentId: notesBox.id, id: notes.shift()!.el.id }] : [];
      rr.push({ type: 3, timestamp: t, data: { source: 0, texts: [], attributes: [], removes, adds } });
    }
    if (off % 500 === 0) {
      const positions = Array.from({ length: 5 }, (_, k) => ({ x: (off / 7 + k * 13) % 1200, y: (off / 11 + k * 7) % 780, id: body.id, timeOffset: -400 + k * 100 }));
      rr.push({ type: 3, timestamp: t, data: { source: 1, positions } });
    }
    if (off % 10_000 === 0) rr.push({ type: 3, timestamp: t, data: { source: 3, id: documentId, x: 0, y: (off / 10_000) % 40 * 50 } });
  }

  // cut like the recorder: 100 events or 1 s per chunk, and right after a FullSnapshot
  const rec = randomUUID();
  const chunks: ReplayChunk[] = [];
  let buf: typeof rr = [];
  let first = 0;
  const cut = () => {
    if (!buf.length) return;
    chunks.push({ id: randomUUID(), sessionId, rec, seq: first, ts: buf[0].timestamp, events: buf });
    first += buf.length;
    buf = [];
  };
  for (const e of rr) {
    if (buf.length && e.timestamp - buf[0].timestamp >= CHUNK_MS) cut();
    buf.push(e);
    if (buf.length >= CHUNK_EVENTS || e.type === 2) cut();
  }
  cut();

  const base = { sessionId, anonymousId: `anon-${sessionId}`, url: URL_ };
  const events: RawEvent[] = [{ id: eventId(), type: 'pageview', ts: start, ...base }];
  for (let m = 1; m * 60_000 < duration; m++) {
    events.push({
      id: eventId(),
      type: 'click',
      ts: start + m * 60_000 + 50,
      ...base,
      chain: [
        { tag: 'div', attrs: { class: 'card', id: `card-${m}` }, nth: [m + 1, m + 1, 1, 1], text: `Card ${m}` },
        { tag: 'main', attrs: { id: 'grid' }, nth: [3, 1, 1, 1] },
        { tag: 'body', attrs: {}, nth: [2, 1, 1, 1] },
        { tag: 'html', attrs: {}, nth: [1, 1, 1, 1] },
      ],
    });
  }
  const clockAt = (t: number) => {
    const off = Math.max(0, Math.min(duration, t - start));
    return `T+${Math.floor(off / clockEvery) * (clockEvery / 1000)}s`;
  };
  const startPage = (rr[1].data as { node: Node }).node;
  return { sessionId, start, end: start + duration, chunks, events, clockAt, nodes, cards: cards.length, rrwebEvents: rr.length, html: () => `<!doctype html>${staticHtml(startPage)}` };
}

const escapeHtml = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** HTML of a snapshot node of this page (elements and text only, as makeLongSession builds them) */
function staticHtml(n: Node): string {
  const kids = () => (n.childNodes as Node[]).map(staticHtml).join('');
  if (n.type === 0) return kids();
  if (n.type === 3) return escapeHtml(String(n.textContent));
  if (n.type !== 2) return '';
  const attrs = Object.entries(n.attributes as Record<string, string>).map(([k, v]) => ` ${k}="${escapeHtml(v)}"`);
  return `<${n.tagName}${attrs.join('')}>${kids()}</${n.tagName}>`;
}

/** Sends the session to a running server in batches within the ingest caps. */
export async function ingestLongSession(url: string, key: string, s: LongSession): Promise<void> {
  const send = async (b: ReturnType<typeof batch>) => {
    const r = await postBatch(url, key, b);
    if (!r.ok) throw new Error(`ingest: ${r.status} ${await r.text()}`);
  };
  await send(batch(s.events));
  let group: ReplayChunk[] = [];
  let bytes = 0;
  for (const c of s.chunks) {
    const size = JSON.stringify(c.events).length;
    if (group.length && (group.length >= 400 || bytes + size > 20_000_000)) {
      await send({ ...batch([]), replay: group });
      group = [];
      bytes = 0;
    }
    group.push(c);
    bytes += size;
  }
  if (group.length) await send({ ...batch([]), replay: group });
}
