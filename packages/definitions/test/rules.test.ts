import type { ChainElement, Rule } from '@hindsight/schema';
import { describe, expect, it } from 'vitest';
import {
  compileRegex,
  compileRule,
  compileStringCond,
  describeChain,
  evaluateRulesExact,
  RuleError,
  tryCompileRule,
  validateRules,
  type ExactEvent,
} from '../src/index.js';
import { ce, chainOf, h, mutation, startEvents } from './helpers.js';
import { shopPage } from './fixture.js';
import { createReplayMatcher } from '../src/index.js';

const payChain: ChainElement[] = [
  ce('path', { d: 'M0' }, { ns: 'svg' }),
  ce('svg', { viewBox: '0 0 1 1', class: 'icon' }, { ns: 'svg' }),
  ce('button', { class: 'btn primary', type: 'submit' }, { text: 'Pay now', nth: [1, 1, 2, 2] }),
  ce('form', { id: 'checkout' }, { text: 'Pay now Other' }),
  ce('a', { href: '/cart?x=1' }, { text: 'Pay now Other' }),
  ce('body', {}),
  ce('html', {}),
];

describe('compileRule', () => {
  it('exposes event types, chain needs and the decision mode', () => {
    const r = compileRule({ event: 'click', selector: 'form#checkout button', text: { op: 'contains', value: 'Pay' } });
    expect(r.eventTypes).toEqual(['click']);
    expect(r.needsChain).toBe(true);
    expect(r.mode).toBe('chain');
    expect(compileRule({ event: 'click', selector: 'h1 + p' }).mode).toBe('dom');
    const pv = compileRule({ event: 'pageview', url: { op: 'regex', value: '/cart$' } });
    expect(pv.mode).toBe('none');
    expect(pv.needsChain).toBe(false);
    expect(pv.matchChain(undefined)).toBe(true);
    expect(pv.matchUrl('https://shop.test/cart')).toBe(true);
    expect(pv.matchUrl('https://shop.test/cart/x')).toBe(false);
    const custom = compileRule({ event: 'custom', name: 'Signed up' });
    expect(custom.matchName('Signed up')).toBe(true);
    expect(custom.matchName('signed up')).toBe(false);
    expect(custom.matchName(undefined)).toBe(false);
  });

  const cases: [string, Rule, boolean | 'unknown'][] = [
    ['svg click matches button.btn (closest)', { event: 'click', selector: 'button.btn' }, true],
    ['text of the element closest() returned', { event: 'click', selector: 'button', text: { op: 'exact', value: 'Pay now' } }, true],
    ['text is case-sensitive', { event: 'click', selector: 'button', text: { op: 'contains', value: 'pay' } }, false],
    ['text of the form', { event: 'click', selector: 'form', text: { op: 'contains', value: 'Other' } }, true],
    ['text regex (find semantics)', { event: 'click', selector: 'button', text: { op: 'regex', value: 'ay\\s+no' } }, true],
    ['no selector: text of the target', { event: 'click', text: { op: 'exact', value: 'Pay now' } }, false],
    ['href of nearest a[href] from the match', { event: 'click', selector: '.btn', href: { op: 'contains', value: '/cart' } }, true],
    ['href mismatch', { event: 'click', selector: '.btn', href: { op: 'exact', value: '/cart' } }, false],
    ['no selector match', { event: 'click', selector: '.nope' }, false],
    ['dom selector: ask the replay', { event: 'click', selector: 'button:has(svg)' }, 'unknown'],
  ];
  it.each(cases)('%s', (_name, rule, expected) => {
    expect(compileRule(rule).matchChain(payChain)).toBe(expected);
  });

  it('truncated text decides only what the prefix proves', () => {
    const chain = [ce('p', {}, { text: 'Terms and conditions apply to', textTrunc: true })];
    const m = (c: Rule['text']) => compileRule({ event: 'click', text: c }).matchChain(chain);
    expect(m({ op: 'contains', value: 'conditions' })).toBe(true);
    expect(m({ op: 'contains', value: 'refund' })).toBe('unknown');
    expect(m({ op: 'exact', value: 'Terms' })).toBe(false);
    expect(m({ op: 'exact', value: 'Terms and conditions apply to everyone' })).toBe('unknown');
    expect(m({ op: 'exact', value: 'Other text entirely, much longer than the prefix' })).toBe(false);
    expect(m({ op: 'regex', value: '^Terms' })).toBe('unknown');
  });

  it('a truncated href is undecidable', () => {
    const chain = [ce('a', { href: 'https://x.test/very-long' }, { trunc: ['href'] })];
    expect(compileRule({ event: 'click', href: { op: 'contains', value: 'x' } }).matchChain(chain)).toBe('unknown');
    expect(compileRule({ event: 'click', selector: 'a[href]' }).matchChain(chain)).toBe(true);
  });
});

