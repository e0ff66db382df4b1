import { describe, expect, it } from 'vitest';
import type { ChainElement } from '@hindsight/schema';
import { cssIdent, describeChain, describeElement, shortText, suggestSelector } from '../src/lib/chain';

const el = (tag: string, attrs: Record<string, string> = {}, text?: string, extra: Partial<ChainElement> = {}): ChainElement => ({
  tag,
  attrs,
  nth: [1, 1, 1, 1],
  ...(text !== undefined ? { text } : {}),
  ...extra,
});

const html = el('html');
const body = el('body');
const form = el('form', { id: 'checkout', class: 'form-card' }, 'Full name E-mail Pay now');

describe('describeChain', () => {
  it.each([
    ['button with classes and text', [el('button', { class: 'btn primary', type: 'submit' }, 'Pay now'), form, body, html], 'button.btn.primary "Pay now"'],
    ['svg inside a button describes the button', [el('path', {}, '', { ns: 'svg' }), el('svg', { class: 'icon' }, '', { ns: 'svg' }), el('button', { class: 'btn add-to-cart' }, 'Add to cart'), body, html], 'button.btn.add-to-cart "Add to cart" › path'],
    ['span inside a link', [el('span', {}, 'Shop'), el('a', { href: '/', class: 'nav-link' }, 'Shop'), body, html], 'a.nav-link "Shop" › span'],
    ['id wins and at most three classes', [el('div', { id: 'hero', class: 'a b c d' }), body, html], 'div#hero.a.b.c'],
    ['non-interactive target far from any control', [el('p', { class: 'lead' }, 'Hello world'), el('section'), body, html], 'p.lead "Hello world"'],
    ['data-testid only when there is no id or class', [el('div', { 'data-testid': 'card' }, 'x'), body, html], 'div[data-testid="card"] "x"'],
    ['inputs: never the typed value, name when no id', [el('input', { name: 'email', type: 'email', value: 'secret@x.y', placeholder: 'you@example.com' }), form, body, html], 'input[name="email"] "you@example.com"'],
    ['input with id', [el('input', { id: 'card-number', type: 'text' }), form, body, html], 'input#card-number'],
    ['long text is shortened', [el('button', {}, 'x'.repeat(60)), body, html], `button "${'x'.repeat(39)}…"`],
    ['quotes in text are escaped', [el('button', {}, 'Say "hi"'), body, html], 'button "Say \\"hi\\""'],
    ['role=button counts as interactive', [el('i', { class: 'fa' }), el('div', { role: 'button', class: 'star' }, 'Rate'), body, html], 'div.star "Rate" › i'],
  ])('%s', (_name, chain, expected) => {
    expect(describeChain(chain)).toBe(expected);
  });

  it('handles empty and missing chains', () => {
    expect(describeChain(undefined)).toBe('(unknown element)');
    expect(describeChain([])).toBe('(unknown element)');
  });

  it('stops climbing after a few levels', () => {
    const deep = [el('span'), el('span'), el('span'), el('span'), el('span'), el('button', {}, 'Far'), body, html];
    expect(describeChain(deep)).toBe('span');
  });
});

describe('helpers', () => {
  it.each([
    ['plain', 'plain'],
    ['a:b', 'a\\:b'],
    ['1st', '\\31 st'],
    ['-x', '-x'],
    ['sm:px-2', 'sm\\:px-2'],
  ])('cssIdent(%s)', (input, out) => expect(cssIdent(input)).toBe(out));

  it('describeElement renders svg tags as given', () => {
    expect(describeElement(el('clipPath', { id: 'c' }, undefined, { ns: 'svg' }))).toBe('clipPath#c');
  });

  it('shortText collapses whitespace', () => {
    expect(shortText('  a \n  b  ')).toBe('a b');
  });

  it.each([
    [[el('svg', {}, '', { ns: 'svg' }), el('button', { class: 'btn add-to-cart', 'data-testid': 'add-to-cart' }), body], '[data-testid="add-to-cart"]'],
    [[el('button', { id: 'pay', class: 'btn' }), body], 'button#pay'],
    [[el('a', { class: 'nav-link active' }), body], 'a.nav-link.active'],
    [[], ''],
  ])('suggestSelector %#', (chain, expected) => expect(suggestSelector(chain)).toBe(expected));
});

describe('describeChain skips noise', () => {
  it('does not show masked placeholders or a form’s text', () => {
    const input = el('input', { id: 'card-number', placeholder: '***' }, undefined, { trunc: ['placeholder'] });
    expect(describeChain([input, form, body, html])).toBe('input#card-number');
    expect(describeChain([form, body, html])).toBe('form#checkout.form-card');
  });
});

describe('suggestSelector ignores masked attributes', () => {
  it('falls back to the id when data-testid was masked', () => {
    const input = el('input', { id: 'card-number', 'data-testid': '***', class: 'x' }, undefined, { trunc: ['data-testid'] });
    expect(suggestSelector([input, body, html])).toBe('input#card-number');
  });
});
