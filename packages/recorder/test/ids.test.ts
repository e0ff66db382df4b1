import { describe, expect, it } from 'vitest';
import { hash32, sampled, uuidv7 } from '../src/ids';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('has the RFC 9562 layout (version 7, variant 10)', () => {
    for (let i = 0; i < 100; i++) expect(uuidv7()).toMatch(V7);
  });
  it('encodes the millisecond timestamp in the first 48 bits', () => {
    const t = Date.now() + 10_000_000; // later than any id made so far in this run
    const id = uuidv7(t);
    const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(ms).toBe(t);
  });
  it('is strictly increasing, also within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => uuidv7());
    const sorted = [...ids].sort();
    expect(ids).toEqual(sorted);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it('stays increasing when the clock goes backwards', () => {
    const a = uuidv7(Date.now() + 20_000_000);
    const b = uuidv7(Date.now());
    expect(b > a).toBe(true);
  });
});

describe('sampling', () => {
  it('hash32 is FNV-1a', () => {
    expect(hash32('')).toBe(0x811c9dc5);
    expect(hash32('a')).toBe(0xe40c292c);
  });
  it.each([
    [0, 0],
    [1, 1000],
  ])('rate %d keeps %d of 1000 sessions', (rate, kept) => {
    const ids = Array.from({ length: 1000 }, () => uuidv7());
    expect(ids.filter((id) => sampled(id, rate)).length).toBe(kept);
  });
  it('is deterministic per session and close to the rate', () => {
    const ids = Array.from({ length: 4000 }, () => uuidv7());
    const kept = ids.filter((id) => sampled(id, 0.25));
    expect(kept.length / ids.length).toBeGreaterThan(0.2);
    expect(kept.length / ids.length).toBeLessThan(0.3);
    expect(ids.filter((id) => sampled(id, 0.25))).toEqual(kept);
  });
});
