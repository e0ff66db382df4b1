// The one escaping function every ClickHouse string literal goes through (18.16 has no bound
// parameters). Pure tests here; clickhouse.test.ts round-trips the same strings through a real server.
import { describe, expect, it } from 'vitest';
import { sqlIdentifier, sqlInList, sqlInt, sqlString } from '../src/clickhouse/escape.js';
import { clickhouseRegex, parensBalanced } from '../src/clickhouse/regex.js';
import { parseClickHouseUrl } from '../src/clickhouse/store.js';

describe('sqlString', () => {
  it.each<[string, string, string]>([
    ['plain', 'abc', "'abc'"],
    ['empty', '', "''"],
    ['single quote', "it's", "'it\\'s'"],
    ['classic injection', "'; DROP TABLE events; --", "'\\'; DROP TABLE events; --'"],
    ['backslash', '\\', "'\\\\'"],
    ['backslash + quote', "\\'", "'\\\\\\''"],
    ['trailing backslash cannot eat the closing quote', 'a\\', "'a\\\\'"],
    ['newline, tab, CR', 'a\nb\tc\rd', "'a\\x0ab\\x09c\\x0dd'"],
    ['NUL and other C0', '\u0000\u0001\u001f', "'\\x00\\x01\\x1f'"],
    ['DEL', '\u007f', "'\\x7f'"],
    ['LIKE wildcards untouched', '%_', "'%_'"],
    ['double quote and backtick untouched', '"`', "'\"`'"],
    ['unicode passes through', 'Grüße 🎉', "'Grüße 🎉'"],
    ['escape-looking text is escaped as text', '\\x41\\N', "'\\\\x41\\\\N'"],
    ['parameter syntax is inert', '{x:String}', "'{x:String}'"],
  ])('%s', (_label, input, expected) => {
    expect(sqlString(input)).toBe(expected);
  });

  it('never leaves an unescaped quote or a raw control character inside the literal', () => {
    for (let c = 0; c < 0x80; c++) {
      const lit = sqlString(`x${String.fromCharCode(c)}y`);
      const body = lit.slice(1, -1);
      expect(body.replace(/\\\\|\\'/g, '')).not.toMatch(/'/);
      expect(lit).not.toMatch(/[\u0000-\u001f\u007f]/);
    }
  });

  it('rejects non-strings', () => {
    expect(() => sqlString(42 as unknown as string)).toThrow(/string/);
  });
});

describe('sqlInt / sqlInList / sqlIdentifier', () => {
  it.each<[number, 'floor' | 'ceil' | 'trunc', string]>([
    [5, 'trunc', '5'],
    [-5, 'trunc', '-5'],
    [1.5, 'ceil', '2'],
    [1.5, 'floor', '1'],
  ])('sqlInt(%s, %s) = %s', (n, mode, out) => expect(sqlInt(n, mode)).toBe(out));

  it.each([NaN, Infinity, -Infinity, 2 ** 60, '1; DROP TABLE x' as unknown as number])('sqlInt rejects %s', (n) => {
    expect(() => sqlInt(n)).toThrow();
  });

  it('builds IN lists from literals; the empty set matches nothing', () => {
    expect(sqlInList('id', ["a'", 'b'])).toBe("id IN ('a\\'', 'b')");
    expect(sqlInList('id', [])).toBe('0');
  });

  it.each(['hindsight', 'hs_test_1', '_x'])('accepts database name %s', (n) => expect(sqlIdentifier(n)).toBe(n));
  it.each(['', '1abc', 'a-b', 'a;DROP', 'a b', '`x`', 'x'.repeat(65)])('rejects database name %j', (n) => {
    expect(() => sqlIdentifier(n)).toThrow();
  });
});

describe('clickhouseRegex', () => {
  it.each<[string, boolean]>([
    ['abc', true],
    ['(a)(b)', true],
    ['a\\)', true],
    ['[)]', true],
    ['[^)]', true],
    ['[]()]', true],
    ['\\Q)(\\E', true],
    ['(?i)^signed', true],
    ['a)|(b', false],
    ['(', false],
    [')', false],
    ['((a)', false],
  ])('parensBalanced(%j) = %s', (p, ok) => expect(parensBalanced(p)).toBe(ok));

  it('wraps in a dot_nl-off group', () => {
    expect(clickhouseRegex('(?i)^a.b')).toBe('(?-s:(?i)^a.b)');
    expect(() => clickhouseRegex('a)|(b')).toThrow(/unbalanced/);
  });
});

describe('parseClickHouseUrl', () => {
  it.each<[string, ReturnType<typeof parseClickHouseUrl>]>([
    ['clickhouse://127.0.0.1:8123/hs', { httpUrl: 'http://127.0.0.1:8123', database: 'hs', username: undefined, password: undefined }],
    ['clickhouse://ch.internal/analytics', { httpUrl: 'http://ch.internal:8123', database: 'analytics', username: undefined, password: undefined }],
    ['clickhouses://u:p%40ss@ch:8443/db', { httpUrl: 'https://ch:8443', database: 'db', username: 'u', password: 'p@ss' }],
    ['clickhouse://h:1', { httpUrl: 'http://h:1', database: 'hindsight', username: undefined, password: undefined }],
  ])('%s', (url, expected) => expect(parseClickHouseUrl(url)).toEqual(expected));

  it('rejects a database name that is not an identifier', () => {
    expect(() => parseClickHouseUrl('clickhouse://h:1/a;b')).toThrow();
  });
});
