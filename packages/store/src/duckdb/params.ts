import { listValue, BIGINT, LIST, VARCHAR, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';

/** Lists longer than this are bound as one LIST parameter and joined (`IN (SELECT unnest(..))`). */
const INLINE_LIST_MAX = 64;

/**
 * Collects named parameters for one statement. Every user-supplied value reaches DuckDB as a bound
 * parameter, never as SQL text.
 */
export class Params {
  readonly values: Record<string, DuckDBValue> = {};
  readonly types: Record<string, DuckDBType | undefined> = {};
  private n = 0;

  /** strings as VARCHAR, integers as BIGINT (so comparisons with BIGINT columns keep zonemap pruning) */
  add(v: string | number | boolean | null): string {
    const name = `p${++this.n}`;
    this.values[name] = typeof v === 'number' ? BigInt(Math.trunc(v)) : v;
    // untyped, a JS bigint binds as HUGEINT: every ts compared or bucketed with it was cast to
    // 128 bits (a trend over 10 M events spent most of its time in HUGEINT modulo)
    if (typeof v === 'number') this.types[name] = BIGINT;
    return `$${name}`;
  }

  /** a VARCHAR[] parameter */
  list(items: readonly string[]): string {
    const name = `p${++this.n}`;
    this.values[name] = listValue([...items]);
    this.types[name] = LIST(VARCHAR);
    return `$${name}`;
  }

  /** `col IN (...)` for a string set; an empty set matches nothing. */
  inList(col: string, items: readonly string[]): string {
    if (items.length === 0) return 'FALSE';
    if (items.length <= INLINE_LIST_MAX) return `${col} IN (${items.map((i) => this.add(i)).join(', ')})`;
    const name = `p${++this.n}`;
    this.values[name] = listValue([...items]);
    this.types[name] = LIST(VARCHAR);
    return `${col} IN (SELECT unnest($${name}))`;
  }
}
