// Implied node ids in replay chunks (wire format).
//
// rrweb numbers the nodes it serializes one after the other: a full snapshot's nodes in document
// order (pre-order), the nodes a mutation adds in the order of its `adds`. Those numbers are all
// different, so gzip cannot shorten them, and they were most of a compressed snapshot: a
// 10,000-node page sends ~97 kB of gzip with them and ~26 kB without (mutations: ~30 % less).
// So on the wire, walking a full snapshot's tree (type 2) in pre-order, or the `adds[].node` trees
// of a mutation (type 3, source 0) one after the other in pre-order, with `prev` the id of the
// node walked before (0 at the start of each event):
//   - a node without `id` has id prev + 1;
//   - an add without `parentId` or `nextId` has prev there (rrweb adds a parent's new children
//     last to first, each before the one added just before it, and a node's first child right
//     after it);
//   - a mutation's `removes[]` entry without `id` removes node parentId + 1 (a replaced text node
//     is nearly always its element's first child, numbered right after it).
// The delivery worker leaves out exactly those and marks the chunk `impliedIds: true`; the server
// puts them back at ingest (only in chunks so marked: another sender's events are never
// reinterpreted), so storage, the API, exports and the replayer only ever see complete rrweb events.
//
// Both walks are iterative: the server runs one on untrusted input, which may nest deeply.

const FULL_SNAPSHOT = 2;
const INCREMENTAL = 3;
const MUTATION = 0;

type Node = { id?: unknown; childNodes?: unknown };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** a numbered tree: its root node, and the mutation add that carries it (if any) */
type Tree = { node: unknown; add?: Record<string, unknown> };

/** the trees whose node ids an event numbers one after the other, or null */
function numberedTrees(e: unknown): Tree[] | null {
  if (!isObj(e) || !isObj(e.data)) return null;
  if (e.type === FULL_SNAPSHOT) return [{ node: e.data.node }];
  if (e.type === INCREMENTAL && e.data.source === MUTATION && Array.isArray(e.data.adds)) {
    return e.data.adds.filter(isObj).map((add) => ({ node: add.node, add }));
  }
  return null;
}

/**
 * Walks every numbered node of every event in order: fn(node, previous node's id, the add whose
 * root it is) returns the node's id.
 */
function eachNumberedNode(events: unknown[], fn: (n: Node, prev: number, add?: Record<string, unknown>) => number): void {
  for (const e of events) {
    const trees = numberedTrees(e);
    if (!trees) continue;
    let prev = 0;
    const stack = trees.reverse();
    while (stack.length) {
      const { node: n, add } = stack.pop()!;
      if (!isObj(n)) continue;
      prev = fn(n, prev, add);
      const kids = n.childNodes;
      if (Array.isArray(kids)) for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i] });
    }
  }
}

/** gives `add` its missing parentId/nextId (both `prev`), keys back in rrweb's order */
function restoreAdd(add: Record<string, unknown>, prev: number): void {
  const entries = Object.entries(add);
  for (const [k] of entries) delete add[k];
  add.parentId = prev;
  add.nextId = prev;
  // defineProperty, not assignment: a forged "__proto__" key stays a plain property
  for (const [k, value] of entries) Object.defineProperty(add, k, { value, enumerable: true, writable: true, configurable: true });
}

/** each `removes[]` entry of the mutations among `events` that is an object */
function eachRemoval(events: unknown[], fn: (r: Record<string, unknown>) => void): void {
  for (const e of events) {
    if (!isObj(e) || e.type !== INCREMENTAL || !isObj(e.data) || e.data.source !== MUTATION) continue;
    const removes = e.data.removes;
    if (Array.isArray(removes)) for (const r of removes) if (isObj(r)) fn(r);
  }
}

/** Leaves out every implied node id (in place). Worker side: `events` came from JSON.parse. */
export function omitImpliedNodeIds(events: unknown[]): void {
  eachNumberedNode(events, (n, prev, add) => {
    if (add) {
      if (add.parentId === prev) delete add.parentId;
      if (add.nextId === prev) delete add.nextId;
    }
    const id = n.id;
    if (id === prev + 1) delete n.id;
    return typeof id === 'number' ? id : prev + 1;
  });
  eachRemoval(events, (r) => {
    if (typeof r.parentId === 'number' && r.id === r.parentId + 1) delete r.id;
  });
}

/**
 * Puts implied node ids back (in place): a numbered node without an `id` gets the previous
 * node's plus one. Complete events (older recorders, other senders) are left as they are.
 */
export function restoreImpliedNodeIds(events: unknown[]): void {
  eachNumberedNode(events, (n, prev, add) => {
    if (add && !('parentId' in add && 'nextId' in add)) restoreAdd(add, prev);
    if (!('id' in n)) n.id = prev + 1;
    return typeof n.id === 'number' && Number.isFinite(n.id) ? n.id : prev + 1;
  });
  eachRemoval(events, (r) => {
    if (!('id' in r) && typeof r.parentId === 'number') r.id = r.parentId + 1;
  });
}

/** a replay chunk as far as implied ids go */
type Packable = { events: unknown[]; impliedIds?: true };

/** Sender side: leaves the implied ids out of the chunk's events and marks it (in place). */
export function packChunk(c: Packable): void {
  omitImpliedNodeIds(c.events);
  c.impliedIds = true;
}

/**
 * Receiver side: a chunk marked `impliedIds` gets its ids back and loses the mark (in place);
 * an unmarked chunk is left exactly as sent (another sender's events are never reinterpreted).
 */
export function unpackChunk(c: Packable): void {
  if (!c.impliedIds) return;
  restoreImpliedNodeIds(c.events);
  delete c.impliedIds;
}
