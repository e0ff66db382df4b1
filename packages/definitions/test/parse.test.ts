import { describe, expect, it } from 'vitest';
import { classifySelector, parseSelector } from '../src/index.js';

describe('parseSelector errors carry a message and a position', () => {
  const cases: [string, number, RegExp][] = [
    ['', 0, /empty selector/],
    ['   ', 0, /empty selector/],
    ['a[href', 1, /unclosed '\['/],
    ['a]', 1, /unmatched '\]'/],
    ['div:nth-child(2n+1', 13, /unclosed '\('/],
    ['a[x=")]', 4, /unterminated string/],
    ['.a,', 2, /empty selector in list/],
    [',a', 0, /empty selector in list/],
    ['a,,b', 2, /empty selector in list/],
    ['a::before', 1, /pseudo-element ::before/],
    ['a:before', 1, /pseudo-element/],
    ['div::-webkit-scrollbar', 3, /pseudo-element/],
    // live state: captured for the target and its ancestors only, and validity never (masked fields)
    ['a:valid', 1, /:valid depends on live/],
    ['input:USER-INVALID', 5, /:user-invalid depends on live/],
    [':has(:hover)', 5, /:hover is decided from the state captured for the clicked element/],
    ['.a:focus + b', 2, /:focus is decided from the state captured/],
    ['li:nth-child(2 of :focus-within)', 18, /:focus-within is decided/],
    [':hover ~ a, b', 0, /:hover is decided/],
    [':host(:focus) .x', 6, /:focus is decided/],
    ['a:foo', 1, /unknown or unsupported pseudo-class :foo/],
    [':contains(x)', 0, /unsupported pseudo-class :contains/],
    ['a[x!=y]', 1, /'!=' is not/],
    ['> a', 0, /starts with a combinator/],
    ['a >', 2, /ends with a combinator/],
    ['a > > b', 2, /two combinators/],
    ['svg|a', 3, /namespace/],
    ['div |a', 4, /namespace/],
    ['[xlink|href]', 0, /namespace/],
    [':nth-child(foo)', 0, /invalid An\+B 'foo'/],
    ['li:nth-of-type(2n+1 of .a)', 2, /invalid An\+B/],
    [':nth-child(2n+1 of ::after)', 19, /pseudo-element/],
    [':has(:has(a))', 0, /cannot be nested/],
    [':not()', 4, /empty argument/],
    ['a !x', 2, /unexpected '!'/],
    ['a$b', 1, /unexpected '\$'/],
    ['[=b]', 0, /attribute name/],
    ['1a', 0, /digit/],
    ['div > -1a', 6, /digit/],
    ['#1a', 0, /must be followed by a name/],
    ['div .1a', 4, /must be followed by a name/],
    ['a:first-child(2)', 1, /takes no argument/],
    ['a || b', 2, /unsupported combinator/],
    ['a\\', 1, /escape at end/],
    ['a[type="x" s]', 11, /'s' attribute flag/],
    [':matches(a)', 0, /use :is\(\)/],
    // not forgiven: :not() and :has() take strict lists; refused members stay refused
    [':not(.a, :foo)', 9, /unknown or unsupported pseudo-class :foo/],
    [':has(.b, :foo)', 9, /unknown or unsupported pseudo-class :foo/],
    [':is(.a, :valid)', 8, /:valid depends on live/],
    [':is(.a, :dir(ltr))', 8, /unsupported pseudo-class :dir/],
    [':host:has(p) .x', 0, /beside :host/],
    ['*:host .x', 1, /beside :host/],
    [':host(:has(p)) .x', 0, /one compound selector/],
    [':host(.a .b) .x', 0, /one compound selector/],
    [':host-context(.a, .b) .x', 0, /one compound selector/],
    [':not(.a, |b)', 9, /namespace/],
    [':is(.a, .b) :foo', 12, /unknown or unsupported pseudo-class :foo/],
  ];
  it.each(cases)('%j → error at %i', (selector, position, message) => {
    const r = parseSelector(selector);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toMatch(message);
    expect(r.position).toBe(position);
  });
});

