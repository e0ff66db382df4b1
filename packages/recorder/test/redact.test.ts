import { describe, expect, it } from 'vitest';
import { isSensitive, luhn, redact, stripQuery } from '../src/redact';
import { cap } from '../src/log';

describe('redact', () => {
  it.each([
    ['Card 4111 1111 1111 1111 ok', 'Card [card] ok'],
    ['4111-1111-1111-1111', '[card]'],
    ['4111111111111111', '[card]'],
    ['amex 378282246310005.', 'amex [card].'],
    ['mail bob.smith+x@mail.example.co.uk now', 'mail [email] now'],
    ['ssn 123-45-6789', 'ssn [id]'],
    // not a card: Luhn fails, or too short/long
    ['order 4111111111111112', 'order 4111111111111112'],
    ['ts 1732900000001', 'ts 1732900000001'],
    ['id 12345678901234567890123', 'id 12345678901234567890123'],
    ['price 1 299,00 €', 'price 1 299,00 €'],
    ['plain text', 'plain text'],
    // at the digit counts where each pattern can first match
    ['4222222222222 is 13 digits (Luhn ok)', '[card] is 13 digits (Luhn ok)'],
    ['123-45-678 has 8 digits', '123-45-678 has 8 digits'],
    ['a@b.co', '[email]'],
    ['no at sign: a.b.co 12345678', 'no at sign: a.b.co 12345678'],
    ['both: x1@y.io and 123-45-6789 and 4242 4242 4242 4242', 'both: [email] and [id] and [card]'],
  ])('%s → %s', (input, out) => {
    expect(redact(input)).toBe(out);
  });

  it('answers like the plain patterns on random text', () => {
    const plain = (s: string) =>
      s
        .replace(/\b(?:\d[ -]?){12,18}\d\b/g, (m) => (luhn(m.replace(/\D/g, '')) ? '[card]' : m))
        .replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '[email]')
        .replace(/\b\d{3}-\d{2}-\d{4}\b/g, '[id]');
    const alphabet = '0123456789 -@.abcxyz+_';
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 5000; i++) {
      const s = Array.from({ length: 5 + rnd(40) }, () => alphabet[rnd(alphabet.length)]).join('');
      expect(redact(s), s).toBe(plain(s));
    }
  });
  it('luhn', () => {
    expect(luhn('4242424242424242')).toBe(true);
    expect(luhn('4242424242424241')).toBe(false);
  });
});

describe('stripQuery', () => {
  it.each([
    ['https://a.example/p?token=s3cret&b=2#frag', 'https://a.example/p?token=&b='],
    ['https://u:pw@a.example/p', 'https://a.example/p'],
    ['/api/x?q=1&q=2', 'http://h.example/api/x?q=&q='],
    ['https://a.example/p', 'https://a.example/p'],
    ['https://a.example/p?', 'https://a.example/p'],
    ['https://a.example/p?a%20b=1', 'https://a.example/p?a%20b='],
    ['http://[bad', ''],
  ])('%s → %s', (input, out) => {
    expect(stripQuery(input, 'http://h.example/base')).toBe(out);
  });
});

describe('isSensitive', () => {
  const el = (attrs: Record<string, string>) => ({ getAttribute: (n: string) => attrs[n] ?? null }) as unknown as Element;
  it.each([
    [{ type: 'password' }, true],
    [{ type: 'PASSWORD' }, true],
    [{ autocomplete: 'cc-number' }, true],
    [{ autocomplete: 'billing cc-csc' }, true],
    [{ name: 'card_number' }, true],
    [{ id: 'cvv' }, true],
    [{ name: 'email', type: 'email' }, false],
    [{ autocomplete: 'username' }, false],
    [{ autocomplete: 'current-password' }, true],
    [{ autocomplete: 'new-password', type: 'text' }, true],
  ])('%o → %s', (attrs, out) => {
    expect(isSensitive(el(attrs))).toBe(out);
  });

  it('a field seen as a password stays sensitive after a "show password" toggle', () => {
    const attrs: Record<string, string> = { type: 'password', id: 'pw1' };
    const field = el(attrs);
    expect(isSensitive(field)).toBe(true);
    attrs.type = 'text';
    expect(isSensitive(field)).toBe(true);
    expect(isSensitive(el({ type: 'text', id: 'pw1' }))).toBe(false);
  });
});

describe('cap', () => {
  it('never leaves half a surrogate pair at the cut', () => {
    expect(cap('ab😀cd', 3)).toBe('ab');
    expect(cap('ab😀cd', 4)).toBe('ab😀');
    expect(cap('abc', 5)).toBe('abc');
  });
});
