// Selector × chain table. Every row is checked twice: by the chain matcher (stored chain) and by
// css-select on the rebuilt DOM (replay path); both must give the element the table names.

import { describe, expect, it } from 'vitest';
import { classifySelector, closestInChain, compileChainSelector, createReplayMatcher, parseSelector } from '../src/index.js';
import { chainOf, ce, startEvents } from './helpers.js';
import { shopPage } from './fixture.js';
import { rows } from './rows.js';

const { document, ids } = shopPage();
const replay = createReplayMatcher(startEvents(document)).at(2);
const nameOf = new Map(Object.entries(ids).map(([k, v]) => [v, k]));

function chainAnswer(selector: string, target: string): string | null | 'unknown' {
  const p = parseSelector(selector);
  if (!p.ok) throw new Error(`${selector}: ${p.message}`);
  expect(classifySelector(p.ast)).toBe('chain');
  const node = replay.node(ids[target])!;
  const chain = chainOf(node);
  const r = closestInChain(compileChainSelector(p.ast), chain);
  if (r === 'unknown') return r;
  if (r < 0) return null;
  // map the chain index back to the fixture name
  let x = node;
  for (let i = 0; i < r; i++) {
    const p2 = x.parent!;
    x = p2.kind === 'shadow-root' ? p2.host! : p2;
  }
  return nameOf.get(x.id) ?? x.tagName;
}

function replayAnswer(selector: string, target: string): string | null {
  const n = replay.closestComposed(ids[target], selector);
  return n ? (nameOf.get(n.id) ?? n.tagName) : null;
}

describe('chain matcher = composed closest()', () => {
  it.each(rows)('%s on %s → %s', (selector, target, expected) => {
    expect(chainAnswer(selector, target)).toBe(expected);
    expect(replayAnswer(selector, target)).toBe(expected);
  });
});

describe('truncated or masked attributes make the chain undecidable', () => {
  const chain = [
    ce('input', { type: 'password', value: '***', class: 'pw' }, { trunc: ['value'] }),
    ce('form', { id: 'login' }),
    ce('body'),
    ce('html'),
  ];
  const cases: [string, boolean | 'unknown'][] = [
    ['[value]', true],
    ['[value="***"]', 'unknown'],
    ['input:not([value=x])', 'unknown'],
    ['.pw', true],
    ['#login [value^=a]', 'unknown'],
    ['.other [value^=a]', false],
    // a decided match before the unknown one wins
    ['.pw, [value=a]', true],
    // an ancestor that would match cannot be reached when the target is unknown
    ['[value=a], form', 'unknown'],
  ];
  it.each(cases)('%s → %s', (selector, expected) => {
    const p = parseSelector(selector);
    if (!p.ok) throw new Error(p.message);
    const r = closestInChain(compileChainSelector(p.ast), chain);
    expect(r === 'unknown' ? 'unknown' : r >= 0).toBe(expected);
  });
});

describe('the featureless shadow host in the chain prefilter', () => {
  // A host is the parent of its shadow tree's top level only for :has() compounds, which the chain
  // cannot decide: such a step is unknown (the replay decides), any other is still false.
  const star = chainOf(replay.node(ids.star)!);
  const answer = (selector: string) => {
    const p = parseSelector(selector);
    if (!p.ok) throw new Error(p.message);
    return closestInChain(compileChainSelector(p.ast), star);
  };
  it.each([
    [':has(p) > div', 'unknown'],
    [':has(p) span', 'unknown'],
    [':is(:has(p), .x) > div > span', 'unknown'],
    ['* > div', -1],
    [':is(*) > div', -1],
    [':not(.x) > div', -1],
    ['.x:has(p) > div', -1],
    ['body :has(p) > div', -1],
    [':host > div', 'unknown'],
    [':host-context(body) span', 'unknown'],
    [':host', -1],
    ['body :host span', -1],
  ] as const)('%s → %s', (selector, expected) => {
    expect(answer(selector)).toBe(expected);
  });
});
