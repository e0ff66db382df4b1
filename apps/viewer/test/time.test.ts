import { describe, expect, it } from 'vitest';
import { formatBucket, formatDateTime, formatDuration, formatSpan, parseDateInput, shortId, toDateInput, toMillis } from '../src/lib/time';

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [999, '0:00'],
    [1000, '0:01'],
    [65_000, '1:05'],
    [600_000, '10:00'],
    [3_723_000, '1:02:03'],
    [-5, '0:00'],
    [Number.NaN, '0:00'],
  ])('%d ms → %s', (ms, out) => expect(formatDuration(ms)).toBe(out));
});

describe('formatSpan', () => {
  it.each([
    [0, '0s'],
    [45_400, '45s'],
    [185_000, '3m 05s'],
    [3_720_000, '1h 02m'],
    [-1, '0s'],
  ])('%d ms → %s', (ms, out) => expect(formatSpan(ms)).toBe(out));
});

describe('dates', () => {
  const ts = Date.UTC(2026, 10, 29, 7, 5, 9);
  it('formats UTC', () => {
    expect(formatDateTime(ts, { utc: true })).toBe('2026-11-29 07:05');
    expect(formatDateTime(ts, { utc: true, seconds: true })).toBe('2026-11-29 07:05:09');
    expect(formatDateTime(Number.NaN)).toBe('—');
  });
  it('round-trips date inputs in local time', () => {
    const start = parseDateInput('2026-03-04')!;
    expect(toDateInput(start)).toBe('2026-03-04');
    expect(new Date(start).getHours()).toBe(0);
    const end = parseDateInput('2026-03-04', true)!;
    expect(toDateInput(end)).toBe('2026-03-04');
    expect(end - start).toBeGreaterThan(22 * 3600_000); // DST days are 23 h
  });
  it.each(['', null, undefined, '2026-13-01', '2026-02-30', '26-1-1', 'yesterday'])('rejects %s', (s) => {
    expect(parseDateInput(s as string)).toBeUndefined();
  });
  it('toMillis accepts ms, seconds and ISO strings', () => {
    expect(toMillis(ts)).toBe(ts);
    expect(toMillis(ts / 1000)).toBe(ts);
    expect(toMillis(String(ts))).toBe(ts);
    expect(toMillis('2026-11-29T07:05:09.000Z')).toBe(ts);
  });
  it('formatBucket per interval', () => {
    const t = new Date(2026, 0, 5, 14).getTime();
    expect(formatBucket(t, 'hour')).toBe('01-05 14:00');
    expect(formatBucket(t, 'day')).toBe('01-05');
    expect(formatBucket(t, 'week')).toBe('wk 01-05');
  });
});

describe('shortId', () => {
  it('keeps the random tail of UUIDv7 ids', () => {
    expect(shortId('01a22867-e132-751b-bcb4-6616656a2be6')).toBe('656a2be6');
    expect(shortId('01a22867-e132-751b-bcb4-6616656a2be6', 12)).toBe('6616656a2be6');
    expect(shortId('abc')).toBe('abc');
  });
  it('shows a short id that is not a UUID as it is, and marks a cut one', () => {
    expect(shortId('sess-0', 12)).toBe('sess-0');
    expect(shortId('does-not-exist', 12)).toBe('…es-not-exist');
  });
});
