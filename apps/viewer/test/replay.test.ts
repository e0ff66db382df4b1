import { describe, expect, it } from 'vitest';
import type { RawEvent } from '@hindsight/schema';
import { buildMarkers, describeEvent, eventIndexAt, pageChanges, pageUrlAt, sanitizeReplay, shortUrl } from '../src/lib/replay';
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

  it('pageUrlAt follows page loads (rrweb Meta) and SPA pageviews', () => {
    // page loads as the replay index lists them (ReplayFeed.pages), out of order on purpose
    const pages = [
      { ts: 500, url: 'http://shop.test/cart' },
      { ts: 100, url: 'http://shop.test/' },
    ];
    const events = [ev('click', 200), ev('pageview', 300, { url: 'http://shop.test/product/mug' })];
    const changes = pageChanges(pages, events);
    expect(changes.map((c) => c.ts)).toEqual([100, 300, 500]);
    expect(pageUrlAt(changes, 50)).toBe('http://shop.test/'); // before the first: the first
    expect(pageUrlAt(changes, 200)).toBe('http://shop.test/');
    expect(pageUrlAt(changes, 300)).toBe('http://shop.test/product/mug');
    expect(pageUrlAt(changes, 600)).toBe('http://shop.test/cart');
    expect(pageUrlAt([], 600)).toBe('');
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

describe('sanitizeReplay (untrusted recordings)', () => {
  const link = (id: number, attributes: Record<string, unknown>) => ({ type: 2, tagName: 'link', id, attributes, childNodes: [] });
  const snapshot = (...nodes: unknown[]) => ({
    type: 2,
    timestamp: 1,
    data: { node: { type: 0, id: 100, childNodes: [{ type: 2, tagName: 'head', id: 101, attributes: {}, childNodes: nodes }] } },
  });
  const mutation = (data: Record<string, unknown>) => ({ type: 3, timestamp: 2, data: { source: 0, adds: [], removes: [], texts: [], attributes: [], ...data } });
  const attrsOf = (e: any) => e.data.node.childNodes[0].childNodes[0].attributes;

  it.each([
    ['prefetch', { rel: 'prefetch', href: 'http://x/p' }, { rel: 'prefetch' }],
    ['upper-case rel', { rel: 'PreFetch', href: 'http://x/p' }, { rel: 'PreFetch' }],
    ['preload with imagesrcset', { rel: 'preload', as: 'image', href: 'http://x/i', imagesrcset: 'http://x/i 1x' }, { rel: 'preload', as: 'image' }],
    ['no rel', { href: 'http://x/p' }, {}],
    ['stylesheet', { rel: 'stylesheet', href: 'http://x/s.css' }, { rel: 'stylesheet', href: 'http://x/s.css' }],
    ['alternate stylesheet', { rel: 'alternate stylesheet', href: 'http://x/s.css' }, { rel: 'alternate stylesheet', href: 'http://x/s.css' }],
  ])('full snapshot link: %s', (_name, attrs, want) => {
    const e = snapshot(link(1, { ...attrs }));
    sanitizeReplay([e]);
    expect(attrsOf(e)).toEqual(want);
  });

  it('strips links added by mutations, nested or not', () => {
    const m = mutation({
      adds: [
        { parentId: 101, nextId: null, node: link(2, { rel: 'prefetch', href: 'http://x/a' }) },
        { parentId: 101, nextId: null, node: { type: 2, tagName: 'div', id: 3, attributes: {}, childNodes: [link(4, { rel: 'prerender', href: 'http://x/b' })] } },
      ],
    });
    sanitizeReplay([snapshot(), m]);
    expect((m.data.adds as any)[0].node.attributes).toEqual({ rel: 'prefetch' });
    expect((m.data.adds as any)[1].node.childNodes[0].attributes).toEqual({ rel: 'prerender' });
  });

  it('attribute changes cannot turn a link into a prefetch, nor give a prefetch a URL', () => {
    const m = mutation({
      attributes: [
        { id: 1, attributes: { rel: 'prefetch' } },
        { id: 2, attributes: { href: 'http://x/late' } },
        { id: 5, attributes: { href: 'http://x/not-a-link' } },
      ],
    });
    sanitizeReplay([snapshot(link(1, { rel: 'stylesheet', href: 'http://x/s.css' }), link(2, { rel: 'prefetch' })), m]);
    const out = m.data.attributes as any[];
    expect(out[0].attributes).toEqual({ href: null, imagesrcset: null, rel: 'prefetch' });
    // removals come first, before the new rel applies
    expect(Object.keys(out[0].attributes)[0]).toBe('href');
    expect(out[1].attributes).toEqual({ href: null, imagesrcset: null });
    expect(out[2].attributes).toEqual({ href: 'http://x/not-a-link' });
  });

  it('keeps stylesheet links working and tolerates junk', () => {
    const m = mutation({ attributes: [{ id: 1, attributes: { href: 'http://x/t.css' } }, null, { id: 1 }] });
    const junk = [null, 7, { type: 3 }, { type: 3, data: { source: 0, adds: [{}, { node: null }], attributes: 'x' } }] as any[];
    expect(() => sanitizeReplay([snapshot(link(1, { rel: 'stylesheet', href: 'http://x/s.css' })), m, ...junk])).not.toThrow();
    expect((m.data.attributes as any[])[0].attributes).toEqual({ href: 'http://x/t.css' });
  });
});
