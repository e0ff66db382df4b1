import { describe, expect, it } from 'vitest';
import type { ChainElement, PropertySpec, Rule } from '@hindsight/schema';
import { compileRule, extractFromChain } from '../src/index.js';
import { ce } from './helpers.js';

// a click on the <svg> inside a product card's buy button
const CHAIN: ChainElement[] = [
  ce('svg'),
  ce('button', { class: 'buy', 'data-sku': 'SKU-1' }, { text: 'Buy  €12' }),
  ce('div', { class: 'card', 'data-sku': 'CARD', 'data-price': '12.00' }, { text: 'Mug Buy €12' }),
  ce('body'),
  ce('html'),
];
const rules = (...rs: Rule[]) => rs.map((r) => compileRule(r));
const sku: PropertySpec = { name: 'sku', attr: 'data-sku' };

describe('extractFromChain', () => {
  it.each<[string, Rule[], PropertySpec, string | null]>([
    ['attribute of the element closest(selector) found, not the target', [{ event: 'click', selector: 'button.buy' }], sku, 'SKU-1'],
    ['a wider selector reads the outer element', [{ event: 'click', selector: '.card' }], sku, 'CARD'],
    ['another attribute of it', [{ event: 'click', selector: '.card' }], { name: 'price', attr: 'data-price' }, '12.00'],
    ['text of the matched element', [{ event: 'click', selector: 'button' }], { name: 'label', text: true }, 'Buy  €12'],
    ['no selector: the target itself', [{ event: 'click' }], { name: 'tag', attr: 'data-sku' }, ''],
    ['absent attribute is empty', [{ event: 'click', selector: 'button' }], { name: 'x', attr: 'data-nope' }, ''],
    ['no rule matches', [{ event: 'click', selector: 'a' }], sku, null],
    ['first matching rule decides', [{ event: 'click', selector: 'a' }, { event: 'click', selector: '.card' }, { event: 'click', selector: 'button' }], sku, 'CARD'],
    ['a rule the chain cannot decide is skipped', [{ event: 'click', selector: 'div:has(span)' }], sku, null],
  ])('%s', (_label, rs, prop, expected) => {
    expect(extractFromChain(rules(...rs), prop, CHAIN)).toBe(expected);
  });

  it('no chain, no value', () => {
    expect(extractFromChain(rules({ event: 'click' }), sku, null)).toBeNull();
    expect(extractFromChain(rules({ event: 'click' }), sku, [])).toBeNull();
  });
});
