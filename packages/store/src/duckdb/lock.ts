// One DuckDB file, one owner. Across processes DuckDB's own file lock refuses a second opener;
// inside one process it does not (POSIX locks are per process), and two instances writing the
// same file corrupt it, so this registry refuses that case too.
import { resolve } from 'node:path';
import { StoreError } from '../types.js';

const openFiles = new Set<string>();

export function claimFile(path: string): string {
  const key = resolve(path);
  if (openFiles.has(key)) {
    throw new StoreError(
      'store_locked',
      `DuckDB file ${key} is already open in this process; close the other store first or use another data dir`,
    );
  }
  openFiles.add(key);
  return key;
}

export function releaseFile(key: string): void {
  openFiles.delete(key);
}

/** Maps DuckDB's "Could not set lock on file" error to a StoreError with advice. */
export function lockError(path: string, err: unknown): StoreError | null {
  const msg = err instanceof Error ? err.message : String(err);
  if (!/could not set lock|conflicting lock/i.test(msg)) return null;
  const pid = /PID (\d+)/.exec(msg)?.[1];
  return new StoreError(
    'store_locked',
    `DuckDB file ${path} is locked by another process${pid ? ` (PID ${pid})` : ''}. ` +
      'Only one Hindsight server can use a DuckDB data dir: stop the other server, set HINDSIGHT_DATA_DIR ' +
      'to another directory, or use HINDSIGHT_STORE=clickhouse://... to run several servers.',
  );
}