describe('validateRules', () => {
  const bad: [unknown, string, RegExp, number?][] = [
    [{}, 'rules', /array/],
    [[], 'rules', /at least one/],
    [[{ event: '' }], 'rules[0].event', /event/],
    [[{ event: 'click', selector: 'a[href' }], 'rules[0].selector', /unclosed '\['.*at 1/, 1],
    [[{ event: 'click' }, { event: 'click', selector: 'a:invalid' }], 'rules[1].selector', /:invalid/, 1],
    [[{ event: 'click', text: { op: 'regex', value: 'a(?=b)' } }], 'rules[0].text.value', /RE2/, 1],
    [[{ event: 'click', text: { op: 'like', value: 'x' } }], 'rules[0].text', /op must be/],
    [[{ event: 'click', url: { op: 'regex', value: '(ab' } }], 'rules[0].url.value', /missing closing \)/, 0],
    [[{ event: 'pageview', selector: 'a' }], 'rules[0].selector', /only applies to element events/],
    [[{ event: 'click', colour: 'red' }], 'rules[0].colour', /unknown rule field/],
    [[null], 'rules[0]', /object/],
  ];
  it.each(bad)('%j → %s', (rules, path, message, position) => {
    const r = validateRules(rules);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.path).toBe(path);
    expect(r.message).toMatch(message);
    if (position !== undefined) expect(r.position).toBe(position);
  });
  it('accepts good rules', () => {
    expect(validateRules([{ event: 'click', selector: 'form#checkout button', text: { op: 'contains', value: 'Pay' }, url: { op: 'regex', value: '/cart$' } }, { event: 'custom', name: 'x' }])).toEqual({ ok: true });
  });
  it('compileRule throws RuleError, tryCompileRule does not', () => {
    expect(() => compileRule({ event: 'click', selector: '::before' })).toThrow(RuleError);
    expect(tryCompileRule({ event: 'click', selector: '::before' }).ok).toBe(false);
  });
});

describe('regex safety (RE2 semantics)', () => {
  it('a catastrophic pattern on a long string returns quickly', () => {
    const c = compileStringCond({ op: 'regex', value: '(a+)+$' });
    if (!c.ok) throw new Error(c.message);
    const input = 'a'.repeat(50_000) + 'b';
    const t0 = performance.now();
    expect(c.test(input)).toBe(false);
    // a backtracking engine takes longer than the universe; RE2 is linear (~ms here)
    expect(performance.now() - t0).toBeLessThan(2000);
  });
  it.each([
    ['a(?=b)', /unsupported Perl syntax/, 1],
    ['(?<=a)b', /unsupported|invalid/, 0],
    ['a**', /nested repetition/, 1],
    ['[z-a]', /invalid character class range/, 1],
    ['(\\1)', /escape|backreference|invalid/, undefined],
  ] as [string, RegExp, number | undefined][])('rejects %s with a message and position', (pattern, msg, pos) => {
    const r = compileRegex(pattern);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toMatch(msg);
    if (pos !== undefined) expect(r.position).toBe(pos);
  });
  it('partial-match (find) semantics', () => {
    const c = compileStringCond({ op: 'regex', value: 'cart' });
    expect(c.ok && c.test('https://shop.test/cart?x')).toBe(true);
  });
});

