import { describe, expect, it } from 'vitest';
import { restoreImpliedNodeIds } from '@hindsight/schema';
import { packRec } from '../src/worker/pack';

const items = Array.from({ length: 30 }, (_, i) => ({ type: 2, tagName: 'li', attributes: {}, childNodes: [], id: 3 + i }));
const snapshot = {
  type: 2,
  timestamp: 1,
  data: { node: { type: 0, childNodes: [{ type: 2, tagName: 'html', attributes: {}, childNodes: items, id: 2 }], id: 1 }, initialOffset: { top: 0, left: 0 } },
};
const chunk = (events: unknown[]) => ({ id: 'c1', sessionId: 's', rec: 'r', seq: 0, ts: 1, events });

describe('packRec (worker)', () => {
  it('leaves implied ids out of a chunk with a full snapshot; the server side restores it', () => {
    const c = chunk([{ type: 4, timestamp: 1, data: { href: 'https://x/', width: 1, height: 1 } }, snapshot]);
    const out = packRec({ id: 'c1', k: 'c', j: JSON.stringify(c) });
    expect(out.id).toBe('c1');
    expect(out.j).not.toContain('"id":2');
    expect(out.j.length).toBeLessThan(JSON.stringify(c).length);
    const { impliedIds, ...back } = JSON.parse(out.j);
    expect(impliedIds).toBe(true); // the server restores only chunks that say so
    restoreImpliedNodeIds(back.events);
    expect(back).toEqual(c);
  });

  it('passes events, chunks without snapshots or added nodes, and unreadable text through untouched', () => {
    const moves = { id: 'c2', k: 'c' as const, j: JSON.stringify(chunk([{ type: 3, timestamp: 2, data: { source: 1, positions: [] } }])) };
    expect(packRec(moves)).toBe(moves);
    const event = { id: 'e1', k: 'e' as const, j: JSON.stringify({ id: 'e1', type: 'click', initialOffset: 1, adds: [{}] }) };
    expect(packRec(event)).toBe(event);
    const broken = { id: 'c3', k: 'c' as const, j: '{"events":[{"data":{"initialOffset":' };
    expect(packRec(broken)).toBe(broken);
  });
});
