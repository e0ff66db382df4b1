// Concurrent appends are merged into one transaction (group commit); each caller still gets its
// own exact counts, and a bad request fails alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DuckDBStore, type StoredEvent } from '../src/index.js';

let dir: string;
let store: DuckDBStore;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hs-gc-'));
  store = new DuckDBStore(join(dir, 'db.duckdb'));
  await store.init();
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const ev = (id: string, session = 's'): StoredEvent => ({
  id,
  type: 'pageview',
  ts: 1_700_000_000_000,
  sessionId: session,
  anonymousId: 'a',
  url: 'https://x/',
  receivedAt: 1_700_000_000_000,
  chainHash: '',
});

describe('group commit', () => {
  it('merges concurrent appends and credits each id to the first caller that carried it', async () => {
    const calls = [
      store.append('p', [ev('a1'), ev('a2')], []),
      store.append('p', [ev('a2'), ev('a3')], []), // a2 also in the first call
      store.append('p', [ev('a3'), ev('a3')], []), // duplicate inside itself and of call 2
      store.append('other', [ev('a1')], []), // another project: its own id space
    ];
    const res = await Promise.all(calls);
    expect(res.map((r) => [r.inserted, r.duplicates])).toEqual([
      [2, 0],
      [1, 1],
      [0, 2],
      [1, 0],
    ]);
    expect((await store.sessionEvents('p', 's')).map((e) => e.id).sort()).toEqual(['a1', 'a2', 'a3']);
    const again = await Promise.all([store.append('p', [ev('a1')], []), store.append('p', [ev('a4')], [])]);
    expect(again.map((r) => r.inserted)).toEqual([0, 1]);
  });

  it('a request that fails does not fail the others merged with it', async () => {
    const bad = { ...ev('b2'), ts: Number.NaN };
    const results = await Promise.allSettled([
      store.append('p', [ev('b1', 's2')], []),
      store.append('p', [bad], []),
      store.append('p', [ev('b3', 's2')], []),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await store.sessionEvents('p', 's2')).map((e) => e.id).sort()).toEqual(['b1', 'b3']);
  });

  it('really merges: many concurrent appends take fewer transactions than requests', async () => {
    const conn = (store as unknown as { open: { writer: { run: (sql: string) => Promise<unknown> } } }).open.writer;
    const spy = vi.spyOn(conn, 'run');
    await Promise.all(Array.from({ length: 40 }, (_, i) => store.append('p', [ev(`m${i}`, 's3')], [])));
    const begins = spy.mock.calls.filter(([sql]) => String(sql).startsWith('BEGIN')).length;
    spy.mockRestore();
    expect(begins).toBeGreaterThan(0);
    expect(begins).toBeLessThan(40);
    expect(await store.sessionEvents('p', 's3')).toHaveLength(40);
  });
});
