// The replay index over a real DuckDB store: the first-segment answer, and the chunk bodies it
// keeps so the viewer's follow-up request for those chunks is answered without a second read.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ReplayChunk } from '@hindsight/schema';
import { DuckDBStore } from '@hindsight/store';
import { headIds, ReplayIndexCache } from '../src/replay-index.js';

const meta = (ts: number) => ({ type: 4, timestamp: ts, data: { href: 'http://shop.test/', width: 800, height: 600 } });
const full = (ts: number) => ({ type: 2, timestamp: ts, data: { node: { type: 0, id: 1, childNodes: [] }, initialOffset: { top: 0, left: 0 } } });
const inc = (ts: number) => ({ type: 3, timestamp: ts, data: { source: 1, positions: [] } });

// one recording: segment 1 = chunks c0..c2, segment 2 (a checkout at 5000) = c3..c4
const chunk = (seq: number, events: unknown[]): ReplayChunk => ({
  id: `c${seq}`,
  sessionId: 's1',
  rec: 'r1',
  seq,
  ts: (events[0] as { timestamp: number }).timestamp,
  events,
});
const chunks = [
  chunk(0, [meta(1000), full(1000)]),
  chunk(1, [inc(2000)]),
  chunk(2, [inc(3000)]),
  chunk(3, [meta(5000), full(5000)]),
  chunk(4, [inc(6000)]),
];

let dir: string;
let store: DuckDBStore;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hs-index-'));
  store = new DuckDBStore(join(dir, 'db.duckdb'));
  await store.init();
  // stored out of order: the index and the bodies follow replay order, not arrival
  await store.append('p', [], [chunks[3], chunks[1], chunks[0], chunks[4], chunks[2]]);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ReplayIndexCache', () => {
  it('answers the first segment first, and keeps its chunk bodies in replay order', async () => {
    const index = new ReplayIndexCache(store);
    const first = await index.get('p', 's1', { firstSegment: true });
    expect(first.complete).toBe(false);
    expect(first.chunks.map((c) => c.id)).toEqual(['c0', 'c1']);
    const read = vi.spyOn(store, 'replayChunksById');
    const bodies = index.cachedBodies('p', 's1', ['c2', 'c0', 'c1']);
    expect(read).not.toHaveBeenCalled();
    // the same text the store path would send
    const fromStore = await store.replayChunksById('p', 's1', ['c0', 'c1', 'c2']);
    expect(bodies).toEqual(fromStore.map((c) => JSON.stringify({ id: c.id, events: c.events })));
    read.mockRestore();
  });

  it('falls back to the store (null) when any asked chunk is not cached, or for another session or project', async () => {
    const index = new ReplayIndexCache(store);
    expect(index.cachedBodies('p', 's1', ['c0'])).toBeNull(); // nothing indexed yet
    await index.get('p', 's1');
    expect(index.cachedBodies('p', 's1', ['c0'])).toBeNull(); // a full build keeps no bodies (only the first frame needs them)
    const cold = new ReplayIndexCache(store);
    await cold.get('p', 's1', { firstSegment: true });
    expect(cold.cachedBodies('p', 's1', ['c0', 'nope'])).toBeNull();
    expect(cold.cachedBodies('p', 's2', ['c0'])).toBeNull();
    expect(cold.cachedBodies('q', 's1', ['c0'])).toBeNull();
    expect(cold.cachedBodies('p', 's1', ['c0'])).not.toBeNull();
  });

  it('head bodies: the first Meta\'s chunk and the next, from memory after a first-segment build, else from the store', async () => {
    const index = new ReplayIndexCache(store);
    const expected = (await store.replayChunksById('p', 's1', ['c0', 'c1'])).map((c) => JSON.stringify({ id: c.id, events: c.events }));
    const first = await index.get('p', 's1', { firstSegment: true });
    const read = vi.spyOn(store, 'replayChunksById');
    expect(await index.chunkBodies('p', 's1', headIds(first))).toEqual(expected);
    expect(read).not.toHaveBeenCalled();
    read.mockRestore();
    // a complete index built by another cache (no bodies kept): read from the store, same answer
    const other = new ReplayIndexCache(store);
    const all = await other.get('p', 's1');
    expect(await other.chunkBodies('p', 's1', headIds(all))).toEqual(expected);
    // no Meta at all (a recording whose start was lost): no head
    expect(headIds({ ...all, chunks: all.chunks.map((c) => ({ ...c, metas: [] })) })).toEqual([]);
  });

  it('a known session still answers only the first segment for the first frame', async () => {
    const index = new ReplayIndexCache(store);
    expect((await index.get('p', 's1')).complete).toBe(true);
    const again = await index.get('p', 's1', { firstSegment: true });
    expect([again.complete, again.chunks.length, again.lastTs]).toEqual([false, 2, 6000]);
  });
});
