// EventFilter → ClickHouse SQL, same semantics as ../duckdb/filters.ts. Values are literals made
// by ./escape.ts (18.16 has no query parameters).
import type { StringCond } from '@hindsight/schema';
import { StoreError, type EventFilter } from '../types.js';
import { sqlInList, sqlInt, sqlString } from './escape.js';
import { clickhouseRegex } from './regex.js';

export function stringCondSql(col: string, c: StringCond | string): string {
  const cond: StringCond = typeof c === 'string' ? { op: 'exact', value: c } : c;
  if (typeof cond.value !== 'string') throw new StoreError('bad_input', `${col} condition needs a string value`);
  switch (cond.op) {
    case 'exact':
      return `${col} = ${sqlString(cond.value)}`;
    case 'contains':
      // position() is a plain substring search: no LIKE wildcards to escape.
      return `position(${col}, ${sqlString(cond.value)}) > 0`;
    case 'regex':
      return `match(${col}, ${sqlString(clickhouseRegex(cond.value))})`;
    default:
      throw new StoreError('bad_input', `unknown string op ${String((cond as StringCond).op)}`);
  }
}

export function filterSql(f: EventFilter): string {
  const parts: string[] = [];
  if (f.types) parts.push(sqlInList('type', f.types));
  if (f.chainHashes) parts.push(sqlInList('chain_hash', f.chainHashes));
  if (f.sessionIds) parts.push(sqlInList('session_id', f.sessionIds));
  if (f.eventIds) parts.push(sqlInList('id', f.eventIds));
  if (f.url) parts.push(stringCondSql('url', f.url));
  if (f.name) parts.push(stringCondSql('name', f.name));
  if (f.from !== undefined && f.from !== null) parts.push(`ts >= ${sqlInt(f.from, 'ceil')}`);
  if (f.to !== undefined && f.to !== null) parts.push(`ts <= ${sqlInt(f.to, 'floor')}`);
  if (f.receivedFrom !== undefined && f.receivedFrom !== null) parts.push(`received_at >= ${sqlInt(f.receivedFrom, 'ceil')}`);
  return parts.length ? `(${parts.join(' AND ')})` : '1';
}

export function anyFilterSql(filters: EventFilter[]): string {
  if (!filters.length) return '0';
  return `(${filters.map(filterSql).join(' OR ')})`;
}
