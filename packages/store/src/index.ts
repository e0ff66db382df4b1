export * from './types.js';
export * from './destination-types.js';
export { chainHash, canonicalJson } from './chain-hash.js';
export { trendBuckets } from './common/insights.js';
export { createStore, DUCKDB_FILE } from './create-store.js';
export { DuckDBStore, type DuckDBOptions } from './duckdb/store.js';
export { streamRows as streamDuckDBRows } from './duckdb/stream.js';
export { ClickHouseStore, parseClickHouseUrl, type ClickHouseOptions } from './clickhouse/store.js';
export { sqlString as clickhouseStringLiteral } from './clickhouse/escape.js';
export {
  DEFAULT_SESSION_LIMIT,
  MAX_SESSION_LIMIT,
  DEFAULT_FIND_LIMIT,
  MAX_FIND_LIMIT,
  DEFAULT_SAMPLE_SIZE,
  MAX_SAMPLE_SIZE,
} from './common/cursor.js';