describe('forgiving :is()/:where() and `&`, as in Chromium', () => {
  // Chromium drops members it cannot parse from :is()/:where() (an empty list matches nothing)
  // and reads a top-level `&` as :scope. Each pair: the selector, and what it means.
  it.each([
    [':is(a, ::before)', ':is(a)'],
    [':is(a,)', ':is(a)'],
    [':is(.a,, .b)', ':is(.a,.b)'],
    [':where( )', ':not(*)'],
    [':is()', ':not(*)'],
    [':is(:foo)', ':not(*)'],
    [':is(.a, :foo) span', ':is(.a) span'],
    [':is(.a, 1bad, > .b, .b ~, [a!=b], svg|a, :matches(.x), :lang(), :nth-child(x), "s")', ':is(.a)'],
    [':is(.a:foo, .b)', ':is(.b)'],
    [':where(.a, :unknown(x))', ':where(.a)'],
    [':is(.a, :is(:foo), :not(:foo))', ':is(.a,:not(*))'],
    [':is(:is(), .a)', ':is(:not(*),.a)'],
    [':is(.a, :has(:has(.b)))', ':is(.a)'],
    [':is(.a, [x="a), :foo"])', ':is(.a, [x="a), :foo"])'],
    ['&', ':scope'],
    ['div &', 'div :scope'],
    ['&.b, :is(.a, &)', ':scope.b, :is(.a, :scope)'],
    ['[data-x="&"]', '[data-x="&"]'],
    // no @namespace rule: a type or `*` already matches every namespace
    ['*|*', '*'],
    ['main > *|button.buy', 'main > button.buy'],
    [':where(.a, *|svg)', ':where(.a, svg)'],
  ])('%s means %s', (selector, meaning) => {
    const a = parseSelector(selector);
    const b = parseSelector(meaning);
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) expect(a.ast).toEqual(b.ast);
  });

  it('deep nesting stays cheap (each level is checked once)', () => {
    const deep = ':is(:x,'.repeat(500) + '.a' + ')'.repeat(500);
    const t = performance.now();
    expect(parseSelector(deep).ok).toBe(true);
    expect(performance.now() - t).toBeLessThan(2000);
  });
});

describe('classifySelector', () => {
  const cases: [string, 'chain' | 'dom'][] = [
    ['button.buy', 'chain'],
    ['form#checkout > button[type=submit i]', 'chain'],
    ['ul li:nth-child(2n+1):not(.x, [hidden])', 'chain'],
    [':is(a, b) :where(.c) > d', 'chain'],
    ['li:first-child, li:last-of-type, li:only-of-type', 'chain'],
    ['a:visited', 'chain'],
    ['.md\\:flex .w-1\\/2', 'chain'],
    ['#\\31 23', 'chain'],
    ['h1 + p', 'dom'],
    ['h1 ~ p', 'dom'],
    ['div:has(> img)', 'dom'],
    ['li:nth-child(2 of .x)', 'dom'],
    ['li:nth-last-child(2 of .x)', 'dom'],
    ['li:nth-child(2 of .md\\:flex, [x=")"])', 'dom'],
    [':not(:has(a))', 'dom'],
    [':is(a, b + c)', 'dom'],
    ['div:empty', 'dom'],
    [':root > body', 'dom'],
    ['input:checked', 'dom'],
    ['button:disabled', 'dom'],
    ['button:enabled', 'dom'],
    ['input:required, input:optional', 'dom'],
    ['a:link', 'dom'],
    ['a:any-link', 'dom'],
    ['a:-webkit-any-link', 'dom'],
    [':lang(en)', 'dom'],
    ['input:placeholder-shown', 'dom'],
    ['input:read-only', 'dom'],
    ['div:read-write', 'dom'],
    ['my-el:defined', 'dom'],
    [':scope > a', 'dom'],
    ['a, b ~ c', 'dom'],
  ];
  it.each(cases)('%s → %s', (selector, expected) => {
    const r = parseSelector(selector);
    if (!r.ok) throw new Error(`${selector}: ${r.message}`);
    expect(classifySelector(r.ast)).toBe(expected);
  });
});
