// Throughput of the chain matcher. Budgets are measured by `npm run bench`, never asserted by a
// timed unit test; this only prints the rate so regressions are visible in the test log.
//
// Measured with tsx (plain Node 20 module loading, 1 M calls, best of 3) on the shared 2-core
// dev box while other jobs were running (load average ~10), 8-element chains, whole
// matchChain() per call:
//   `button.btn`                                         ~14 M chains/s
//   `form#checkout > ul li button.primary`               ~4.4 M chains/s
//   `:is(ul, form) li:not(.x):nth-child(2n+1)` + text    ~3.9 M chains/s
// i.e. above the ~1 M/s order of magnitude the preview budget needs. Under vitest (forks pool)
// the same loops print ~9 / 4.3 / 3.4 M chains/s; `npm run bench` has the real figures.

import type { ChainElement } from '@hindsight/schema';
import { describe, expect, it } from 'vitest';
import { compileRule } from '../src/index.js';
import { ce } from './helpers.js';

const chains: ChainElement[][] = [];
for (let k = 0; k < 64; k++) {
  chains.push([
    ce('span', {}, { text: 'Pay now' }),
    ce('button', { class: k % 2 ? 'btn primary' : 'btn-primary', type: 'submit' }, { text: 'Pay now', nth: [1, 1, 2, 2] }),
    ce('div', { class: 'row md:flex' }),
    ce('li', { class: k % 3 ? 'item' : 'x' }, { nth: [(k % 5) + 1, (k % 5) + 1, 1, 1], text: 'Pay now' }),
    ce('ul', {}),
    ce('form', { id: k % 4 ? 'checkout' : 'other' }),
    ce('body', {}),
    ce('html', {}),
  ]);
}

describe('chain matcher throughput', () => {
  it.each([
    [{ event: 'click', selector: 'button.btn' }],
    [{ event: 'click', selector: 'form#checkout > ul li button.primary' }],
    [{ event: 'click', selector: ':is(ul, form) li:not(.x):nth-child(2n+1)', text: { op: 'contains' as const, value: 'Pay' } }],
  ])('%j', (rule) => {
    const r = compileRule(rule);
    const n = 200_000;
    let hits = 0;
    let ms = Infinity;
    // best of 3: the first round includes JIT warm-up
    for (let round = 0; round < 3; round++) {
      hits = 0;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) if (r.matchChain(chains[i & 63]) === true) hits++;
      ms = Math.min(ms, performance.now() - t0);
    }
    console.log(`${rule.selector}: ${((n / ms) * 1000 / 1e6).toFixed(2)} M chains/s`);
    expect(hits).toBeGreaterThan(0);
  }, 120_000);
});
