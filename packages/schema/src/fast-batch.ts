// A hand-written pass over an ingest body that answers one question: would `batchSchema` accept
// it and return it unchanged? Zod costs ~20 µs per recorder event (the largest single cost of the
// server's ingest), while recorder batches are always well-formed; so ingest asks this first and
// uses the body as is, and only a body this pass is unsure about goes through zod (which then
// accepts, strips or explains). Any doubt means `false`: unknown keys (zod would strip them),
// `__proto__` keys (zod drops them), anything not from JSON. Key order is the one difference: zod
// writes keys in the schema's order, this keeps the sender's; nothing reads an event by key order,
// and the store writes chains in the schema's order itself (chainJson in the store's rows.ts).
// fast-batch.test.ts holds this pass against zod on thousands of mutated batches: it must never
// say yes where zod says no or would change a value.
import { CHAIN_ELEMENT_KEYS, CHAIN_STATES, EVENT_TYPES, LIMITS, WIRE_VERSION } from './index.js';
import { depthOf } from './depth.js';

type Obj = Record<string, unknown>;

const EVENT_TYPE_SET = new Set<unknown>(EVENT_TYPES);
const MAX_STATE = 2 ** CHAIN_STATES.length - 1;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

const isStr = (v: unknown, max: number, min = 0): boolean => typeof v === 'string' && v.length <= max && v.length >= min;
const isId = (v: unknown): boolean => isStr(v, 64, 1);
const isInt = (v: unknown, min = -Infinity, max = Infinity): boolean =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
const isNum = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);

// The keys each object may have (zod strips any other), and the ones it must have.
const CHAIN_KEYS = new Set<string>(CHAIN_ELEMENT_KEYS);
const EVENT_KEYS = new Set(['id', 'type', 'ts', 'sessionId', 'anonymousId', 'userId', 'url', 'title', 'referrer', 'name', 'props', 'chain', 'nodeId', 'rec']);
const CHUNK_KEYS = new Set(['id', 'sessionId', 'rec', 'seq', 'ts', 'events', 'impliedIds']);
const BATCH_KEYS = new Set(['v', 'sentAt', 'key', 'events', 'replay']);
const REC_KEYS = new Set(['id', 'seq']);

function okKeys(o: Obj, allowed: ReadonlySet<string>, required: readonly string[]): boolean {
  for (const k of Object.keys(o)) if (!allowed.has(k)) return false;
  for (const n of required) if (!Object.prototype.hasOwnProperty.call(o, n)) return false;
  return true;
}

/**
 * A record: keys at most 256 long and no `__proto__` (zod's output loses it), every value `okValue`,
 * at most `max` entries.
 */
function okRecord(o: unknown, okValue: (v: unknown) => boolean, max = Infinity): o is Obj {
  if (!isObj(o)) return false;
  const keys = Object.keys(o);
  if (keys.length > max) return false;
  for (const k of keys) if (k.length > 256 || k === '__proto__' || !okValue(o[k])) return false;
  return true;
}

const okAttrValue = (v: unknown) => isStr(v, LIMITS.attrValue * 4);
const fromJson = (v: unknown) => v !== undefined;

function okChainElement(el: unknown): boolean {
  if (!isObj(el) || !okKeys(el, CHAIN_KEYS, ['tag', 'attrs', 'nth'])) return false;
  if (!isStr(el.tag, 128, 1)) return false;
  if (el.ns !== undefined && el.ns !== 'svg' && el.ns !== 'math') return false;
  if (!okRecord(el.attrs, okAttrValue, LIMITS.attrsPerElement)) return false;
  if (el.trunc !== undefined) {
    const t = el.trunc;
    if (!Array.isArray(t) || t.length > LIMITS.attrsPerElement) return false;
    for (let i = 0; i < t.length; i++) if (!isStr(t[i], 256)) return false;
  }
  const nth = el.nth;
  if (!Array.isArray(nth) || nth.length !== 4) return false;
  for (let i = 0; i < 4; i++) if (!isInt(nth[i], 1)) return false;
  if (el.text !== undefined && !isStr(el.text, LIMITS.text * 4)) return false;
  if (el.textTrunc !== undefined && typeof el.textTrunc !== 'boolean') return false;
  if (el.root !== undefined && el.root !== 'shadow') return false;
  if (el.state !== undefined && !isInt(el.state, 0, MAX_STATE)) return false;
  return true;
}

