import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { omitImpliedNodeIds, restoreImpliedNodeIds } from '../src/index.js';

/** a full snapshot as rrweb numbers it: ids in pre-order from `first` */
function snapshot(rows: number, first = 1) {
  let id = first;
  const el = (tagName: string, attributes: Record<string, string>, kids: () => unknown[]) => {
    const n: Record<string, unknown> = { type: 2, tagName, attributes };
    const me = id++;
    n.childNodes = kids();
    n.id = me;
    return n;
  };
  const text = (textContent: string) => ({ type: 3, textContent, id: id++ });
  const doc = { type: 0, childNodes: [] as unknown[], id: id++ };
  doc.childNodes.push({ type: 1, name: 'html', publicId: '', systemId: '', id: id++ });
  doc.childNodes.push(
    el('html', {}, () => [
      el('head', {}, () => []),
      el('body', {}, () => Array.from({ length: rows }, (_, i) => el('div', { class: 'row' }, () => [el('span', {}, () => [text(`Product ${i}`)])]))),
    ]),
  );
  return { type: 2, timestamp: 1000, data: { node: doc, initialOffset: { top: 0, left: 0 } } };
}

const ids = (e: any): unknown[] => {
  const out: unknown[] = [];
  const walk = (n: any) => {
    out.push(n.id);
    for (const c of n.childNodes ?? []) walk(c);
  };
  walk(e.data.node);
  return out;
};
const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x));

