// POST /v1/batch (ingestBatch) against a real DuckDB store in a temp dir, for the ingest tests:
// registers the suite's set-up and tear-down, and returns the store and a way to post.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { DuckDBStore } from '@hindsight/store';
import { ingestBatch } from '../src/ingest.js';

export function ingestIntoDuckDB() {
  let dir: string;
  let store: DuckDBStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hs-ingest-'));
    store = new DuckDBStore(join(dir, 'db.duckdb'));
    await store.init();
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const deps = () => ({
    store,
    projectForKey: (k: string) => (k === 'pk' ? 'p' : undefined),
    maxBodyBytes: 256 * 1024,
    maxInflatedBytes: 1024 * 1024,
  });
  return {
    store: () => store,
    /** ingests `body` as sent with write key `key` (project 'p' for 'pk') */
    post: (body: Uint8Array | string, key = 'pk') =>
      ingestBatch(new Request(`http://x/v1/batch?key=${key}`, { method: 'POST', body: body as BodyInit }), deps()),
  };
}
