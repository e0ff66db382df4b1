// Gaps the fidelity test (e2e/fidelity) found between the engine and the live page's closest():
// chains cut by the recorder's depth cap, attributes beyond the per-element cap, the checked
// state a click handler sees, and Chromium's `:empty`.

import type { ChainElement, Rule } from '@hindsight/schema';
import { LIMITS } from '@hindsight/schema';
import { describe, expect, it } from 'vitest';
import {
  classifySelector,
  closestInChain,
  compileChainSelector,
  compileRule,
  createReplayMatcher,
  describeChain,
  evaluateRulesExact,
  matchInReplay,
  parseSelector,
  type ExactEvent,
} from '../src/index.js';
import { Ids, ce, chainOf, doc, h, startEvents, t, type SNode } from './helpers.js';

function chainAnswer(selector: string, chain: ChainElement[]): boolean | 'unknown' {
  const p = parseSelector(selector);
  if (!p.ok) throw new Error(`${selector}: ${p.message}`);
  const r = closestInChain(compileChainSelector(p.ast), chain);
  return r === 'unknown' ? r : r >= 0;
}

describe('cut chains (outermost element is not <html>): missing ancestors are unknown', () => {
  // what the recorder stores when LIMITS.chainDepth cuts the walk, or for a detached target
  const cut = [ce('button', { class: 'buy' }), ce('div', { class: 'wrap' }), ce('section', { id: 's' })];
  const full = [...cut, ce('body'), ce('html', { lang: 'en' })];
  // inside a shadow root whose host is beyond the cut
  const shadowCut = [ce('span', { class: 'star' }), ce('div', { class: 'inner' }, { root: 'shadow' })];
  const named: Record<string, ChainElement[]> = { cut, full, shadowCut };
  const cases: [string, string, boolean | 'unknown'][] = [
    // a definite match inside the chain stays definite
    ['button', 'cut', true],
    ['.wrap', 'cut', true],
    ['div > button', 'cut', true],
    ['#s button', 'cut', true],
    ['section > div > .buy', 'cut', true],
    ['button, html', 'cut', true],
    // anything that could hold further out is unknown, not false
    ['html', 'cut', 'unknown'],
    ['body', 'cut', 'unknown'],
    ['body button', 'cut', 'unknown'],
    ['html > body', 'cut', 'unknown'],
    ['[lang="en"]', 'cut', 'unknown'],
    ['[lang|="en"] button', 'cut', 'unknown'],
    [':root', 'cut', 'unknown'],
    ['body > section', 'cut', 'unknown'],
    ['button:not(body *)', 'cut', 'unknown'],
    ['aside', 'cut', 'unknown'],
    // the same selectors on the complete chain are decided
    ['html', 'full', true],
    ['body button', 'full', true],
    ['[lang="en"]', 'full', true],
    ['html > body', 'full', true],
    ['body > section', 'full', true],
    ['button:not(body *)', 'full', false],
    ['aside', 'full', false],
    // a shadow root's element has no parent element: combinators inside the tree stay exact,
    // but the host (and everything outside) was cut
    ['.inner > .star', 'shadowCut', true],
    ['span.nope', 'shadowCut', 'unknown'],
    ['my-widget', 'shadowCut', 'unknown'],
    ['section .inner', 'shadow-host-cut', 'unknown'],
    // a complete chain crossing a shadow root is still decided
    ['body .inner', 'shadow-full', false],
    ['body my-widget', 'shadow-full', true],
  ];
  named['shadow-host-cut'] = [ce('div', { class: 'inner' }, { root: 'shadow' }), ce('my-widget'), ce('section')];
  named['shadow-full'] = [ce('div', { class: 'inner' }, { root: 'shadow' }), ce('my-widget'), ce('body'), ce('html')];
  it.each(cases)('%s on %s → %s', (selector, chain, expected) => {
    expect(chainAnswer(selector, named[chain])).toBe(expected);
  });

  it.each([
    [{ event: 'click', selector: 'body button' }, 'unknown'],
    [{ event: 'click', selector: '.wrap' }, true],
    [{ event: 'click', selector: 'button', text: { op: 'exact', value: 'Buy' } }, true],
    // the nearest a[href] may be beyond the cut
    [{ event: 'click', href: { op: 'contains', value: '/cart' } }, 'unknown'],
  ] as [Rule, boolean | 'unknown'][])('matchChain %j → %s', (rule, expected) => {
    const chain = [{ ...cut[0], text: 'Buy' }, ...cut.slice(1)];
    expect(compileRule(rule).matchChain(chain)).toBe(expected);
  });

  it('a recorder-capped chain (LIMITS.chainDepth) is decided from the replay instead', () => {
    // html > body > main > div × 600 > button: the recorder keeps only the innermost 512
    const I = new Ids();
    let inner: SNode = h(I, 'button', { class: 'deep' }, [t(I, 'Go')]);
    const buttonId = inner.id;
    for (let k = 0; k < 600; k++) inner = h(I, 'div', {}, [inner]);
    const document = doc(I, h(I, 'html', { lang: 'en' }, [h(I, 'head'), h(I, 'body', {}, [h(I, 'main', {}, [inner])])]));
    const replay = startEvents(document);
    const m = createReplayMatcher(replay).at(2);
    const chain = chainOf(m.node(buttonId)!).slice(0, LIMITS.chainDepth);
    expect(chain[chain.length - 1].tag).toBe('div');
    const ev: ExactEvent = { id: 'c', type: 'click', url: 'https://shop.test/', nodeId: buttonId, rec: { id: 'r', seq: 2 }, chain };
    const run = (selector: string) => evaluateRulesExact([compileRule({ event: 'click', selector })], [ev], new Map([['r', replay]])).has('c');
    expect(run('body button')).toBe(true);
    expect(run('main > div')).toBe(true);
    expect(run('[lang="en"]')).toBe(true);
    expect(run('html')).toBe(true);
    expect(run('aside button')).toBe(false);
    expect(run('div.deep')).toBe(false);
    expect(describeChain(chain)).toBe('button.deep "Go"');
  });
});