describe('implied node ids', () => {
  it('leaves out every pre-order successor id and restores the identical snapshot', () => {
    const events = [{ type: 4, timestamp: 999, data: { href: 'https://shop.example/', width: 1280, height: 800 } }, snapshot(300)];
    const wire = copy(events);
    omitImpliedNodeIds(wire);
    expect(ids(wire[1]).every((x) => x === undefined)).toBe(true);
    expect(wire[0]).toEqual(events[0]);
    restoreImpliedNodeIds(wire);
    expect(wire).toEqual(events);
    expect(JSON.stringify(wire)).toBe(JSON.stringify(events)); // id stays the last key, as rrweb writes it
  });

  it('is what makes a snapshot small on the wire', () => {
    const events = [snapshot(2000)];
    const wire = copy(events);
    omitImpliedNodeIds(wire);
    const gz = (x: unknown) => gzipSync(JSON.stringify(x)).length;
    expect(gz(wire)).toBeLessThan(gz(events) / 2);
  });

  it('keeps ids that are not implied: a checkout numbers from where the recording was, and gaps', () => {
    const later = snapshot(20, 5000);
    // a node rrweb numbered out of order (e.g. one serialized earlier), and the node after it
    const body = (later.data.node as any).childNodes[1].childNodes[1];
    body.childNodes[3].id = 42;
    const events = [later];
    const wire = copy(events);
    omitImpliedNodeIds(wire);
    const left = ids(wire[0]);
    expect(left[0]).toBe(5000);
    expect(left.filter((x) => x !== undefined)).toEqual([5000, 42, ids(later)[ids(later).indexOf(42) + 1]]);
    restoreImpliedNodeIds(wire);
    expect(wire).toEqual(events);
  });

  it("leaves out a mutation's implied add ids (one after the other, through added subtrees) and restores them", () => {
    const text = (id: number, t: string) => ({ type: 3, textContent: t, id });
    const mutation = {
      type: 3,
      timestamp: 5,
      data: {
        source: 0,
        texts: [],
        attributes: [{ id: 40, attributes: { class: 'hot' } }],
        removes: [{ parentId: 40, id: 41 }],
        // (a removal of any other node keeps its id; see below)
        adds: [
          { parentId: 40, nextId: null, node: text(19108, '2.31 €') },
          { parentId: 50, nextId: null, node: text(19109, '3.08 €') },
          // an added subtree (e.g. an iframe's document): its nodes follow in pre-order
          { parentId: 60, nextId: 61, node: { type: 2, tagName: 'div', attributes: {}, childNodes: [text(19111, 'a'), text(19112, 'b')], id: 19110 } },
          { parentId: 70, nextId: null, node: text(500, 'elsewhere') },
          { parentId: 70, nextId: null, node: text(501, 'next') },
        ],
      },
    };
    const events = [mutation, { type: 3, timestamp: 6, data: { source: 2, type: 1, id: 19108, x: 1, y: 2 } }];
    const wire = copy(events);
    omitImpliedNodeIds(wire);
    expect((wire[0] as any).data.adds.map((a: any) => a.node.id)).toEqual([19108, undefined, undefined, 500, undefined]);
    expect((wire[0] as any).data.adds[2].node.childNodes.map((n: any) => n.id)).toEqual([undefined, undefined]);
    expect((wire[0] as any).data.removes).toEqual([{ parentId: 40 }]); // 41 = parentId + 1
    expect(wire[1]).toEqual(events[1]);
    restoreImpliedNodeIds(wire);
    expect(wire).toEqual(events);
    expect(JSON.stringify(wire)).toBe(JSON.stringify(events));
  });

  it("leaves out an add's parentId and nextId where they are the node walked just before", () => {
    const el = (tagName: string, id: number) => ({ type: 2, tagName, attributes: {}, childNodes: [], id });
    // rrweb inserting <div><em/><ul>x</ul></div>: the parent first, then its children last to first
    const adds = [
      { parentId: 44, nextId: 2573, node: el('div', 100) },
      { parentId: 100, nextId: null, node: el('em', 101) },
      { parentId: 100, nextId: 101, node: el('ul', 102) },
      { parentId: 102, nextId: null, node: { type: 3, textContent: 'x', id: 103 } },
    ];
    const events = [{ type: 3, timestamp: 1, data: { source: 0, texts: [], attributes: [], removes: [], adds } }];
    const wire = copy(events);
    omitImpliedNodeIds(wire);
    expect((wire[0] as any).data.adds.map(({ node, ...rest }: any) => rest)).toEqual([{ parentId: 44, nextId: 2573 }, { nextId: null }, { parentId: 100 }, { nextId: null }]);
    restoreImpliedNodeIds(wire);
    expect(wire).toEqual(events);
    expect(JSON.stringify(wire)).toBe(JSON.stringify(events)); // parentId, nextId, node: rrweb's key order
  });

  it('a forged "__proto__" key in an add stays a plain property when the add is restored', () => {
    const events = JSON.parse('[{"type":3,"data":{"source":0,"adds":[{"__proto__":{"polluted":1},"node":{"type":3,"textContent":"x"}}]}}]');
    restoreImpliedNodeIds(events);
    const add = events[0].data.adds[0];
    expect(Object.getPrototypeOf(add)).toBe(Object.prototype);
    expect(add.polluted).toBeUndefined();
    expect(Object.keys(add)).toEqual(['parentId', 'nextId', '__proto__', 'node']);
    expect(add).toMatchObject({ parentId: 0, nextId: 0, node: { id: 1 } });
  });

  it('a removal keeps its id unless it is its parentId plus one', () => {
    const events = [{ type: 3, timestamp: 1, data: { source: 0, texts: [], attributes: [], removes: [{ parentId: 7, id: 8 }, { parentId: 7, id: 9 }, { parentId: 7, id: 8, isShadow: true }], adds: [] } }];
    const wire = copy(events);
    omitImpliedNodeIds(wire);
    expect((wire[0] as any).data.removes).toEqual([{ parentId: 7 }, { parentId: 7, id: 9 }, { parentId: 7, isShadow: true }]);
    restoreImpliedNodeIds(wire);
    expect(wire).toEqual(events);
  });

  it('leaves complete snapshots and other events alone', () => {
    const events = [snapshot(5, 77), { type: 3, timestamp: 5, data: { source: 0, adds: [{ parentId: 1, nextId: null, node: { type: 3, textContent: 'x', id: 9 } }] } }];
    const before = copy(events);
    restoreImpliedNodeIds(events);
    expect(events).toEqual(before);
  });

  it.each([
    ['not an object', [null, 3, 'x', [1]]],
    ['no data', [{ type: 2 }]],
    ['node not an object', [{ type: 2, data: { node: [1, 2] } }]],
    ['childNodes not an array', [{ type: 2, data: { node: { type: 0, childNodes: { 0: {} } } } }]],
    ['junk children and ids', [{ type: 2, data: { node: { type: 0, id: 'x', childNodes: [null, 7, { id: null }, { childNodes: [{}] }] } } }]],
    ['adds not an array', [{ type: 3, data: { source: 0, adds: { node: {} } } }]],
    ['junk removes', [{ type: 3, data: { source: 0, removes: [null, 1, [], { parentId: 'x' }, { id: 3 }, {}] } }]],
    ['junk adds', [{ type: 3, data: { source: 0, adds: [null, 1, [], { node: null }, { node: [1] }, { node: { id: 'x' } }, {}] } }]],
  ])('never throws on a forged recording: %s', (_, events) => {
    expect(() => restoreImpliedNodeIds(events as unknown[])).not.toThrow();
    expect(() => omitImpliedNodeIds(copy(events) as unknown[])).not.toThrow();
  });

  it('numbers missing ids after junk ones as the previous node plus one', () => {
    const events: any[] = [{ type: 2, data: { node: { type: 0, id: 'x', childNodes: [{ type: 2 }, { id: 10, childNodes: [{}] }, {}] } } }];
    restoreImpliedNodeIds(events);
    const n = events[0].data.node;
    expect([n.id, n.childNodes[0].id, n.childNodes[1].id, n.childNodes[1].childNodes[0].id, n.childNodes[2].id]).toEqual(['x', 2, 10, 11, 12]);
  });

  it('walks a snapshot nested far deeper than a call stack allows', () => {
    const root: any = { type: 0, id: 1, childNodes: [] };
    let cur = root;
    for (let i = 2; i <= 200_000; i++) {
      const n = { type: 2, tagName: 'div', attributes: {}, childNodes: [], id: i };
      cur.childNodes.push(n);
      cur = n;
    }
    const events = [{ type: 2, data: { node: root } }];
    omitImpliedNodeIds(events);
    expect(root.id).toBeUndefined();
    expect(cur.id).toBeUndefined();
    restoreImpliedNodeIds(events);
    expect(cur.id).toBe(200_000);
  });
});
