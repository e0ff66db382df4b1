// ClickHouse 18.16 (the oldest version we support) has no query parameters ({x:String} arrived
// in 19.x), so every value that reaches SQL text goes through these functions, and nothing else
// builds literals. Inserts never use SQL text: rows travel as JSONEachRow data.
import { StoreError } from '../types.js';

/**
 * A ClickHouse single-quoted string literal. Backslash and quote are escaped; every control
 * character (C0, DEL) becomes \xHH so no byte can end the literal or confuse a log line. Other
 * characters (all of Unicode) pass through as UTF-8, which ClickHouse reads byte-for-byte.
 */
export function sqlString(value: string): string {
  if (typeof value !== 'string') throw new StoreError('bad_input', 'expected a string value');
  let out = "'";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    const code = value.charCodeAt(i);
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + "'";
}

/** An integer literal; rejects anything that is not a finite number (NaN, Infinity, strings). */
export function sqlInt(value: number, round: 'floor' | 'ceil' | 'trunc' = 'trunc'): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new StoreError('bad_input', 'expected a finite number');
  const n = Math[round](value);
  if (!Number.isSafeInteger(n)) throw new StoreError('bad_input', 'number out of range');
  return String(n);
}

/** `col IN ('a', 'b')`; an empty set matches nothing. */
export function sqlInList(col: string, items: readonly string[]): string {
  if (items.length === 0) return '0';
  return `${col} IN (${items.map(sqlString).join(', ')})`;
}

/** Database names become identifiers; only a conservative charset is accepted. */
export function sqlIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) {
    throw new StoreError('bad_input', `invalid ClickHouse database name ${JSON.stringify(name)}`);
  }
  return name;
}
