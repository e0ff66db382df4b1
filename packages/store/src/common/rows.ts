// The one mapping between wire/stored events and table rows, shared by both stores so they
// return byte-identical events for the same input.
import { CHAIN_ELEMENT_KEYS, type ChainElement, type EventType, type ReplayChunk } from '@hindsight/schema';
import { chainHash } from '../chain-hash.js';
import { StoreError, type ProjectId, type StoredEvent } from '../types.js';

/** Column values of one event row (snake_case = column names in both stores). */
export interface EventRow {
  project_id: string;
  id: string;
  type: string;
  ts: number;
  session_id: string;
  anonymous_id: string;
  user_id: string | null;
  url: string;
  title: string | null;
  referrer: string | null;
  name: string | null;
  /** JSON text */
  props: string | null;
  chain_hash: string;
  node_id: number | null;
  rec_id: string | null;
  rec_seq: number | null;
  received_at: number;
}

export interface PreparedEvent {
  row: EventRow;
  /** the event's chain (serialised once per distinct hash by the caller: chains repeat heavily) */
  chain: ChainElement[] | null;
}

function int(v: unknown, field: string): number {
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new StoreError('bad_input', `${field} must be a finite number`);
  return Math.trunc(n);
}

function optInt(v: unknown, field: string): number | null {
  return v === undefined || v === null ? null : int(v, field);
}

function str(v: unknown, field: string): string {
  if (typeof v !== 'string') throw new StoreError('bad_input', `${field} must be a string`);
  return wellFormed(v);
}

/**
 * JSON text whose strings are well-formed: JSON.stringify writes a lone surrogate as a `\udxxx`
 * escape (a paired one as the character itself), which DuckDB's JSON functions refuse, so one
 * such props value broke every property breakdown of its project (JSON.stringify writes hex in
 * lower case). Each such escape becomes
 * `\ufffd`; escaped backslashes are skipped, so the text `\ud800` typed by someone stays as is.
 */
export function wellFormedJson(json: string): string {
  if (!json.includes('\\ud')) return json;
  return json.replace(/\\(?:ud[89a-f][0-9a-f]{2}|[^])/g, (m) => (m.length === 6 ? '\\ufffd' : m));
}

