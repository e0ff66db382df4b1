import { describe, expect, it } from 'vitest';
import {
  cssString,
  isStateClass,
  looksGenerated,
  meaningfulElement,
  stableClasses,
  structuralPath,
  suggestSelectors,
  type ElementLike,
} from '../src/lib/suggest';

// A tiny Element stand-in: enough of the DOM for the suggestion logic (no jsdom on Node 20 here).
class FakeEl implements ElementLike {
  parentElement: FakeEl | null = null;
  children: FakeEl[] = [];
  constructor(
    readonly localName: string,
    private attrs: Record<string, string> = {},
  ) {}
  getAttribute(n: string): string | null {
    return n in this.attrs ? this.attrs[n] : null;
  }
  get attributes() {
    return Object.entries(this.attrs).map(([name, value]) => ({ name, value }));
  }
}

function h(tag: string, attrs: Record<string, string> = {}, ...children: FakeEl[]): FakeEl {
  const el = new FakeEl(tag, attrs);
  for (const c of children) {
    c.parentElement = el;
    el.children.push(c);
  }
  return el;
}

/** Builds `<html><body>…target…</body></html>` and returns the element marked `data-t`. */
function page(body: FakeEl): FakeEl {
  h('html', {}, h('head'), h('body', {}, body));
  const find = (e: FakeEl): FakeEl | null => (e.getAttribute('data-t') !== null ? e : e.children.map(find).find(Boolean) ?? null);
  return find(body)!;
}

const sel = (el: ElementLike) => suggestSelectors(el).map((s) => s.selector);

describe('suggestSelectors', () => {
  it.each<[string, FakeEl, string[]]>([
    [
      'data-testid first, then classes, then the path',
      h('main', {}, h('button', { 'data-t': '', 'data-testid': 'add-to-cart', class: 'btn btn-primary add-to-cart' })),
      ['[data-testid="add-to-cart"]', 'button.btn.btn-primary.add-to-cart', 'body > main > button'],
    ],
    [
      'id, name and aria-label in that order',
      h('form', {}, h('input', { 'data-t': '', id: 'email', name: 'email', 'aria-label': 'E-mail' })),
      ['#email', 'input[name="email"]', 'input[aria-label="E-mail"]', 'body > form > input'],
    ],
    [
      'rrweb artifacts (rr_* attributes, rr-block, the :hover class) are ignored',
      h('div', {}, h('img', { 'data-t': '', class: 'rr-block :hover logo', rr_src: 'x' })),
      ['img.logo', 'body > div > img'],
    ],
    [
      'state and generated classes are skipped',
      h('nav', {}, h('a', { 'data-t': '', class: 'css-1x2y3z active is-open tab tab--selected Button_primary__3xYz1 sc-bdVaJa1' })),
      ['a.tab', 'body > nav > a'],
    ],
    [
      'generated ids are skipped (React useId, long numbers)',
      h('div', {}, h('button', { 'data-t': '', id: ':r1:' }), h('button', { id: 'ember1234' })),
      ['body > div > button:nth-of-type(1)'],
    ],
    [
      'nth-of-type steps where siblings share a tag; anchored at an ancestor id',
      h('section', { id: 'grid' }, h('div', {}, h('p')), h('div', {}, h('span'), h('button', { 'data-t': '' }), h('button'))),
      ['#grid > div:nth-of-type(2) > button:nth-of-type(1)'],
    ],
    [
      'identifiers are escaped for CSS',
      h('div', {}, h('button', { 'data-t': '', id: '1st', class: 'sm:px-2' })),
      ['#\\31 st', 'button.sm\\:px-2', 'body > div > button'],
    ],
    [
      'quotes in attribute values are escaped',
      h('div', {}, h('button', { 'data-t': '', 'data-testid': 'say "hi"', 'aria-label': 'a\\b' })),
      ['[data-testid="say \\"hi\\""]', 'button[aria-label="a\\\\b"]', 'body > div > button'],
    ],
    [
      'a shared test id is narrowed by other data attributes (not generated, not rrweb, not the marker)',
      h('div', {}, h('button', { 'data-t': '', 'data-testid': 'add', 'data-product': 'mug', 'data-rr-x': '1', 'data-key': 'a1b2c3d4e5', 'data-size': 'L', 'data-x': 'y' })),
      ['[data-testid="add"]', '[data-testid="add"][data-product="mug"]', '[data-testid="add"][data-size="L"]', 'body > div > button'],
    ],
    ['other test attributes count too', h('div', {}, h('span', { 'data-t': '', 'data-cy': 'total' })), ['[data-cy="total"]', 'body > div > span']],
  ])('%s', (_name, tree, expected) => {
    expect(sel(page(tree))).toEqual(expected);
  });

  it('every suggestion carries its kind, most robust first', () => {
    const el = page(h('div', {}, h('button', { 'data-t': '', 'data-testid': 'x', id: 'y', class: 'z' })));
    expect(suggestSelectors(el).map((s) => s.kind)).toEqual(['testid', 'id', 'class', 'path']);
  });

  it('uses the given escape function', () => {
    const el = page(h('div', {}, h('i', { 'data-t': '', id: 'a.b' })));
    expect(sel(el)[0]).toBe('#a\\.b');
    expect(suggestSelectors(el, { escape: (s) => `<${s}>` })[0].selector).toBe('#<a.b>');
  });
});

