import { describe, expect, it } from 'vitest';
import { indexChunk } from '../src/index.js';

const chunk = (events: unknown[], ts = 5) => ({ id: 'c1', rec: 'r1', seq: 7, ts, events });

describe('indexChunk', () => {
  it('spans the events, marks every Meta as a segment start and sizes snapshots by their nodes', () => {
    const tree = { type: 0, childNodes: [{ type: 2, childNodes: [{ type: 3 }, { type: 3 }] }] };
    const e = indexChunk(chunk([
      { type: 4, timestamp: 1000, data: { href: 'https://shop.example/a' } },
      { type: 2, timestamp: 1001, data: { node: tree } },
      { type: 3, timestamp: 1500, data: {} },
    ]));
    expect(e).toEqual({ id: 'c1', rec: 'r1', seq: 7, ts: 1000, end: 1500, n: 3, bytes: 3 * 120 + 4 * 60, metas: [{ i: 0, ts: 1000, href: 'https://shop.example/a' }] });
  });

  it('takes any JSON: bad events are counted but never break it, and a chunk without times spans its own ts', () => {
    const e = indexChunk(chunk([null, 3, 'x', { type: 4, data: { href: 5 } }, { type: 2, data: { node: null } }], 42));
    expect(e.ts).toBe(42);
    expect(e.end).toBe(42);
    expect(e.n).toBe(5);
    expect(e.metas).toEqual([{ i: 3, ts: NaN, href: '' }]);
  });

  it('keeps long page URLs short and walks a 100,000-deep snapshot without recursion', () => {
    let deep: { childNodes: unknown[] } = { childNodes: [] };
    const root = deep;
    for (let i = 0; i < 100_000; i++) {
      const next = { childNodes: [] };
      deep.childNodes.push(next);
      deep = next;
    }
    const e = indexChunk(chunk([{ type: 4, timestamp: 1, data: { href: 'x'.repeat(10_000) } }, { type: 2, timestamp: 2, data: { node: root } }]));
    expect(e.metas[0].href).toHaveLength(2048);
    expect(e.bytes).toBe(2 * 120 + 100_001 * 60);
  });
});
