import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateCapped, parseJson, readBodyCapped } from '../src/http/body.js';
import { HttpError } from '../src/http/errors.js';

const req = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request('http://x/v1/batch', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('bounded bodies', () => {
  it('reads a body under the cap', async () => {
    expect((await readBodyCapped(req('hello'), 10)).toString()).toBe('hello');
  });

  it('refuses a body over the cap while streaming, without a content-length', async () => {
    const stream = new ReadableStream({
      pull(c) {
        c.enqueue(new Uint8Array(1024));
      },
    });
    await expect(readBodyCapped(req(stream), 10_000)).rejects.toMatchObject({ status: 413, code: 'body_too_large' });
  });

  it('refuses a declared content-length over the cap before reading', async () => {
    await expect(readBodyCapped(req('x'.repeat(20), { 'content-length': '20' }), 10)).rejects.toMatchObject({ status: 413 });
  });

  it('inflates gzip detected by magic bytes and passes plain JSON through', async () => {
    expect((await inflateCapped(gzipSync('{"a":1}'), 100)).toString()).toBe('{"a":1}');
    expect((await inflateCapped(Buffer.from('{"a":1}'), 100)).toString()).toBe('{"a":1}');
  });

  // small bodies are inflated synchronously, bigger ones on the thread pool: both paths
  it.each([
    ['~64 KB compressed → 64 MB', 64],
    ['~8 KB compressed → 8 MB', 8],
  ])('refuses a gzip bomb with bounded memory (%s)', async (_, mb) => {
    const bomb = gzipSync(Buffer.alloc(mb * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100_000);
    const before = process.memoryUsage().rss;
    await expect(inflateCapped(bomb, 1024 * 1024)).rejects.toMatchObject({ status: 413, code: 'inflated_too_large' });
    expect(process.memoryUsage().rss - before).toBeLessThan(48 * 1024 * 1024);
  });

  it('answers 400 for corrupt gzip, small or big', async () => {
    const broken = gzipSync('{"a":1}').subarray(0, 12);
    await expect(inflateCapped(broken, 100)).rejects.toMatchObject({ status: 400, code: 'bad_encoding' });
    const big = gzipSync(randomBytes(100_000).toString('hex')).subarray(0, 50_000);
    await expect(inflateCapped(big, 1e7)).rejects.toMatchObject({ status: 400, code: 'bad_encoding' });
  });

  it('inflates a big body (the thread-pool path) too', async () => {
    const text = randomBytes(50_000).toString('hex');
    expect((await inflateCapped(gzipSync(text), 1e7)).toString()).toBe(text);
  });
});

describe('parseJson', () => {
  it.each([
    ['not json', 'bad_json'],
    ['{"a":', 'bad_json'],
    ['['.repeat(3000) + ']'.repeat(3000), 'too_deep'],
  ])('rejects %j with %s', (text, code) => {
    try {
      parseJson(text);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(HttpError);
      expect((e as HttpError).code).toBe(code);
      expect((e as HttpError).status).toBe(400);
    }
  });

  it('rejects nesting deep enough to overflow the parser with a 400, not a crash', () => {
    expect(() => parseJson('['.repeat(1_000_000))).toThrow(HttpError);
  });

  it.each([
    ['arrays', (d: number) => '['.repeat(d) + ']'.repeat(d)],
    ['objects', (d: number) => '{"a":'.repeat(d - 1) + '{}' + '}'.repeat(d - 1)],
    ['mixed, deepest last', (d: number) => '[1,{"x":[],"y":' + '['.repeat(d - 2) + ']'.repeat(d - 2) + '}]'],
  ])('the cap counts levels exactly (%s)', (_, doc) => {
    expect(() => parseJson(doc(2048))).not.toThrow();
    expect(() => parseJson(doc(2049))).toThrow(/deeper than 2048/);
    expect(() => parseJson(doc(4), 4)).not.toThrow();
    expect(() => parseJson(doc(5), 4)).toThrow(/deeper than 4/);
  });

  it('accepts ordinary documents', () => {
    expect(parseJson('{"a":[1,{"b":2}]}')).toEqual({ a: [1, { b: 2 }] });
  });
});
