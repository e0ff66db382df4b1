import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS, filtersToQuery, filtersToSearch, hasAnyFilter, parseFilters } from '../src/lib/filters';
import { parseDateInput } from '../src/lib/time';

describe('session filters in the query string', () => {
  it('parses every filter', () => {
    expect(
      parseFilters('?userId=ana%40x.com&url=%2Fcheckout&hasError=1&frustrated=1&minDuration=60&definition=d-1&from=2026-01-01&to=2026-01-31&sort=longest'),
    ).toEqual({
      userId: 'ana@x.com',
      url: '/checkout',
      hasError: true,
      frustrated: true,
      minDuration: 60,
      definitionId: 'd-1',
      from: '2026-01-01',
      to: '2026-01-31',
      sort: 'longest',
    });
  });

  it.each([
    ['', EMPTY_FILTERS],
    ['?', EMPTY_FILTERS],
    ['hasError=true', { ...EMPTY_FILTERS, hasError: true }],
    ['?hasError=0', EMPTY_FILTERS],
    ['?from=yesterday&to=2026-1-1', EMPTY_FILTERS],
    ['?userId=%20%20', EMPTY_FILTERS],
    ['?other=1', EMPTY_FILTERS],
    ['?frustrated=yes', EMPTY_FILTERS],
    ['?minDuration=-5', EMPTY_FILTERS],
    ['?minDuration=1.5', EMPTY_FILTERS],
    ['?minDuration=abc', EMPTY_FILTERS],
    ['?sort=random', EMPTY_FILTERS],
    ['?sort=newest', EMPTY_FILTERS],
    ['?sort=most_events', { ...EMPTY_FILTERS, sort: 'most_events' }],
  ])('parseFilters(%j)', (search, expected) => expect(parseFilters(search)).toEqual(expected));

  it('writes a canonical, minimal query string', () => {
    expect(filtersToSearch(EMPTY_FILTERS)).toBe('');
    expect(filtersToSearch({ ...EMPTY_FILTERS, url: ' /cart ', hasError: true })).toBe('?url=%2Fcart&hasError=1');
    expect(filtersToSearch({ ...EMPTY_FILTERS, from: 'bad' })).toBe('');
  });

  it('round-trips', () => {
    const f = {
      userId: 'u 1&2',
      url: '/a?b=c',
      hasError: true,
      frustrated: true,
      minDuration: 300,
      definitionId: 'id with space',
      from: '2026-02-01',
      to: '2026-02-03',
      sort: 'oldest' as const,
    };
    expect(parseFilters(filtersToSearch(f))).toEqual(f);
  });

  it('builds the API query with start/end of day', () => {
    const q = filtersToQuery({ ...EMPTY_FILTERS, userId: 'u', from: '2026-02-01', to: '2026-02-03' });
    expect(q).toEqual({ userId: 'u', from: parseDateInput('2026-02-01'), to: parseDateInput('2026-02-03', true) });
    expect(filtersToQuery(EMPTY_FILTERS)).toEqual({});
    expect(filtersToQuery({ ...EMPTY_FILTERS, frustrated: true, minDuration: 30, definitionId: 'd', sort: 'longest' })).toEqual({
      frustrated: true,
      minDurationMs: 30_000,
      definitionId: 'd',
      sort: 'longest',
    });
  });

  it('hasAnyFilter', () => {
    expect(hasAnyFilter(EMPTY_FILTERS)).toBe(false);
    expect(hasAnyFilter({ ...EMPTY_FILTERS, hasError: true })).toBe(true);
    expect(hasAnyFilter({ ...EMPTY_FILTERS, minDuration: 10 })).toBe(true);
    // the order alone narrows nothing
    expect(hasAnyFilter({ ...EMPTY_FILTERS, sort: 'oldest' })).toBe(false);
  });
});