interface WellFormed {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/**
 * A lone UTF-16 surrogate (half an emoji, cut by a sender) becomes U+FFFD, as Node writes one in
 * UTF-8 anyway: ClickHouse and DuckDB's JSON reader refuse the `\udxxx` escape JSON.stringify
 * makes of it, which would fail the whole batch. Every stored string column passes here.
 */
export function wellFormed(s: string): string {
  const w = s as unknown as WellFormed;
  return w.isWellFormed() ? s : w.toWellFormed();
}

function optStr(v: unknown, field: string): string | null {
  return v === undefined || v === null ? null : str(v, field);
}

export function prepareEvent(projectId: ProjectId, e: StoredEvent): PreparedEvent {
  const hasChain = Array.isArray(e.chain) && e.chain.length > 0;
  // Trust the server's hash when given (it is computed by chainHash at ingest), else compute it,
  // so an event with a chain can never be stored without one.
  const hash = hasChain ? (e.chainHash || chainHash(e.chain)) : '';
  return {
    row: {
      project_id: projectId,
      id: str(e.id, 'id'),
      type: str(e.type, 'type'),
      ts: int(e.ts, 'ts'),
      session_id: str(e.sessionId, 'sessionId'),
      anonymous_id: str(e.anonymousId, 'anonymousId'),
      user_id: optStr(e.userId, 'userId'),
      url: str(e.url ?? '', 'url'),
      title: optStr(e.title, 'title'),
      referrer: optStr(e.referrer, 'referrer'),
      name: optStr(e.name, 'name'),
      props: e.props === undefined || e.props === null ? null : wellFormedJson(JSON.stringify(e.props)),
      chain_hash: hash,
      node_id: optInt(e.nodeId, 'nodeId'),
      rec_id: e.rec ? str(e.rec.id, 'rec.id') : null,
      rec_seq: e.rec ? int(e.rec.seq, 'rec.seq') : null,
      received_at: int(e.receivedAt ?? Date.now(), 'receivedAt'),
    },
    chain: hasChain ? (e.chain as ChainElement[]) : null,
  };
}

/** Row (as read back, numbers possibly bigint/string) → StoredEvent. Optional fields absent when null. */
export function rowToEvent(r: Record<string, unknown>, chainJson: string | null | undefined): StoredEvent {
  const ev: StoredEvent = {
    id: String(r.id),
    type: String(r.type) as EventType,
    ts: Number(r.ts),
    sessionId: String(r.session_id),
    anonymousId: String(r.anonymous_id),
    userId: r.user_id === null || r.user_id === undefined ? null : String(r.user_id),
    url: String(r.url),
    projectId: String(r.project_id),
    receivedAt: Number(r.received_at),
    chainHash: String(r.chain_hash ?? ''),
  };
  if (r.title !== null && r.title !== undefined) ev.title = String(r.title);
  if (r.referrer !== null && r.referrer !== undefined) ev.referrer = String(r.referrer);
  if (r.name !== null && r.name !== undefined) ev.name = String(r.name);
  if (r.props !== null && r.props !== undefined) ev.props = JSON.parse(String(r.props)) as Record<string, unknown>;
  if (chainJson) ev.chain = JSON.parse(chainJson) as ChainElement[];
  if (r.node_id !== null && r.node_id !== undefined) ev.nodeId = Number(r.node_id);
  if (r.rec_id !== null && r.rec_id !== undefined) ev.rec = { id: String(r.rec_id), seq: Number(r.rec_seq) };
  return ev;
}

/** hash → chain JSON, one serialisation per distinct chain */
export function distinctChainJson(events: PreparedEvent[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of events) {
    if (p.chain && p.row.chain_hash && !out.has(p.row.chain_hash)) out.set(p.row.chain_hash, chainJson(p.chain));
  }
  return out;
}

/**
 * A chain as stored: each element's keys in one order (the schema's) whatever order the sender
 * used, so every store holds the same text for the same chain; keys outside the schema are left out.
 */
export function chainJson(chain: ChainElement[]): string {
  return wellFormedJson(JSON.stringify(
    chain.map((el) => {
      const out: Record<string, unknown> = {};
      for (const k of CHAIN_ELEMENT_KEYS) if (el[k] !== undefined) out[k] = el[k];
      return out;
    }),
  ));
}

/** Keeps the first occurrence of each key (duplicates inside one append call). */
export function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  const unique: T[] = [];
  for (const it of items) {
    const k = key(it);
    if (seen.has(k)) continue;
    seen.add(k);
    unique.push(it);
  }
  return unique;
}

/** A replay chunk checked, its ids as stored (well-formed, like event columns). */
export function checkedChunk(c: ReplayChunk): ReplayChunk {
  int(c.seq, 'chunk.seq');
  int(c.ts, 'chunk.ts');
  if (!Array.isArray(c.events)) throw new StoreError('bad_input', 'chunk.events must be an array');
  return { ...c, id: str(c.id, 'chunk.id'), sessionId: str(c.sessionId, 'chunk.sessionId'), rec: str(c.rec, 'chunk.rec') };
}

/** Identity learned from events: the latest (ts, userId) per anonymous id wins. */
export function identitiesOf(rows: EventRow[]): Map<string, { userId: string; ts: number }> {
  const out = new Map<string, { userId: string; ts: number }>();
  for (const r of rows) {
    if (r.user_id === null) continue;
    const cur = out.get(r.anonymous_id);
    if (!cur || r.ts > cur.ts || (r.ts === cur.ts && r.user_id > cur.userId)) {
      out.set(r.anonymous_id, { userId: r.user_id, ts: r.ts });
    }
  }
  return out;
}
