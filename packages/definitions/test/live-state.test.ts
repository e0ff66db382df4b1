// Live-state pseudo-classes (:hover, :focus, ...): decided from the state the recorder captured
// for the target and its ancestors at the event (ChainElement.state), never guessed elsewhere.
import { CHAIN_STATES, type ChainElement } from '@hindsight/schema';
import { describe, expect, it } from 'vitest';
import { classifySelector, compileRule, createReplayMatcher, evaluateRulesExact, parseSelector, type ExactEvent } from '../src/index.js';
import { Ids, ce, chainOf, doc, h, startEvents, t } from './helpers.js';

const bit = (...names: (typeof CHAIN_STATES)[number][]) => names.reduce((s, n) => s | (1 << CHAIN_STATES.indexOf(n)), 0);
const click = (selector: string) => compileRule({ event: 'click', selector });

// <html><body><form class="f"><div class="card"><button class="buy"><svg> — the mouse is over the
// button (so over its ancestors too) and the button has focus (so the form is focus-within)
const hovered: ChainElement[] = [
  ce('svg', {}, { ns: 'svg', state: bit('hover') }),
  ce('button', { class: 'buy' }, { state: bit('hover', 'focus', 'focus-within') }),
  ce('div', { class: 'card' }, { state: bit('hover', 'focus-within') }),
  ce('form', { class: 'f' }, { state: bit('hover', 'focus-within') }),
  ce('body', {}, { state: bit('hover', 'focus-within') }),
  ce('html', {}, { state: bit('hover', 'focus-within') }),
];
// the same click from the keyboard: focus, no hover anywhere (state 0 on the target is still "captured")
const keyboard: ChainElement[] = [
  ce('button', { class: 'buy' }, { state: bit('focus', 'focus-within', 'focus-visible') }),
  ce('div', { class: 'card' }, { state: bit('focus-within') }),
  ce('form', { class: 'f' }, { state: bit('focus-within') }),
  ce('body', {}, { state: bit('focus-within') }),
  ce('html', {}, { state: bit('focus-within') }),
];

describe('live state decided from the captured chain', () => {
  it.each([
    ['button:hover', true, false],
    ['.buy:hover', true, false],
    ['svg:hover', true, false],
    ['button:not(:hover)', false, true],
    ['.card:hover button', true, false],
    ['form:focus-within .buy', true, true],
    ['button:focus', true, true],
    ['button:focus-visible', false, true],
    ['svg:focus', false, false],
    [':is(button, a):hover:not(:focus)', false, false],
    ['.card:active', false, false],
    ['input:-webkit-autofill', false, false],
  ])('%s: mouse %s, keyboard %s', (selector, mouse, kb) => {
    const r = click(selector);
    expect(r.mode).toBe('chain');
    expect(r.liveState).toBe(true);
    expect(r.matchChain(hovered)).toBe(mouse);
    expect(r.matchChain(keyboard)).toBe(kb);
  });

  it('a chain without captured state (another sender, an older recorder) never matches: nothing proves it', () => {
    const bare = hovered.map(({ state: _s, ...e }) => e);
    expect(click('button:hover').matchChain(bare)).toBe(false);
    // not "unknown" either: the replay has no live state to decide it from
    expect(click('button:not(:hover)').matchChain(bare)).toBe(false);
    // selectors without live state are untouched by it
    expect(click('.card button').matchChain(bare)).toBe(true);
  });

  it('an event without a chain is not handed to the replay (which has no live state)', () => {
    const I = new Ids();
    const button = h(I, 'button', { class: 'buy' }, [t(I, 'Buy')]);
    const replay = startEvents(doc(I, h(I, 'html', {}, [h(I, 'head'), h(I, 'body', {}, [button])])));
    const ev: ExactEvent = { id: 'c', type: 'click', url: 'https://shop.test/', nodeId: button.id, rec: { id: 'r', seq: 2 } };
    const byRec = new Map([['r', replay]]);
    expect(evaluateRulesExact([click('button:not(:hover)')], [ev], byRec).size).toBe(0);
    // the same event is decided from the replay for a selector without live state
    expect(evaluateRulesExact([click('body > button')], [ev], byRec).has('c')).toBe(true);
    // and a chain from that replay, captured like the recorder does, decides it
    const chain = chainOf(createReplayMatcher(replay).at(2).node(button.id)!);
    expect(evaluateRulesExact([click('button:not(:hover)')], [{ ...ev, chain }], byRec).has('c')).toBe(true);
  });
});

describe('where live state can be used', () => {
  it.each(['a:hover', 'button:FOCUS', '.x :active', ':is(.a, :hover)', 'details:open > summary', ':not(:focus-within)', 'input:-webkit-autofill'])(
    '%s is accepted and decided from the chain',
    (selector) => {
      const p = parseSelector(selector);
      expect(p.ok).toBe(true);
      if (p.ok) expect(classifySelector(p.ast)).toBe('chain');
    },
  );
  it.each([':has(:hover)', '.a:focus + b', 'li:nth-child(2 of :focus-within)', 'input:checked:focus', ':is(:hover, :empty)'])(
    '%s is refused: it would test elements whose state was not captured',
    (selector) => {
      const p = parseSelector(selector);
      expect(p.ok).toBe(false);
      if (!p.ok) expect(p.message).toMatch(/state captured for the clicked element and its ancestors/);
    },
  );
});