describe('attributes beyond the per-element cap (listed in trunc, absent from attrs)', () => {
  const attrs: Record<string, string> = {};
  for (let k = 0; k < LIMITS.attrsPerElement; k++) attrs[`data-a${k}`] = `v${k}`;
  // the recorder kept the first 64 attributes; id, class and data-a64..69 came later
  const extra = ['data-a64', 'data-a65', 'data-a66', 'data-a67', 'data-a68', 'data-a69', 'id', 'class'];
  const el = ce('button', attrs, { trunc: extra });
  const chain = [el, ce('div', { class: 'wrap' }), ce('body'), ce('html')];
  // a trunc list at its own cap may have dropped names: absence is unknown too
  const fullTrunc = Array.from({ length: LIMITS.attrsPerElement }, (_, k) => `data-b${k}`);
  const crowded = [ce('button', { type: 'button' }, { trunc: fullTrunc }), ce('body'), ce('html')];
  const svg = [ce('svg', {}, { ns: 'svg', trunc: ['viewBox'] }), ce('body'), ce('html')];
  const named: Record<string, ChainElement[]> = { chain, crowded, svg };
  const cases: [string, string, boolean | 'unknown'][] = [
    ['[data-a63]', 'chain', true],
    ['[data-a63="v63"]', 'chain', true],
    ['[data-a69]', 'chain', true],
    ['button[data-a69]', 'chain', true],
    ['[data-a69="v69"]', 'chain', 'unknown'],
    ['[data-a69^=v]', 'chain', 'unknown'],
    ['button:not([data-a69])', 'chain', false],
    ['button:not([data-a69="x"])', 'chain', 'unknown'],
    ['button[class]', 'chain', true],
    ['button[id]', 'chain', true],
    ['.big', 'chain', 'unknown'],
    ['#x', 'chain', 'unknown'],
    ['button.big', 'chain', 'unknown'],
    // an ancestor that decides before the unknown target is impossible (closest starts at the
    // target), but a definite false elsewhere still rules it out
    ['section .big', 'chain', false],
    ['div.wrap', 'chain', true],
    ['[data-zzz]', 'chain', false],
    // names beyond a full trunc list are unknown
    ['[data-zzz]', 'crowded', 'unknown'],
    ['button[data-b3]', 'crowded', true],
    ['[type="button"]', 'crowded', true],
    ['button:not([data-zzz])', 'crowded', 'unknown'],
    // SVG names compare ASCII case-insensitively, in trunc too
    ['[viewbox]', 'svg', true],
    ['svg[viewBox]', 'svg', true],
    ['[viewBox="0 0 1 1"]', 'svg', 'unknown'],
  ];
  it.each(cases)('%s on %s → %s', (selector, c, expected) => {
    expect(chainAnswer(selector, named[c])).toBe(expected);
  });

  it('an href beyond the cap is present with an unknown value', () => {
    const a = [ce('a', { class: 'x' }, { trunc: ['href'] }), ce('body'), ce('html')];
    expect(compileRule({ event: 'click', href: { op: 'contains', value: '/cart' } }).matchChain(a)).toBe('unknown');
    expect(compileRule({ event: 'click', selector: 'a[href]' }).matchChain(a)).toBe(true);
    expect(compileRule({ event: 'click', selector: 'a:not([href])' }).matchChain(a)).toBe(false);
  });

  it('the replay keeps attributes the chain could not list', () => {
    // 130 attributes: 64 stored, 64 named in trunc, 2 not even named
    const I = new Ids();
    const all: Record<string, string> = {};
    for (let k = 0; k < 130; k++) all[`data-a${k}`] = `v${k}`;
    const btn = h(I, 'button', all, [t(I, 'Go')]);
    const document = doc(I, h(I, 'html', {}, [h(I, 'head'), h(I, 'body', {}, [btn])]));
    const replay = startEvents(document);
    const m = createReplayMatcher(replay).at(2);
    const live = chainOf(m.node(btn.id)!);
    const stored: Record<string, string> = {};
    for (let k = 0; k < 64; k++) stored[`data-a${k}`] = `v${k}`;
    const trunc = Array.from({ length: 64 }, (_, k) => `data-a${k + 64}`);
    const chain = [{ ...live[0], attrs: stored, trunc }, ...live.slice(1)];
    const ev: ExactEvent = { id: 'c', type: 'click', url: 'https://shop.test/', nodeId: btn.id, rec: { id: 'r', seq: 2 }, chain };
    const run = (selector: string) => evaluateRulesExact([compileRule({ event: 'click', selector })], [ev], new Map([['r', replay]])).has('c');
    expect(run('[data-a69="v69"]')).toBe(true);
    expect(run('[data-a69="v70"]')).toBe(false);
    expect(run('[data-a129="v129"]')).toBe(true);
    expect(run('[data-a129]')).toBe(true);
    expect(run('[data-a130]')).toBe(false);
  });
});

