import { describe, expect, it } from 'vitest';
import { count } from '../src/lib/plural';

describe('count', () => {
  it('says one thing in the singular and every other number in the plural', () => {
    expect(count(1, 'user')).toBe('1 user');
    expect(count(0, 'user')).toBe('0 users');
    expect(count(2, 'dead letter')).toBe('2 dead letters');
  });
  it('groups digits and takes an irregular plural', () => {
    expect(count(1204, 'event')).toBe((1204).toLocaleString() + ' events');
    expect(count(3, 'entry', 'entries')).toBe('3 entries');
  });
});
