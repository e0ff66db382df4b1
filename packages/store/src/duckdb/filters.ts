// EventFilter → DuckDB SQL. Semantics shared with the ClickHouse compiler (../clickhouse/filters.ts):
// contains = literal substring (`%`/`_` are not wildcards), exact = equality, regex = RE2 partial
// match (regexp_matches), from/to inclusive, an empty id/type/hash set matches nothing.
import type { StringCond } from '@hindsight/schema';
import { StoreError, type EventFilter } from '../types.js';
import type { Params } from './params.js';

export function stringCondSql(col: string, c: StringCond | string, p: Params): string {
  const cond: StringCond = typeof c === 'string' ? { op: 'exact', value: c } : c;
  if (typeof cond.value !== 'string') throw new StoreError('bad_input', `${col} condition needs a string value`);
  switch (cond.op) {
    case 'exact':
      return `${col} = ${p.add(cond.value)}`;
    case 'contains':
      return `contains(${col}, ${p.add(cond.value)})`;
    case 'regex':
      return `regexp_matches(${col}, ${p.add(cond.value)})`;
    default:
      throw new StoreError('bad_input', `unknown string op ${String((cond as StringCond).op)}`);
  }
}

/** One filter (AND of its parts) over table alias `e`. */
export function filterSql(f: EventFilter, p: Params): string {
  const parts: string[] = [];
  if (f.types) parts.push(p.inList('e.type', f.types));
  if (f.chainHashes) parts.push(p.inList('e.chain_hash', f.chainHashes));
  if (f.sessionIds) parts.push(p.inList('e.session_id', f.sessionIds));
  if (f.eventIds) parts.push(p.inList('e.id', f.eventIds));
  if (f.url) parts.push(stringCondSql('e.url', f.url, p));
  if (f.name) parts.push(stringCondSql('e.name', f.name, p));
  if (f.from !== undefined && f.from !== null) parts.push(`e.ts >= ${p.add(Math.ceil(num(f.from, 'from')))}`);
  if (f.to !== undefined && f.to !== null) parts.push(`e.ts <= ${p.add(Math.floor(num(f.to, 'to')))}`);
  if (f.receivedFrom !== undefined && f.receivedFrom !== null) parts.push(`e.received_at >= ${p.add(Math.ceil(num(f.receivedFrom, 'receivedFrom')))}`);
  return parts.length ? `(${parts.join(' AND ')})` : 'TRUE';
}

/** OR of filters; no filters at all matches nothing (a definition without rules matches no event). */
export function anyFilterSql(filters: EventFilter[], p: Params): string {
  if (!filters.length) return 'FALSE';
  return `(${filters.map((f) => filterSql(f, p)).join(' OR ')})`;
}

function num(v: number, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new StoreError('bad_input', `${field} must be a number`);
  return v;
}