describe('describeChain', () => {
  it.each([
    [payChain.slice(2), 'form#checkout > button.btn.primary "Pay now"'],
    [payChain, 'form#checkout path'],
    [[ce('div', { class: 'md:flex w-1/2 a b' }), ce('body', {})], 'div.md\\:flex.w-1\\/2.a'],
    [[ce('span', { class: 'star' }, { root: 'shadow', text: '★' }), ce('my-widget', { id: 'w' })], 'my-widget#w span.star "★"'],
    [[], ''],
  ] as [ChainElement[], string][])('%#', (chain, expected) => {
    expect(describeChain(chain)).toBe(expected);
  });
});

describe('evaluateRulesExact', () => {
  const { document, ids, next } = shopPage();
  const spinner = h(next, 'span', { class: 'spinner' });
  const replay = [
    ...startEvents(document),
    mutation({ adds: [{ parentId: ids.row, nextId: ids.other, node: spinner }], attributes: [{ id: ids.pay, attributes: { class: 'btn primary busy' } }] }),
  ];
  const dom = createReplayMatcher(replay).at(2);
  const chain = (name: string) => chainOf(dom.node(ids[name])!);
  const ev = (id: string, target: string, seq: number, extra: Partial<ExactEvent> = {}): ExactEvent => ({
    id, type: 'click', url: 'https://shop.test/cart', nodeId: ids[target], rec: { id: 'r1', seq }, chain: chain(target), ...extra,
  });
  const events: ExactEvent[] = [
    ev('e1', 'path', 2),
    ev('e2', 'other', 2),
    ev('e3', 'other', 3), // after the spinner was inserted before it
    ev('e4', 'li2', 2),
    { id: 'e5', type: 'pageview', url: 'https://shop.test/cart' },
    ev('e6', 'path', 2, { chain: chain('path').map((e, i) => (i === 2 ? { ...e, trunc: ['class'] } : e)) }),
    ev('e7', 'other', 3, { rec: { id: 'missing', seq: 3 } }),
  ];
  const run = (rules: Rule[]) => [...evaluateRulesExact(rules.map(compileRule), events, new Map([['r1', replay]]))].sort();

  it('uses the chain where it decides', () => {
    expect(run([{ event: 'click', selector: 'form#checkout button.btn' }])).toEqual(['e1', 'e6']);
    expect(run([{ event: 'click', selector: 'form#checkout svg' }])).toEqual(['e1', 'e6']);
    expect(run([{ event: 'click', selector: 'li.x', text: { op: 'exact', value: '2' } }])).toEqual(['e4']);
    expect(run([{ event: 'pageview', url: { op: 'contains', value: '/cart' } }])).toEqual(['e5']);
  });
  it('uses the replay DOM at the event position otherwise', () => {
    expect(run([{ event: 'click', selector: '.spinner + button' }])).toEqual(['e3']);
    expect(run([{ event: 'click', selector: 'button + button' }])).toEqual(['e2']);
    expect(run([{ event: 'click', selector: 'form:has(.spinner) button' }])).toEqual(['e3']);
  });
  it('truncated attributes fall back to the replay', () => {
    // e6's chain has `class` cut on the button; the DOM at seq 2 has no `busy` yet
    expect(run([{ event: 'click', selector: 'button.primary' }])).toEqual(['e1', 'e6']);
    expect(run([{ event: 'click', selector: '.busy' }])).toEqual([]);
  });
  it('positions beyond the stored recording (missing chunks) are not claimed', () => {
    const late = { ...ev('late', 'other', 99) };
    const rules = [compileRule({ event: 'click', selector: 'button + button' })];
    expect(evaluateRulesExact(rules, [late], new Map([['r1', replay]])).size).toBe(0);
    expect(evaluateRulesExact(rules, [{ ...late, rec: { id: 'r1', seq: 2 } }], new Map([['r1', replay]])).size).toBe(1);
  });
  it('matches any rule of a definition', () => {
    expect(run([{ event: 'click', selector: 'li' }, { event: 'click', selector: '.spinner ~ *' }])).toEqual(['e3', 'e4']);
  });
});

