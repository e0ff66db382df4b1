// The replay index (GET /api/sessions/:id/replay/index): per replay chunk, its time span, size and
// where playable segments start (rrweb Meta events: every page load and every periodic checkout
// emits Meta + FullSnapshot). The server computes it for stored sessions, the viewer for imported
// session files: one function, so both describe a chunk the same way.

/** rrweb EventType.Meta and FullSnapshot */
const RRWEB_META = 4;
const RRWEB_FULL_SNAPSHOT = 2;
/** average JSON bytes of an rrweb event / of a serialized DOM node (measured on the demo shop) */
const EVENT_BYTES = 120;
const NODE_BYTES = 60;
/** a Meta event's page URL is kept up to this length (the index is sent whole with every open) */
const MAX_HREF = 2048;

export interface ChunkIndexEntry {
  id: string;
  rec: string;
  seq: number;
  /** first and last rrweb event timestamp in the chunk */
  ts: number;
  end: number;
  /** rrweb events in the chunk */
  n: number;
  /**
   * approximate JSON size of the chunk's events (serializing every chunk to measure would double
   * the index's cost): sizes request batches and tells the viewer how heavy a rebuild is
   */
  bytes: number;
  /** Meta events: index in the chunk, timestamp, page URL — where a playable segment starts */
  metas: { i: number; ts: number; href: string }[];
}

export interface ReplayIndex<E = unknown> {
  v: 1;
  chunks: ChunkIndexEntry[];
  /** false for a first-segment answer: `chunks` is a time prefix of the session's chunks */
  complete: boolean;
  /** latest chunk start of the whole session (the timeline's length before the rest is known) */
  lastTs: number;
  /** the chunks holding the first segment's start, when asked for (`head=true`) */
  head?: { id: string; events: E[] }[];
}

/** serialized nodes under an rrweb snapshot node (iterative: recordings are untrusted) */
function countNodes(root: unknown): number {
  let n = 0;
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop() as { childNodes?: unknown } | null;
    if (!node || typeof node !== 'object') continue;
    n++;
    if (Array.isArray(node.childNodes)) for (const c of node.childNodes) stack.push(c);
  }
  return n;
}

/**
 * The index entry of one chunk. Events are untrusted (any JSON): a chunk without a finite event
 * timestamp spans its own `ts`.
 */
export function indexChunk(c: { id: string; rec: string; seq: number; ts: number; events: readonly unknown[] }): ChunkIndexEntry {
  const metas: ChunkIndexEntry['metas'] = [];
  let ts = Infinity;
  let end = -Infinity;
  let nodes = 0;
  c.events.forEach((ev, i) => {
    const e = ev as { type?: unknown; timestamp?: unknown; data?: { href?: unknown; node?: unknown } } | null;
    const t = typeof e?.timestamp === 'number' ? e.timestamp : NaN;
    if (Number.isFinite(t)) {
      ts = Math.min(ts, t);
      end = Math.max(end, t);
    }
    if (e?.type === RRWEB_META) metas.push({ i, ts: t, href: typeof e.data?.href === 'string' ? e.data.href.slice(0, MAX_HREF) : '' });
    else if (e?.type === RRWEB_FULL_SNAPSHOT) nodes += countNodes(e.data?.node);
  });
  if (!Number.isFinite(ts)) ts = end = c.ts;
  return { id: c.id, rec: c.rec, seq: c.seq, ts, end, n: c.events.length, bytes: c.events.length * EVENT_BYTES + nodes * NODE_BYTES, metas };
}
