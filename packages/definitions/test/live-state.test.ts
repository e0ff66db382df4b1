// Live-state pseudo-classes (:hover, :focus, ...): decided from the state the recorder captured
// for the target and its ancestors at the event (ChainElement.state), never guessed elsewhere.
import { chainStateBit, type CHAIN_STATES, type ChainElement } from '@hindsight/schema';
import { describe, expect, it } from 'vitest';
import { classifySelector, compileRule, createReplayMatcher, evaluateRulesExact, parseSelector, type ExactEvent } from '../src/index.js';
import { Ids, ce, chainOf, doc, h, startEvents, t } from './helpers.js';

const bit = (...names: (typeof CHAIN_STATES)[number][]) => names.reduce((s, n) => s | (1 << chainStateBit(n)), 0);
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

describe('live state with what only the replay decides', () => {
  // an attribute value past the recorder's 256-character cap: the chain has its start (and lists
  // it in `trunc`), the recorded DOM has all of it
  const long = 'x'.repeat(300);
  const I = new Ids();
  const button = h(I, 'button', { 'data-x': long }, [t(I, 'Buy')]);
  const replay = startEvents(doc(I, h(I, 'html', {}, [h(I, 'head'), h(I, 'body', {}, [button])])));
  const full = chainOf(createReplayMatcher(replay).at(2).node(button.id)!);
  const captured = (state: number): ChainElement[] => [
    { ...full[0], attrs: { 'data-x': long.slice(0, 256) }, trunc: ['data-x'], state },
    ...full.slice(1),
  ];
  const ev = (chain: ChainElement[] | undefined): ExactEvent => ({ id: 'c', type: 'click', url: 'https://shop.test/', nodeId: button.id, rec: { id: 'r', seq: 2 }, chain });
  const run = (selector: string, chain: ChainElement[] | undefined) => evaluateRulesExact([click(selector)], [ev(chain)], new Map([['r', replay]])).has('c');

  it('the replay decides the attribute, the captured state decides :hover', () => {
    const sel = `button[data-x="${long}"]:hover`;
    expect(click(sel).matchChain(captured(bit('hover')))).toBe('unknown');
    expect(run(sel, captured(bit('hover')))).toBe(true);
    expect(run(sel, captured(0))).toBe(false);
    expect(run(`button[data-x="${long}"]:not(:hover)`, captured(0))).toBe(true);
    expect(run(`button[data-x="${long}"]:not(:hover)`, captured(bit('hover')))).toBe(false);
    expect(run(`body:hover > button[data-x="${long}"]`, [captured(0)[0], { ...full[1], state: bit('hover') }, ...full.slice(2)])).toBe(true);
  });

  it('without captured state, or with a chain that does not fit the recorded DOM, nothing is claimed', () => {
    const bare = captured(0).map(({ state: _s, ...e }) => e);
    expect(run(`button[data-x="${long}"]:not(:hover)`, bare)).toBe(false);
    // the chain's parent is a <main>, the recorded DOM's a <body>: whose state would it be?
    const misfit = [captured(0)[0], { ...full[1], tag: 'main' }, ...full.slice(2)];
    expect(click(`button[data-x="${long}"]:not(:hover)`).matchChain(misfit)).toBe('unknown');
    expect(run(`button[data-x="${long}"]:not(:hover)`, misfit)).toBe(false);
    expect(run(`button[data-x="${long}"]`, misfit)).toBe(true);
  });
});

describe('live state beside parts only the recorded DOM decides', () => {
  const I = new Ids();
  const box = h(I, 'input', { type: 'checkbox', checked: true });
  const replay = startEvents(doc(I, h(I, 'html', {}, [h(I, 'head'), h(I, 'body', {}, [h(I, 'form', {}, [box])])])));
  const chain = chainOf(createReplayMatcher(replay).at(2).node(box.id)!);
  const change = (selector: string) => compileRule({ event: 'change', selector });
  const decide = (selector: string, state: number) =>
    evaluateRulesExact([change(selector)], [{ id: 'c', type: 'change', url: 'https://shop.test/', nodeId: box.id, rec: { id: 'r', seq: 2 }, chain: [{ ...chain[0], state }, ...chain.slice(1)] }], new Map([['r', replay]])).has('c');

  it(':checked from the recorded DOM, :focus from the captured state', () => {
    expect(decide('input:checked:focus', bit('focus'))).toBe(true);
    expect(decide('input:checked:focus', 0)).toBe(false);
    expect(decide('input:checked:not(:focus)', 0)).toBe(true);
    expect(decide('form:has(:checked) :focus', bit('focus'))).toBe(true);
    expect(decide('form:has(:checked) :focus', 0)).toBe(false);
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
  it.each(['input:checked:focus', '.card:has(img) button:hover', 'li + li:hover', ':is(:hover, :empty)', ':root:focus-within button'])(
    '%s is accepted: the live state is asked of the target or an ancestor only',
    (selector) => {
      const p = parseSelector(selector);
      expect(p.ok).toBe(true);
      if (p.ok) expect(classifySelector(p.ast)).toBe('dom');
    },
  );
  it.each([':has(:hover)', '.a:focus + b', 'li:nth-child(2 of :focus-within)', ':not(:has(> :focus))', 'a:hover ~ b'])(
    '%s is refused: it would test elements whose state was not captured',
    (selector) => {
      const p = parseSelector(selector);
      expect(p.ok).toBe(false);
      if (!p.ok) expect(p.message).toMatch(/state captured for the clicked element and its ancestors/);
    },
  );
});