function okEvent(e: unknown): boolean {
  if (!isObj(e) || !okKeys(e, EVENT_KEYS, ['id', 'type', 'ts', 'sessionId', 'anonymousId', 'url'])) return false;
  if (!isId(e.id) || !EVENT_TYPE_SET.has(e.type)) return false;
  if (!isNum(e.ts) || (e.ts as number) < 0) return false;
  if (!isId(e.sessionId) || !isId(e.anonymousId)) return false;
  if (e.userId !== undefined && e.userId !== null && !isStr(e.userId, 256)) return false;
  if (!isStr(e.url, LIMITS.string)) return false;
  if (e.title !== undefined && !isStr(e.title, LIMITS.string)) return false;
  if (e.referrer !== undefined && !isStr(e.referrer, LIMITS.string)) return false;
  if (e.name !== undefined && !isStr(e.name, 1024)) return false;
  if (e.props !== undefined) {
    // an undefined value is not from JSON
    if (!okRecord(e.props, fromJson) || depthOf(e.props, LIMITS.propsDepth) > LIMITS.propsDepth) return false;
  }
  if (e.chain !== undefined) {
    const c = e.chain;
    if (!Array.isArray(c) || c.length > LIMITS.chainDepth) return false;
    for (let i = 0; i < c.length; i++) if (!okChainElement(c[i])) return false;
  }
  if (e.nodeId !== undefined && !isInt(e.nodeId)) return false;
  if (e.rec !== undefined) {
    const r = e.rec;
    if (!isObj(r) || !okKeys(r, REC_KEYS, ['id', 'seq']) || !isId(r.id) || !isInt(r.seq, 0)) return false;
  }
  return true;
}

function okChunk(c: unknown): boolean {
  if (!isObj(c) || !okKeys(c, CHUNK_KEYS, ['id', 'sessionId', 'rec', 'seq', 'ts', 'events'])) return false;
  if (!isId(c.id) || !isId(c.sessionId) || !isId(c.rec)) return false;
  if (!isInt(c.seq, 0) || !isNum(c.ts) || (c.ts as number) < 0) return false;
  const ev = c.events;
  if (!Array.isArray(ev) || ev.length > 100_000) return false;
  for (let i = 0; i < ev.length; i++) if (ev[i] === undefined) return false; // a hole: not from JSON
  if (c.impliedIds !== undefined && c.impliedIds !== true) return false;
  return true;
}

/**
 * True when `batchSchema.parse(body)` would succeed and return a value deep-equal to `body` (keys
 * perhaps in another order). False means "ask zod", not "invalid".
 */
export function isCleanBatch(body: unknown): boolean {
  if (!isObj(body) || !okKeys(body, BATCH_KEYS, ['v', 'sentAt', 'events'])) return false;
  if (body.v !== WIRE_VERSION || !isNum(body.sentAt)) return false;
  if (body.key !== undefined && !isStr(body.key, 256)) return false;
  const events = body.events;
  if (!Array.isArray(events) || events.length > LIMITS.eventsPerBatch) return false;
  for (let i = 0; i < events.length; i++) if (!okEvent(events[i])) return false;
  if (body.replay !== undefined) {
    const r = body.replay;
    if (!Array.isArray(r) || r.length > LIMITS.chunksPerBatch) return false;
    for (let i = 0; i < r.length; i++) if (!okChunk(r[i])) return false;
  }
  return true;
}
