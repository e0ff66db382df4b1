import { describe, expect, it } from 'vitest';
import type { ChainElement } from '@hindsight/schema';
import { canonicalJson, chainHash } from '../src/index.js';

const button: ChainElement[] = [
  { tag: 'button', attrs: { class: 'buy', id: 'pay' }, nth: [1, 1, 2, 2], text: 'Pay' },
  { tag: 'html', attrs: {}, nth: [1, 1, 1, 1] },
];

describe('chainHash', () => {
  it.each<[string, ChainElement[] | undefined, string | RegExp]>([
    ['no chain', undefined, ''],
    ['empty chain', [], ''],
    ['a chain: 16 bytes of hex', button, /^[0-9a-f]{32}$/],
  ])('%s', (_label, chain, expected) => {
    if (typeof expected === 'string') expect(chainHash(chain)).toBe(expected);
    else expect(chainHash(chain)).toMatch(expected);
  });

  it('ignores key order and undefined members, so every recorder/server computes the same hash', () => {
    const reordered: ChainElement[] = [
      { text: 'Pay', nth: [1, 1, 2, 2], attrs: { id: 'pay', class: 'buy' }, tag: 'button', trunc: undefined },
      { nth: [1, 1, 1, 1], attrs: {}, tag: 'html' },
    ];
    expect(chainHash(reordered)).toBe(chainHash(button));
  });

  it.each<[string, ChainElement[]]>([
    ['attribute value', [{ ...button[0], attrs: { class: 'buy', id: 'pay2' } }, button[1]]],
    ['nth', [{ ...button[0], nth: [2, 1, 2, 2] }, button[1]]],
    ['text', [{ ...button[0], text: 'Pay ' }, button[1]]],
    ['element order', [button[1], button[0]]],
    ['shadow root mark', [{ ...button[0], root: 'shadow' }, button[1]]],
  ])('changes when the %s changes', (_label, other) => {
    expect(chainHash(other)).not.toBe(chainHash(button));
  });

  it('answers the same from its cache: equal text, equal hash; more chains than it keeps', () => {
    // ~4 kB each: 2,500 of them overflow the cache's 8 M characters
    const fresh = (i: number): ChainElement[] => [{ tag: 'b', attrs: { 'data-i': String(i), title: 'x'.repeat(4000) }, nth: [1, 1, 1, 1] }];
    const first = Array.from({ length: 2_500 }, (_, i) => chainHash(fresh(i)));
    expect(new Set(first).size).toBe(2_500);
    // asked again (some cached, some forgotten): the same answers
    for (const i of [0, 1, 1_234, 2_499]) expect(chainHash(fresh(i))).toBe(first[i]);
    // a chain too long to cache is hashed all the same
    const big: ChainElement[] = [{ tag: 'b', attrs: { title: 'y'.repeat(20_000) }, nth: [1, 1, 1, 1] }];
    expect(chainHash(big)).toBe(chainHash(structuredClone(big)));
    // a cached text never stands for another chain: the reordered copy is a miss, same hash
    expect(chainHash([{ nth: [1, 1, 1, 1], attrs: { title: 'x'.repeat(4000), 'data-i': '7' }, tag: 'b' }])).toBe(first[7]);
  });

  it('is pinned (a change would split every stored chain in two)', () => {
    expect(canonicalJson({ b: [1, { d: 1, c: 'x' }], a: null })).toBe('{"a":null,"b":[1,{"c":"x","d":1}]}');
    expect(chainHash([{ tag: 'a', attrs: {}, nth: [1, 1, 1, 1] }])).toBe('b6ebc5e73b484f9b57449668559e4cbb');
  });
});