describe('meaningfulElement', () => {
  it.each<[string, FakeEl, string]>([
    ['svg inside a button → the button', h('button', { id: 'b' }, h('svg', {}, h('path', { 'data-t': '' }))), 'button'],
    ['span inside a link → the link', h('a', {}, h('span', { 'data-t': '' })), 'a'],
    ['role=button counts', h('div', { role: 'button' }, h('i', { 'data-t': '' })), 'div'],
    ['a plain element stays', h('section', {}, h('p', { 'data-t': '' })), 'p'],
    ['a button stays itself', h('form', {}, h('button', { 'data-t': '' })), 'button'],
  ])('%s', (_name, tree, tag) => {
    expect(meaningfulElement(page(tree)).localName).toBe(tag);
  });

  it('climbs at most four levels', () => {
    const el = page(h('button', {}, h('span', {}, h('span', {}, h('span', {}, h('span', {}, h('b', { 'data-t': '' })))))));
    expect(meaningfulElement(el).localName).toBe('b');
  });
});

describe('token heuristics', () => {
  it.each([
    ['css-1x2y3z', true],
    ['sc-bdVaJa1', true],
    ['jsx-2931234', true],
    ['Button_primary__3xYz1', true],
    ['a1b2c3', true],
    ['d41d8cd98f00', true],
    [':r3:', true],
    ['btn-primary', false],
    ['add-to-cart', false],
    ['h1', false],
    ['col-md-6', false],
    ['product-card', false],
  ])('looksGenerated(%s) = %s', (t, expected) => expect(looksGenerated(t)).toBe(expected));

  it.each([
    ['active', true],
    ['is-open', true],
    ['has-error', true],
    ['tab--active', true],
    ['router-link-active', true],
    ['Mui-focused', true],
    ['ng-touched', true],
    ['menu', false],
    ['btn', false],
    ['opener', false],
  ])('isStateClass(%s) = %s', (c, expected) => expect(isStateClass(c)).toBe(expected));

  it('stableClasses keeps order', () => {
    expect(stableClasses(new FakeEl('div', { class: ' card  active css-abc123 featured rr_x ' }))).toEqual(['card', 'featured']);
  });

  it('cssString escapes newlines', () => {
    expect(cssString('a\nb')).toBe('"a\\a b"');
  });

  it('structuralPath from a detached element ends at its root', () => {
    const el = h('ul', {}, h('li'), h('li', { 'data-t': '' }));
    expect(structuralPath(el.children[1])).toBe('ul > li:nth-of-type(2)');
  });
});