describe(':checked as the click handler sees it (toggled before dispatch)', () => {
  const I = new Ids();
  const ids: Record<string, number> = {};
  const mark = (name: string, n: SNode): SNode => {
    ids[name] = n.id;
    return n;
  };
  const document = doc(I, h(I, 'html', {}, [
    h(I, 'head'),
    mark('body', h(I, 'body', {}, [
      mark('f', h(I, 'form', { id: 'f' }, [
        mark('label', h(I, 'label', { class: 'wrap' }, [mark('cb', h(I, 'input', { type: 'checkbox', id: 'cb', name: 'tos' })), t(I, 'I agree')])),
        mark('cbOn', h(I, 'input', { type: 'CHECKBOX', id: 'cbOn', checked: true })),
        mark('r1', h(I, 'input', { type: 'radio', id: 'r1', name: 'plan', value: 'a', checked: true })),
        mark('r2', h(I, 'input', { type: 'radio', id: 'r2', name: 'plan', value: 'b' })),
        mark('lonely', h(I, 'input', { type: 'radio', id: 'lonely' })),
        mark('btn', h(I, 'button', { id: 'btn' }, [t(I, 'Send')])),
      ])),
      mark('g', h(I, 'form', { id: 'g' }, [mark('r3', h(I, 'input', { type: 'radio', id: 'r3', name: 'plan', checked: true }))])),
      // no form owner: its own group with other form-less radios of that name
      mark('r4', h(I, 'input', { type: 'radio', id: 'r4', name: 'plan', checked: true })),
      // form attribute: owned by #g, so grouped with r3 despite sitting outside it
      mark('r5', h(I, 'input', { type: 'radio', id: 'r5', name: 'plan', form: 'g' })),
      mark('r6', h(I, 'input', { type: 'radio', id: 'r6', name: 'plan' })),
    ])),
  ]));
  // seq 2: the click; the Input event with the new state follows it in the recording
  const replay = [...startEvents(document), { type: 3, data: { source: 5, id: ids.cb, text: 'on', isChecked: true }, timestamp: 4 }];
  const m0 = createReplayMatcher(replay).at(2);
  const chains = new Map(Object.entries(ids).map(([k, v]) => [k, chainOf(m0.node(v)!)]));
  const run = (type: string, target: string, selector: string, seq = 2): boolean => {
    const ev: ExactEvent = { id: 'e', type, url: 'https://shop.test/', nodeId: ids[target], rec: { id: 'r', seq }, chain: chains.get(target) };
    return evaluateRulesExact([compileRule({ event: type, selector })], [ev], new Map([['r', replay]])).has('e');
  };

  const cases: [string, string, boolean][] = [
    ['cb', ':checked', true],
    ['cb', 'input:not(:checked)', false],
    ['cb', 'form:has(#cb:checked) input', true],
    ['cbOn', ':checked', false],
    ['cbOn', 'input:not(:checked)', true],
    ['r2', ':checked', true],
    ['r2', 'form:has(#r1:checked) input', false],
    ['r2', 'form:has(#r2:checked) input', true],
    ['r1', ':checked', true],
    ['r1', 'form:has(#r2:checked) input', false],
    // other groups: another form, no form, and a radio without a name
    ['r2', 'body:has(#r3:checked):has(#r4:checked) input', true],
    ['lonely', 'form:has(#r1:checked) #lonely:checked', true],
    ['r4', 'body:has(#r1:checked):has(#r3:checked) #r4:checked', true],
    ['r6', 'body:has(#r4:checked) input', false],
    ['r6', 'body:has(#r3:checked):has(#r1:checked) #r6:checked', true],
    // the form attribute decides the owner
    ['r5', 'body:has(#r3:checked) input', false],
    ['r5', 'body:has(#r1:checked):has(#r4:checked) #r5:checked', true],
    // a <label>'s own click comes before the forwarded click on its input
    ['label', 'label:has(:checked)', false],
    ['cb', 'label:has(:checked)', true],
    // not the target: nothing toggled
    ['btn', 'form:has(#cb:checked) button', false],
    ['btn', 'form:has(#r1:checked) button', true],
  ];
  it.each(cases)('click on %s, %s → %s', (target, selector, expected) => {
    expect(run('click', target, selector)).toBe(expected);
  });

  it('only click events toggle, and the DOM is restored for later events', () => {
    // a change event after the Input event sees the recorded state as it is
    expect(run('change', 'cb', ':checked', 3)).toBe(true);
    expect(run('change', 'cb', ':checked', 2)).toBe(false);
    // one pass over several events at the same position: the toggle does not leak
    const evs: ExactEvent[] = [
      { id: 'a', type: 'click', url: 'u', nodeId: ids.cb, rec: { id: 'r', seq: 2 }, chain: chains.get('cb') },
      { id: 'b', type: 'click', url: 'u', nodeId: ids.btn, rec: { id: 'r', seq: 2 }, chain: chains.get('btn') },
      { id: 'c', type: 'click', url: 'u', nodeId: ids.r2, rec: { id: 'r', seq: 2 }, chain: chains.get('r2') },
      { id: 'd', type: 'click', url: 'u', nodeId: ids.btn, rec: { id: 'r', seq: 2 }, chain: chains.get('btn') },
    ];
    const rule = compileRule({ event: 'click', selector: 'form:has(#cb:checked, #r2:checked) :is(button, input)' });
    expect([...evaluateRulesExact([rule], evs, new Map([['r', replay]]))].sort()).toEqual(['a', 'c']);
    const m = createReplayMatcher(replay).at(2);
    expect(matchInReplay(rule, m, ids.cb, chains.get('cb'))).toBe(true);
    expect(m.node(ids.cb)!.checked).toBe(false);
    expect(matchInReplay(rule, m, ids.r2, chains.get('r2'))).toBe(true);
    expect(m.node(ids.r1)!.checked).toBe(true);
    expect(m.node(ids.r2)!.checked).toBe(false);
  });
});

