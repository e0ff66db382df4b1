// Conversions between stored rows and export rows, shared by both stores so an export taken from
// one imports into the other unchanged.
import type { ReplayChunk } from '@hindsight/schema';
import { StoreError, type ExportChunkRow, type ExportDefinitionRow, type ExportEventRow, type ExportIdentityRow, type StoredEvent } from '../types.js';
import type { DefinitionRow } from './definitions.js';
import { rowToEvent } from './rows.js';

export const DEFAULT_EXPORT_PAGE = 5000;

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : Number(v));
const optNum = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
const optStr = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** a stored event row (either store; numbers may arrive as bigint or string) + its chain JSON */
export function toExportEvent(r: Record<string, unknown>, chain: string | null): ExportEventRow {
  return {
    id: String(r.id),
    type: String(r.type),
    ts: num(r.ts),
    session_id: String(r.session_id),
    anonymous_id: String(r.anonymous_id),
    user_id: optStr(r.user_id),
    url: String(r.url),
    title: optStr(r.title),
    referrer: optStr(r.referrer),
    name: optStr(r.name),
    props: optStr(r.props),
    chain_hash: String(r.chain_hash ?? ''),
    chain: String(r.chain_hash ?? '') === '' ? null : chain,
    node_id: optNum(r.node_id),
    rec_id: optStr(r.rec_id),
    rec_seq: optNum(r.rec_seq),
    received_at: num(r.received_at),
  };
}

export function toExportChunk(r: Record<string, unknown>, events: string): ExportChunkRow {
  return { id: String(r.id), session_id: String(r.session_id), rec: String(r.rec), seq: num(r.seq), ts: num(r.ts), events };
}

export function toExportIdentity(r: Record<string, unknown>): ExportIdentityRow {
  return { anonymous_id: String(r.anonymous_id), user_id: String(r.user_id), ts: num(r.ts) };
}

export function toExportDefinition(d: DefinitionRow): ExportDefinitionRow {
  return { ...d };
}

function need(cond: boolean, what: string): void {
  if (!cond) throw new StoreError('bad_input', `import: ${what}`);
}

/** export row → the event append() takes (append validates every field again) */
export function importEvent(row: ExportEventRow): StoredEvent {
  need(row !== null && typeof row === 'object', 'event row must be an object');
  if (row.chain_hash) need(typeof row.chain === 'string' && row.chain !== '', `event ${row.id} has a chain hash but no chain`);
  let parsed: StoredEvent;
  try {
    parsed = rowToEvent({ ...row, project_id: '' }, row.chain_hash ? row.chain : null);
  } catch (e) {
    throw new StoreError('bad_input', `import: event ${String(row.id)}: ${(e as Error).message}`);
  }
  delete parsed.projectId;
  return parsed;
}

export function importChunk(row: ExportChunkRow): ReplayChunk {
  need(row !== null && typeof row === 'object' && typeof row.events === 'string', 'chunk row needs events (JSON text)');
  let events: unknown;
  try {
    events = JSON.parse(row.events);
  } catch {
    throw new StoreError('bad_input', `import: chunk ${String(row.id)} events are not JSON`);
  }
  need(Array.isArray(events), `chunk ${String(row.id)} events must be a JSON array`);
  return { id: String(row.id), sessionId: String(row.session_id), rec: String(row.rec), seq: num(row.seq), ts: num(row.ts), events: events as unknown[] };
}

export function checkIdentity(row: ExportIdentityRow): ExportIdentityRow {
  need(typeof row?.anonymous_id === 'string' && typeof row.user_id === 'string' && Number.isFinite(num(row.ts)), 'identity row needs anonymous_id, user_id, ts');
  return { anonymous_id: row.anonymous_id, user_id: row.user_id, ts: Math.trunc(num(row.ts)) };
}

export function checkDefinition(row: ExportDefinitionRow): DefinitionRow {
  need(typeof row?.id === 'string' && Number.isInteger(num(row.version)) && typeof row.name === 'string', 'definition row needs id, version, name');
  try {
    JSON.parse(String(row.rules));
  } catch {
    throw new StoreError('bad_input', `import: definition ${row.id} rules are not JSON`);
  }
  return {
    id: row.id,
    version: num(row.version),
    name: row.name,
    description: String(row.description ?? ''),
    category: String(row.category ?? 'other'),
    rules: String(row.rules),
    deleted: row.deleted === true || String(row.deleted) === 'true' || Number(row.deleted) === 1,
    created_at: num(row.created_at),
    updated_at: num(row.updated_at),
  };
}

/** ClickHouse/DuckDB read-back order for the identity export */
export const byAnon = (a: ExportIdentityRow, b: ExportIdentityRow): number => (a.anonymous_id < b.anonymous_id ? -1 : a.anonymous_id > b.anonymous_id ? 1 : 0);

/**
 * importData for both stores: events and chunks go through append (its dedupe makes a repeated
 * import a no-op); identities and definitions through the store's own `rows` writer.
 */
export async function importVia(
  append: (events: StoredEvent[], chunks: ReplayChunk[]) => Promise<{ inserted: number; duplicates: number; chunks: number }>,
  rows: (kind: 'identity' | 'definition', raw: unknown[]) => Promise<{ inserted: number; duplicates: number }>,
  kind: string,
  raw: unknown[],
): Promise<{ inserted: number; duplicates: number }> {
  need(Array.isArray(raw), 'rows must be an array');
  if (kind === 'event') {
    const r = await append((raw as ExportEventRow[]).map(importEvent), []);
    return { inserted: r.inserted, duplicates: r.duplicates };
  }
  if (kind === 'chunk') {
    const r = await append([], (raw as ExportChunkRow[]).map(importChunk));
    return { inserted: r.chunks, duplicates: raw.length - r.chunks };
  }
  if (kind === 'identity' || kind === 'definition') return raw.length ? rows(kind, raw) : { inserted: 0, duplicates: 0 };
  throw new StoreError('bad_input', `import: unknown kind ${JSON.stringify(kind)}`);
}
