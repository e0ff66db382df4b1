import { describe, expect, it } from 'vitest';
import { fitId, segmentMessageSchema, segmentToEvent } from '../src/segment/map.js';

const NOW = Date.UTC(2026, 10, 29, 12);
const map = (m: unknown) => segmentToEvent(segmentMessageSchema.parse(m), NOW);

describe('Segment message → Hindsight event', () => {
  it.each([
    [
      'track → custom event named like the track call',
      { type: 'track', event: 'Order Completed', messageId: 'm1', userId: 'u1', properties: { total: 30 }, timestamp: '2026-11-29T10:00:00.000Z', context: { page: { url: 'https://shop.example/thanks' } } },
      { id: 'm1', type: 'custom', name: 'Order Completed', userId: 'u1', anonymousId: 'u1', props: { total: 30 }, ts: Date.UTC(2026, 10, 29, 10), url: 'https://shop.example/thanks' },
    ],
    [
      'identify → identify with traits as props',
      { type: 'identify', messageId: 'm2', anonymousId: 'a1', userId: 'u1', traits: { plan: 'pro' } },
      { id: 'm2', type: 'identify', anonymousId: 'a1', userId: 'u1', props: { plan: 'pro' }, ts: NOW },
    ],
    [
      'page → pageview with url, title and referrer from properties',
      { type: 'page', name: 'Pricing', messageId: 'm3', anonymousId: 'a1', properties: { url: 'https://x.example/pricing', title: 'Pricing', referrer: 'https://google.com/' } },
      { type: 'pageview', name: 'Pricing', url: 'https://x.example/pricing', title: 'Pricing', referrer: 'https://google.com/' },
    ],
    [
      'screen → pageview',
      { type: 'screen', name: 'Home', messageId: 'm4', userId: 7 },
      { type: 'pageview', name: 'Home', userId: '7', anonymousId: '7' },
    ],
    [
      'group → custom "$group" with the group id',
      { type: 'group', groupId: 'acme', messageId: 'm5', userId: 'u1', traits: { employees: 20 } },
      { type: 'custom', name: '$group', props: { groupId: 'acme', employees: 20 } },
    ],
    [
      'alias → previousId identified as userId',
      { type: 'alias', previousId: 'anon-9', userId: 'u1', messageId: 'm6' },
      { type: 'identify', anonymousId: 'anon-9', userId: 'u1' },
    ],
    [
      'a session per visitor and UTC day unless context.sessionId',
      { type: 'track', event: 'x', messageId: 'm7', anonymousId: 'a1', timestamp: '2026-11-28T23:59:59Z' },
      { sessionId: 'segment:a1:2026-11-28' },
    ],
    ['context.sessionId wins', { type: 'track', event: 'x', messageId: 'm8', anonymousId: 'a1', context: { sessionId: 1234 } }, { sessionId: '1234' }],
  ])('%s', (_label, message, expected) => {
    expect(map(message)).toMatchObject(expected);
  });

  it.each([
    ['no user at all', { type: 'track', event: 'x' }, 'anonymousId or userId is required'],
    ['identify without userId', { type: 'identify', anonymousId: 'a' }, 'identify needs a userId'],
    ['alias without userId', { type: 'alias', previousId: 'a' }, 'alias needs a userId'],
    ['a timestamp no date can hold', { type: 'track', event: 'x', userId: 'u', timestamp: 1e20 }, 'timestamp is out of range'],
    ['an originalTimestamp no date can hold', { type: 'identify', userId: 'u', originalTimestamp: 8640000000000001 }, 'timestamp is out of range'],
  ])('refuses %s', (_label, message, error) => {
    expect(map(message)).toBe(error);
  });

  it('rejects shapes Segment would reject', () => {
    expect(segmentMessageSchema.safeParse({ type: 'track', userId: 'u' }).success).toBe(false); // no event
    expect(segmentMessageSchema.safeParse({ type: 'fly', userId: 'u' }).success).toBe(false);
    expect(segmentMessageSchema.safeParse({ type: 'group', userId: 'u' }).success).toBe(false); // no groupId
  });

  it('keeps ids up to 64 characters and hashes longer ones stably', () => {
    expect(fitId('abc')).toBe('abc');
    const long = 'x'.repeat(100);
    expect(fitId(long)).toHaveLength(64);
    expect(fitId(long)).toBe(fitId(long));
    // a message without messageId still gets a stable id (so a retry dedupes)
    const m = { type: 'track', event: 'x', userId: 'u', timestamp: '2026-01-01T00:00:00Z' };
    expect((map(m) as { id: string }).id).toBe((map(m) as { id: string }).id);
  });
});
