// Streaming a DuckDB query in pages of plain JS rows: used by the store's export and by the CLI's
// import of Parquet/CSV files, so neither ever holds a whole table in memory.
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { Params } from './params.js';

/** DuckDB values as plain JS: BIGINT → number, BLOB → bytes */
function js(v: DuckDBValue): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v !== null && typeof v === 'object' && 'bytes' in v) return (v as { bytes: Uint8Array }).bytes;
  return v;
}

/** runs `sql` as a streaming query and hands its rows to `page` in pages of `size` */
export async function streamRows(
  conn: DuckDBConnection,
  sql: string,
  p: Params | undefined,
  size: number,
  page: (rows: Record<string, unknown>[]) => Promise<void>,
): Promise<void> {
  const result = await conn.stream(sql, p?.values, p?.types);
  const names = result.columnNames();
  let buf: Record<string, unknown>[] = [];
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (const r of chunk.getRowObjects(names)) {
      const o: Record<string, unknown> = {};
      for (const k of names) o[k] = js(r[k]);
      buf.push(o);
    }
    while (buf.length >= size) {
      await page(buf.slice(0, size));
      buf = buf.slice(size);
    }
  }
  if (buf.length) await page(buf);
}
