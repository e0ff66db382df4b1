// Differential property test: random DOM trees (HTML, SVG, shadow roots), chains derived as the
// recorder derives them, random chain-decidable selectors from a grammar. The chain matcher
// must return exactly the element css-select's composed closest() returns on the tree.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifySelector, closestInChain, compileChainSelector, compileDomSelector, parseSelector } from '../src/index.js';
import { composedParent } from '../src/replay/dom.js';
import type { RNode } from '../src/replay/dom.js';
import { chainOf } from './helpers.js';
import { buildTree, domSelectorArb, selectorArb, specArb } from './gen.js';

function indexOf(chainTarget: RNode, match: RNode | null): number {
  if (!match) return -1;
  let i = 0;
  for (let x: RNode | null = chainTarget; x; x = composedParent(x), i++) if (x === match) return i;
  throw new Error('oracle returned a non-ancestor');
}

describe('differential: chain matcher vs css-select on the tree', () => {
  it('agrees on random trees and selectors', () => {
    fc.assert(
      fc.property(specArb, fc.array(selectorArb, { minLength: 1, maxLength: 4 }), (spec, selectors) => {
        const elements = buildTree(spec);
        for (const s of selectors) {
          const p = parseSelector(s);
          if (!p.ok) throw new Error(`generator produced invalid selector ${s}: ${p.message}`);
          expect(classifySelector(p.ast)).toBe('chain');
          const chainTest = compileChainSelector(p.ast);
          const domTest = compileDomSelector(p.ast);
          for (const el of elements) {
            let oracle: RNode | null = null;
            for (let x: RNode | null = el; x; x = composedParent(x)) {
              if (domTest(x)) {
                oracle = x;
                break;
              }
            }
            const got = closestInChain(chainTest, chainOf(el));
            if (got !== indexOf(el, oracle)) {
              throw new Error(`selector ${s} on <${el.tagName}> #${el.id}: chain ${got}, css-select ${indexOf(el, oracle)}`);
            }
          }
        }
      }),
      { numRuns: 2500 },
    );
  }, 300_000); // ~7 s on an idle 2-core box; generous for a loaded CI machine
});

describe('differential: dom selectors on chains are sound (exact or unknown)', () => {
  it('never contradicts css-select', () => {
    let decided = 0;
    let total = 0;
    fc.assert(
      fc.property(specArb, fc.array(domSelectorArb, { minLength: 1, maxLength: 4 }), (spec, selectors) => {
        const elements = buildTree(spec);
        for (const s of selectors) {
          const p = parseSelector(s);
          if (!p.ok) throw new Error(`generator produced invalid selector ${s}: ${p.message}`);
          const chainTest = compileChainSelector(p.ast);
          const domTest = compileDomSelector(p.ast);
          for (const el of elements) {
            let oracle: RNode | null = null;
            for (let x: RNode | null = el; x; x = composedParent(x)) {
              if (domTest(x)) {
                oracle = x;
                break;
              }
            }
            const got = closestInChain(chainTest, chainOf(el));
            total++;
            if (got === 'unknown') continue;
            decided++;
            if (got !== indexOf(el, oracle)) {
              throw new Error(`selector ${s} on <${el.tagName}> #${el.id}: chain ${got}, css-select ${indexOf(el, oracle)}`);
            }
          }
        }
      }),
      { numRuns: 1000 },
    );
    // the point of the relaxation: most chains are decided without the replay
    console.log(`dom selectors decided from the chain: ${decided}/${total}`);
    expect(decided).toBeGreaterThan(total / 4);
  }, 300_000);
});
