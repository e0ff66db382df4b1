import { describe, expect, it } from 'vitest';
import { checkName, conformsTo, describeRule, describeRules, fixName, nameWords, toSnakeCase, toTitleCase } from '../src/index.js';

describe('nameWords', () => {
  it.each([
    ['Add To Cart', ['Add', 'To', 'Cart']],
    ['add_to_cart', ['add', 'to', 'cart']],
    ['addToCart', ['add', 'To', 'Cart']],
    ['checkout-started', ['checkout', 'started']],
    ['HTMLParser loaded', ['HTML', 'Parser', 'loaded']],
    ['  spaced   out  ', ['spaced', 'out']],
    ["Don't click", ['Dont', 'click']],
    ['step2Done', ['step2', 'Done']],
    ['Grüße senden', ['Grüße', 'senden']],
    ['!!!', []],
  ])('%j → %j', (name, words) => {
    expect(nameWords(name)).toEqual(words);
  });
});

describe('toSnakeCase / toTitleCase', () => {
  it.each([
    ['Add To Cart', 'add_to_cart', 'Add To Cart'],
    ['add_to_cart', 'add_to_cart', 'Add To Cart'],
    ['addToCart', 'add_to_cart', 'Add To Cart'],
    ['Checkout started', 'checkout_started', 'Checkout Started'],
    ['checkout-started!', 'checkout_started', 'Checkout Started'],
    ['SKU added', 'sku_added', 'SKU Added'],
    ['page.view / home', 'page_view_home', 'Page View Home'],
    ['3D secure failed', '3d_secure_failed', '3D Secure Failed'],
    ['Grüße senden', 'grüße_senden', 'Grüße Senden'],
    ['支付 完成', '支付_完成', '支付 完成'],
    ['İstanbul visit', 'istanbul_visit', 'İstanbul Visit'],
    ['!!!', '', ''],
  ])('%j → %j / %j', (name, snake, title) => {
    expect(toSnakeCase(name)).toBe(snake);
    expect(toTitleCase(name)).toBe(title);
  });
});

describe('conformsTo', () => {
  it.each([
    ['add_to_cart', 'snake_case', true],
    ['add_to_cart2', 'snake_case', true],
    ['Add_to_cart', 'snake_case', false],
    ['add__to_cart', 'snake_case', false],
    ['_add', 'snake_case', false],
    ['add to cart', 'snake_case', false],
    ['add-to-cart', 'snake_case', false],
    ['', 'snake_case', false],
    ['Add To Cart', 'title_case', true],
    ['SKU Added', 'title_case', true],
    ['3D Secure', 'title_case', true],
    ['Add to Cart', 'title_case', false],
    ['Add  To Cart', 'title_case', false],
    ['Add To Cart ', 'title_case', false],
    ['add_to_cart', 'title_case', false],
    ['anything goes!', 'none', true],
  ] as const)('%j in %s → %s', (name, convention, ok) => {
    expect(conformsTo(name, convention)).toBe(ok);
  });
});

describe('checkName', () => {
  it.each([
    ['Add To Cart', 'snake_case', 'add_to_cart'],
    ['addToCart', 'snake_case', 'add_to_cart'],
    ['add_to_cart', 'title_case', 'Add To Cart'],
    ['Add to cart', 'title_case', 'Add To Cart'],
    // modifier letters (\p{Lm}) have no case: letters like any other, in either convention
    ['Aʼb', 'snake_case', 'aʼb'],
  ] as const)('%j in %s suggests %j', (name, convention, suggestion) => {
    const r = checkName(name, convention);
    expect(r).toMatchObject({ ok: false, suggestion });
    if (!r.ok) expect(r.message).toContain(`Use "${suggestion}"`);
    expect(checkName(suggestion, convention)).toEqual({ ok: true });
  });

  it.each([
    ['add_to_cart', 'snake_case'],
    ['Add To Cart', 'title_case'],
    ['  add_to_cart  ', 'snake_case'],
    ['Whatever, really!', 'none'],
  ] as const)('%j is fine in %s', (name, convention) => {
    expect(checkName(name, convention)).toEqual({ ok: true });
  });

  it('has no suggestion when the name has no letters or digits', () => {
    expect(checkName('???', 'snake_case')).toMatchObject({ ok: false, suggestion: null });
  });

  // every fix must itself pass the check, or the viewer's "Use …" button would loop
  it.each(['snake_case', 'title_case'] as const)('fixName output always conforms to %s', (convention) => {
    const samples = ['a', 'A b', 'x1Y2z3', 'ÀÉÎ õü', 'ǅemal title', 'ﬁne print', 'ß street', 'ŉ case', 'Ⅻ roman', 'mIxEd CaSe', 'aʼb', 'aʰb', 'aˇb', 'ϒ case', '???'];
    for (const s of samples) {
      const fixed = fixName(s, convention);
      // a name with a letter or digit always gets a fix (the viewer offers it); others none
      if (/[\p{L}\p{N}]/u.test(s)) expect(fixed !== '' && conformsTo(fixed, convention), `${s} → ${fixed}`).toBe(true);
      else expect(fixed).toBe('');
    }
  });
});

describe('describeRule', () => {
  it.each([
    [{ event: 'pageview' }, 'any pageview'],
    [{ event: 'click', selector: 'button.buy' }, 'click on "button.buy"'],
    [
      { event: 'click', selector: 'button', text: { op: 'contains', value: 'Pay' }, url: { op: 'regex', value: '/cart$' } },
      'click on "button" where text contains "Pay" and URL matches //cart$/',
    ],
    [{ event: 'custom', name: 'Paid' }, 'any custom where name is "Paid"'],
    [{ event: 'click', href: { op: 'exact', value: '/x' } }, 'any click where link is "/x"'],
  ] as const)('%j → %s', (rule, words) => {
    expect(describeRule(rule as never)).toBe(words);
  });

  it('joins rules with "or"', () => {
    expect(describeRules([{ event: 'pageview' }, { event: 'submit' }])).toBe('any pageview; or any submit');
  });
});