describe(':checked at a click when the recorder already recorded it during dispatch', () => {
  // packages/recorder records the clicked control's new state (rrweb Input events, the radio
  // group's too) inside its click listener, before taking the position: nothing to toggle then
  const I = new Ids();
  const cb = h(I, 'input', { type: 'checkbox', id: 'cb' });
  const r1 = h(I, 'input', { type: 'radio', id: 'r1', name: 'p', checked: true });
  const r2 = h(I, 'input', { type: 'radio', id: 'r2', name: 'p' });
  const body = h(I, 'body', {}, [h(I, 'form', { id: 'f' }, [cb, r1, r2])]);
  const document = doc(I, h(I, 'html', {}, [h(I, 'head'), body]));
  const input = (id: number, isChecked: boolean) => ({ type: 3, data: { source: 5, id, text: 'on', isChecked }, timestamp: 3 });
  const mouseUp = (id: number) => ({ type: 3, data: { source: 2, type: 0, id, x: 1, y: 1 }, timestamp: 3 });
  const flushed = { type: 3, data: { source: 0, adds: [], removes: [], texts: [], attributes: [{ id: body.id, attributes: { class: 'busy' } }] }, timestamp: 3 };
  const recordings: Record<string, unknown[]> = {
    // Input(cb) right before the position: the state at seq is already the dispatch state
    cbDuring: [...startEvents(document), mouseUp(cb.id), input(cb.id, true)],
    // radio: the target's and the group's Input events, then mutations flushed by pos()
    r2During: [...startEvents(document), mouseUp(r2.id), input(r2.id, true), input(r1.id, false), flushed],
    // rrweb's own order: the Input events come after the click's position
    cbAfter: [...startEvents(document), mouseUp(cb.id), input(cb.id, true)],
    // an earlier Input for the same node, separated by rrweb's mouse interaction
    cbTwice: [...startEvents(document), mouseUp(cb.id), input(cb.id, true), mouseUp(cb.id)],
  };
  const seqs: Record<string, number> = { cbDuring: 4, r2During: 6, cbAfter: 3, cbTwice: 5 };
  const cases: [string, number, string, boolean][] = [
    ['cbDuring', cb.id, ':checked', true],
    ['cbDuring', cb.id, 'form:has(#cb:checked) input', true],
    ['r2During', r2.id, ':checked', true],
    ['r2During', r2.id, 'form:has(#r1:checked) input', false],
    ['r2During', r2.id, '.busy #r2', true],
    ['cbAfter', cb.id, ':checked', true],
    ['cbTwice', cb.id, ':checked', false],
  ];
  it.each(cases)('%s: click on #%i, %s → %s', (rec, nodeId, selector, expected) => {
    const replay = recordings[rec];
    const m = createReplayMatcher(replay).at(seqs[rec]);
    const chain = chainOf(m.node(nodeId)!);
    const ev: ExactEvent = { id: 'e', type: 'click', url: 'u', nodeId, rec: { id: 'r', seq: seqs[rec] }, chain };
    expect(evaluateRulesExact([compileRule({ event: 'click', selector })], [ev], new Map([['r', replay]])).has('e')).toBe(expected);
  });
});