describe('evaluateRulesExact: live attribute values from the chain', () => {
  // rrweb serializes href/src as absolute URLs; the page's closest() saw the authored value
  const { document, ids } = shopPage();
  const live = createReplayMatcher(startEvents(document)).at(2);
  const chain = chainOf(live.node(ids.bold)!); // recorder's view: href="/cart?x=1"
  const absolutize = (n: { id: number; attributes?: Record<string, unknown>; childNodes?: unknown[] }): void => {
    if (n.id === ids.link && n.attributes) n.attributes.href = 'https://shop.test/cart?x=1';
    (n.childNodes ?? []).forEach((c) => absolutize(c as typeof n));
  };
  absolutize(document as never);
  const replay = new Map([['r', startEvents(document)]]);
  const event: ExactEvent = { id: 'b', type: 'click', url: 'https://shop.test/', nodeId: ids.bold, rec: { id: 'r', seq: 2 }, chain };
  const run = (rule: Rule) => evaluateRulesExact([compileRule(rule)], [event], replay).has('b');

  it.each([
    [{ event: 'click', selector: 'a[href^="/cart"]:has(> b)' }, true],
    [{ event: 'click', selector: 'a[href^="https:"]:has(> b)' }, false],
    [{ event: 'click', selector: 'b:only-child:not(:empty)', href: { op: 'exact', value: '/cart?x=1' } }, true],
    [{ event: 'click', selector: ':has(> b)', text: { op: 'exact', value: 'Go' } }, true],
  ] as [Rule, boolean][])('%j → %s', (rule, expected) => {
    expect(run(rule)).toBe(expected);
  });

  it('the overlay is temporary', () => {
    const m = createReplayMatcher(startEvents(document)).at(2);
    const link = m.node(ids.link)!;
    m.withChainAttributes(m.node(ids.bold)!, chain, () => expect(link.attrs.href).toBe('/cart?x=1'));
    expect(link.attrs.href).toBe('https://shop.test/cart?x=1');
  });
});

describe('evaluateRulesExact: authored values our recorder keeps beside the absolute ones', () => {
  // Off the clicked element's chain only the recording can say what the page had: our recorder
  // adds `rr_raw_href` where rrweb made the value absolute (packages/recorder/build.mjs, patch 6).
  const { document, ids, next } = shopPage();
  const setLink = (n: { id: number; attributes?: Record<string, unknown>; childNodes?: unknown[] }): void => {
    if (n.id === ids.link && n.attributes) Object.assign(n.attributes, { href: 'https://shop.test/cart?x=1', rr_raw_href: '/cart?x=1' });
    (n.childNodes ?? []).forEach((c) => setLink(c as typeof n));
  };
  setLink(document as never);
  const events = startEvents(document);
  // seq 3: the link points at an absolute URL (no raw value: rrweb left it as it was)
  events.push(mutation({ attributes: [{ id: ids.link, attributes: { href: 'https://other.test/', rr_raw_href: null } }] }));
  // seq 4: back to a relative one
  events.push(mutation({ attributes: [{ id: ids.link, attributes: { href: 'https://shop.test/help', rr_raw_href: 'help' } }] }));
  // seq 5: a new image, with a relative src, added before the link
  const img = h(next, 'img', { src: 'https://shop.test/i.png', rr_raw_src: '/i.png' });
  events.push(mutation({ adds: [{ parentId: ids.body, nextId: ids.link, node: img }] }));
  const replay = new Map([['r', events]]);
  const click = (seq: number): ExactEvent => ({ id: `c${seq}`, type: 'click', url: 'https://shop.test/', nodeId: ids.li2, rec: { id: 'r', seq } });
  const run = (selector: string) =>
    [2, 3, 4, 5].filter((seq) => evaluateRulesExact([compileRule({ event: 'click', selector })], [click(seq)], replay).has(`c${seq}`));

  it.each([
    ['ul:has(~ a[href="/cart?x=1"]) li', [2]],
    ['ul:has(~ a[href^="/cart"]) li', [2]],
    ['body:has(> a[href^="https://other"]) li', [3]],
    ['ul:has(~ a[href="help"])', [4, 5]],
    ['body:has(a[href$="help"]) ul > li', [4, 5]],
    ['body:has(> img[src="/i.png"]) li.x', [5]],
    ['body:has(a[href^="https://shop"], img[src^="https:"]) li', []],
    ['body:has(> [rr_raw_href]) li', []],
  ] as [string, number[]][])('%s → clicks at %j', (selector, expected) => {
    expect(run(selector)).toEqual(expected);
  });
});
