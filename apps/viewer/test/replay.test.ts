import { describe, expect, it } from 'vitest';
import type { RawEvent } from '@hindsight/schema';
import { buildMarkers, describeEvent, eventIndexAt, shortUrl, urlAt } from '../src/lib/replay';
import { draftToRule, emptyDraft, ruleToDraft, summarizeRule, summarizeRules } from '../src/lib/rules';

const ev = (type: RawEvent['type'], ts: number, extra: Partial<RawEvent> = {}): RawEvent => ({
  id: `${type}-${ts}`,
  type,
  ts,
  sessionId: 's',
  anonymousId: 'a',
  url: 'http://shop.test/',
  ...extra,
});

describe('replay helpers', () => {
  it('eventIndexAt finds the last event at or before t', () => {
    const list = [{ ts: 10 }, { ts: 20 }, { ts: 20 }, { ts: 30 }];
    expect(eventIndexAt(list, 5)).toBe(-1);
    expect(eventIndexAt(list, 10)).toBe(0);
    expect(eventIndexAt(list, 25)).toBe(2);
    expect(eventIndexAt(list, 99)).toBe(3);
    expect(eventIndexAt([], 1)).toBe(-1);
  });

  it('buildMarkers keeps clicks, pageviews and errors, clamped to the timeline', () => {
    const m = buildMarkers([ev('pageview', 900), ev('click', 1500), ev('change', 1600), ev('error', 2000, { name: 'boom' }), ev('click', 9000)], 1000, 1000);
    expect(m.map((x) => [x.kind, x.offset, x.pct])).toEqual([
      ['pageview', 0, 0],
      ['click', 500, 50],
      ['error', 1000, 100],
      ['click', 1000, 100],
    ]);
  });

  it('urlAt follows page loads (rrweb Meta) and SPA pageviews', () => {
    const replay = [
      { type: 4, timestamp: 100, data: { href: 'http://shop.test/', width: 1, height: 1 } },
      { type: 2, timestamp: 101, data: {} },
      { type: 4, timestamp: 500, data: { href: 'http://shop.test/cart', width: 1, height: 1 } },
    ];
    const events = [ev('pageview', 300, { url: 'http://shop.test/product/mug' })];
    expect(urlAt(replay, events, 50)).toBe('http://shop.test/');
    expect(urlAt(replay, events, 200)).toBe('http://shop.test/');
    expect(urlAt(replay, events, 300)).toBe('http://shop.test/product/mug');
    expect(urlAt(replay, events, 600)).toBe('http://shop.test/cart');
  });

  it.each([
    ['http://a.test/x/y?q=1#h', '/x/y?q=1#h'],
    ['http://a.test', '/'],
    ['not a url', 'not a url'],
  ])('shortUrl(%s)', (u, out) => expect(shortUrl(u)).toBe(out));

  it('describeEvent', () => {
    expect(describeEvent(ev('pageview', 1, { url: 'http://a.test/cart' }))).toBe('/cart');
    expect(describeEvent(ev('custom', 1, { name: 'Order completed' }))).toBe('Order completed');
    expect(describeEvent(ev('error', 1, { name: 'TypeError: x' }))).toBe('TypeError: x');
    expect(describeEvent(ev('identify', 1, { userId: 'ana' }))).toBe('ana');
    expect(describeEvent(ev('network_error', 1, { props: { method: 'GET', status: 500, url: '/api' } }))).toBe('GET 500 /api');
    expect(describeEvent(ev('click', 1, { chain: [{ tag: 'button', attrs: { class: 'pay' }, nth: [1, 1, 1, 1], text: 'Pay now' }] }))).toBe('button.pay "Pay now"');
  });
});

describe('rule drafts', () => {
  it('drops empty conditions', () => {
    expect(draftToRule(emptyDraft())).toEqual({ event: 'click' });
    expect(draftToRule({ ...emptyDraft(), selector: ' button.buy ', text: 'Pay', url: '/cart$', urlOp: 'regex' })).toEqual({
      event: 'click',
      selector: 'button.buy',
      text: { op: 'contains', value: 'Pay' },
      url: { op: 'regex', value: '/cart$' },
    });
  });

  it('round-trips rules, plain-string names become exact', () => {
    const r = { event: 'custom', name: { op: 'contains' as const, value: 'Order' }, url: { op: 'exact' as const, value: 'http://a/' } };
    expect(draftToRule(ruleToDraft(r))).toEqual(r);
    expect(draftToRule(ruleToDraft({ event: 'custom', name: 'Signup' }))).toEqual({ event: 'custom', name: { op: 'exact', value: 'Signup' } });
  });

  it('summarizes', () => {
    expect(summarizeRule({ event: 'click', selector: 'button.checkout', text: { op: 'contains', value: 'Pay' }, url: { op: 'regex', value: '/cart$' } })).toBe(
      'click on button.checkout · text contains "Pay" · url ~ //cart$/',
    );
    expect(summarizeRules([{ event: 'pageview' }, { event: 'custom', name: 'X' }])).toBe('pageview  or  custom · name = "X"');
  });
});