describe(':empty as Chromium decides it (Selectors 3: whitespace text is content)', () => {
  const I = new Ids();
  const comment = (s: string): SNode => ({ id: I.take(), type: 5, textContent: s });
  const boxes: Record<string, SNode> = {
    none: h(I, 'div', { id: 'none' }),
    space: h(I, 'div', { id: 'space' }, [t(I, ' ')]),
    newline: h(I, 'div', { id: 'newline' }, [t(I, '\n  ')]),
    comment: h(I, 'div', { id: 'comment' }, [comment(' only a comment ')]),
    emptyText: h(I, 'div', { id: 'emptyText' }, [t(I, ''), comment('x')]),
    element: h(I, 'div', { id: 'element' }, [h(I, 'i')]),
    text: h(I, 'div', { id: 'text' }, [t(I, 'x')]),
  };
  const document = doc(I, h(I, 'html', {}, [h(I, 'head'), h(I, 'body', {}, Object.values(boxes))]));
  const m = createReplayMatcher(startEvents(document)).at(2);
  const cases: [string, boolean][] = [
    ['none', true],
    ['space', false],
    ['newline', false],
    ['comment', true],
    ['emptyText', true],
    ['element', false],
    ['text', false],
  ];
  it.each(cases)('#%s:empty → %s', (name, expected) => {
    expect(m.closestComposed(boxes[name].id, 'div:empty')?.id ?? null).toBe(expected ? boxes[name].id : null);
    expect(m.closestComposed(boxes[name].id, 'div:not(:empty)')?.id ?? null).toBe(expected ? null : boxes[name].id);
  });
});

describe(':default is the state the recorder captured (rrweb records live checkedness, not the default)', () => {
  it.each([':default', 'input:default', ':is(:default)', ':not(:default)'])('%s is a chain selector', (selector) => {
    const p = parseSelector(selector);
    expect(p.ok).toBe(true);
    if (p.ok) expect(classifySelector(p.ast)).toBe('chain');
  });
});
