import { join } from 'node:path';
import { ClickHouseStore } from './clickhouse/store.js';
import { DuckDBStore, type DuckDBOptions } from './duckdb/store.js';
import { StoreError, type Store } from './types.js';

export const DUCKDB_FILE = 'hindsight.duckdb';

/**
 * Picks the store from HINDSIGHT_STORE-style URLs:
 * - undefined, '', `duckdb:`, `duckdb://…` → DuckDB file `${dataDir}/hindsight.duckdb` (dir created on init)
 * - `clickhouse://[user:pass@]host:port/db` (`clickhouses://` for HTTPS) → ClickHouse, db created on init
 * Call `init()` on the result before use.
 */
export function createStore(opts: { dataDir: string; url?: string; duckdb?: DuckDBOptions }): Store {
  const url = (opts.url ?? '').trim();
  if (url === '' || /^duckdb:/i.test(url)) return new DuckDBStore(join(opts.dataDir, DUCKDB_FILE), opts.duckdb);
  if (/^clickhouses?:\/\//i.test(url)) return new ClickHouseStore(url);
  throw new StoreError('bad_input', `unsupported store URL ${JSON.stringify(url)} (use duckdb: or clickhouse://host:port/db)`);
}
