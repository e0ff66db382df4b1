// Retention and time-to-event, on data built so the answers are known by hand. Runs inside the
// insights contract (insights-contract.ts), so against every store.
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventFilter, Store, StoredEvent } from '../src/types.js';
import { chainOf, ev, freshProject } from './fixtures/events.js';
import { chainHash } from '../src/chain-hash.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Monday 2024-01-01T00:00:00Z */
const MON = Date.UTC(2024, 0, 1);
const named = (name: string): EventFilter => ({ types: ['custom'], name: { op: 'exact', value: name } });

export function cohortsSuite(getStore: () => Store): void {
  describe('retention', () => {
    let p: string;
    let n = 0;
    const e = (anon: string, name: string, ts: number, extra: Partial<StoredEvent> = {}): StoredEvent =>
      ev({ id: `r${String(++n).padStart(3, '0')}`, type: 'custom', name, anonymousId: anon, sessionId: `s-${anon}`, ts, ...extra });
    const events: StoredEvent[] = [
      // u1 (Mon cohort): returns Tue (twice: one user once) and Thu; tour and invite within 48 h
      e('a1', 'signup', MON + HOUR),
      e('a1', 'tour', MON + 2 * HOUR),
      e('a1', 'invite', MON + 40 * HOUR),
      e('a1', 'use', MON + DAY + 2 * HOUR),
      e('a1', 'use', MON + DAY + 5 * HOUR),
      e('a1', 'use', MON + 3 * DAY),
      // u2 (Mon): uses before signing up on the same day (period 0 only), returns Wed; a second
      // signup does not move the cohort; invite 49 h after signup (too late)
      e('a2', 'use', MON + 9 * HOUR),
      e('a2', 'signup', MON + 10 * HOUR),
      e('a2', 'tour', MON + 11 * HOUR),
      e('a2', 'signup', MON + 2 * DAY),
      e('a2', 'use', MON + 2 * DAY + HOUR),
      e('a2', 'invite', MON + 59 * HOUR),
      // u3 = a3 + a4 (identified as one user): signs up Tue on one device, returns Wed on another
      e('a3', 'signup', MON + DAY + 3 * HOUR),
      e('a3', 'x', MON + DAY + 4 * HOUR, { type: 'identify', name: undefined, userId: 'user3' }),
      e('a4', 'use', MON + 2 * DAY + HOUR, { userId: 'user3' }),
      // u4: first signup on the Sunday before `from`: never in a cohort, though it signs up again
      e('a5', 'signup', MON - DAY),
      e('a5', 'signup', MON + DAY),
      e('a5', 'use', MON + 2 * DAY),
      // u5 (Tue, last minute): returns Wed and 7 days later (beyond 3 periods); tour + invite right away
      e('a6', 'signup', MON + 2 * DAY - MIN),
      e('a6', 'tour', MON + 2 * DAY - MIN + 1),
      e('a6', 'invite', MON + 2 * DAY - MIN + 2),
      e('a6', 'use', MON + 2 * DAY),
      e('a6', 'use', MON + 8 * DAY),
      // u6: only uses: no cohort
      e('a7', 'use', MON + DAY),
      // u7 (Thu, exactly at `to`): tour just BEFORE signup does not count
      e('a8', 'tour', MON + 3 * DAY + HOUR - 1),
      e('a8', 'signup', MON + 3 * DAY + HOUR),
      e('a8', 'invite', MON + 3 * DAY + 2 * HOUR),
      e('a8', 'use', MON + 4 * DAY),
      // u8: signs up 1 ms after `to`
      e('a9', 'signup', MON + 3 * DAY + HOUR + 1),
      e('a9', 'use', MON + 4 * DAY),
    ];
    const opts = { interval: 'day' as const, from: MON, to: MON + 3 * DAY + HOUR, periods: 3 };

    beforeAll(async () => {
      p = freshProject('retention');
      await getStore().append(p, events, []);
      await getStore().append(p, events.slice(0, 5), []); // a retried batch counts once
    });

    it('cohorts by the first start event, counts users returning per period', async () => {
      const r = await getStore().retention(p, [named('signup')], [named('use')], opts);
      expect(r.split).toBeUndefined();
      expect(r.cohorts).toEqual([
        { t: MON, users: 2, returned: [2, 1, 1, 1] },
        { t: MON + DAY, users: 2, returned: [2, 2, 0, 0] },
        { t: MON + 2 * DAY, users: 0, returned: [0, 0, 0, 0] },
        { t: MON + 3 * DAY, users: 1, returned: [1, 1, 0, 0] },
      ]);
    });

    it('splits cohorts by "did every step within the window after the start event"', async () => {
      const r = await getStore().retention(p, [named('signup')], [named('use')], {
        ...opts,
        split: { steps: [[named('tour')], [named('invite')]], withinMs: 48 * HOUR },
      });
      expect(r.split!.did).toEqual([
        { t: MON, users: 1, returned: [1, 1, 0, 1] },
        { t: MON + DAY, users: 1, returned: [1, 1, 0, 0] },
        { t: MON + 2 * DAY, users: 0, returned: [0, 0, 0, 0] },
        { t: MON + 3 * DAY, users: 0, returned: [0, 0, 0, 0] },
      ]);
      expect(r.split!.didNot).toEqual([
        { t: MON, users: 1, returned: [1, 0, 1, 0] },
        { t: MON + DAY, users: 1, returned: [1, 1, 0, 0] },
        { t: MON + 2 * DAY, users: 0, returned: [0, 0, 0, 0] },
        { t: MON + 3 * DAY, users: 1, returned: [1, 1, 0, 0] },
      ]);
      // the split tables add up to the whole
      expect(r.cohorts.map((c) => c.users)).toEqual([2, 2, 0, 1]);
    });

    it('weekly cohorts, and returning counted on any event type', async () => {
      const r = await getStore().retention(p, [named('signup')], [{}], { interval: 'week', from: MON, to: MON + 6 * DAY, periods: 1 });
      // week 1 cohort: u1, u2, u3, u5, u7, u8; week 2 events: u5 (MON+8d)
      expect(r.cohorts).toEqual([{ t: MON, users: 6, returned: [6, 1] }]);
    });

    it.each([
      ['hour interval', { ...opts, interval: 'hour' as never }],
      ['no periods', { ...opts, periods: 0 }],
      ['too many periods', { ...opts, periods: 61 }],
      ['fractional periods', { ...opts, periods: 1.5 }],
      ['to before from', { ...opts, to: MON - 1 }],
      ['empty split', { ...opts, split: { steps: [], withinMs: 1 } }],
      ['negative split window', { ...opts, split: { steps: [[named('tour')]], withinMs: -1 } }],
    ])('rejects %s with bad_input', async (_label, o) => {
      await expect(getStore().retention(p, [named('signup')], [named('use')], o)).rejects.toMatchObject({ code: 'bad_input' });
    });
  });

  describe('time to event', () => {
    let p: string;
    let n = 0;
    const e = (anon: string, name: string, ts: number, extra: Partial<StoredEvent> = {}): StoredEvent =>
      ev({ id: `t${String(++n).padStart(3, '0')}`, type: 'custom', name, anonymousId: anon, sessionId: `s-${anon}`, ts, ...extra });
    const T = MON + HOUR;
    const events: StoredEvent[] = [
      e('b1', 'A', T), e('b1', 'B', T + 5 * 1000), // 5 s
      e('b2', 'A', T), e('b2', 'B', T + 20 * 1000), e('b2', 'B', T + HOUR), // 20 s (the first B counts)
      e('b3', 'B', T), e('b3', 'A', T + MIN), e('b3', 'B', T + 3 * MIN), // B before A ignored: 2 min
      e('b4', 'A', T), e('b4', 'A', T + HOUR), e('b4', 'B', T + 2 * HOUR), // from the FIRST A: 2 h
      e('b5', 'A', T), // never converts
      e('b6', 'A', T), e('b6', 'B', T + 3 * DAY), // 3 days: beyond the 2-day window
      e('b7', 'A', T + DAY), e('b7', 'x', T + DAY, { type: 'identify', name: undefined, userId: 'user7' }),
      e('b7b', 'B', T + DAY + 10 * MIN, { userId: 'user7' }), // another device of user7: 10 min
      e('b8', 'A', MON - HOUR), e('b8', 'B', T), // A before `from`: not counted
      e('b9', 'A', T + 2 * DAY + 1), e('b9', 'B', T + 2 * DAY + 2), // A after `to`
      e('b10', 'A', T), e('b10', 'B', T), // same ms, another event: 0 ms
    ];
    const opts = { from: MON, to: T + 2 * DAY, windowMs: 2 * DAY };
    beforeAll(async () => {
      p = freshProject('tte');
      await getStore().append(p, events, []);
    });

    it('measures from each user\'s first start event to the first end event after it', async () => {
      const r = await getStore().timeToEvent(p, [named('A')], [named('B')], opts);
      // times: b10 0, b1 5 s, b2 20 s, b3 2 min, b7 10 min, b4 2 h; users b1–b7 (b7 = user7), b10
      expect(r.users).toBe(8);
      expect(r.converted).toBe(6);
      // nearest rank: median = 3rd of 6 (20 s), p90 = 6th (2 h)
      expect(r.medianMs).toBe(20_000);
      expect(r.p90Ms).toBe(2 * HOUR);
      const h = Object.fromEntries(r.histogram.filter((b) => b.users > 0).map((b) => [b.fromMs, b.users]));
      expect(h).toEqual({ 0: 2, 10_000: 1, [MIN]: 1, [5 * MIN]: 1, [HOUR]: 1 });
      expect(r.histogram.reduce((s, b) => s + b.users, 0)).toBe(6);
      expect(r.histogram[0]).toMatchObject({ fromMs: 0, toMs: 10_000 });
      expect(r.histogram[r.histogram.length - 1].toMs).toBeNull();
    });

    it('the same event cannot be start and end; an event after it at the same ms can', async () => {
      const r = await getStore().timeToEvent(p, [named('A')], [named('A')], { from: T, to: T, windowMs: HOUR });
      // b4: first A at T, second A at T + 1 h (within the window); nobody else has two A
      expect(r).toMatchObject({ users: 6, converted: 1, medianMs: HOUR, p90Ms: HOUR });
    });

    it('reports no times when nobody converts', async () => {
      const r = await getStore().timeToEvent(p, [named('A')], [named('nothing')], opts);
      expect(r).toMatchObject({ users: 8, converted: 0, medianMs: null, p90Ms: null });
    });

    it.each([
      ['negative window', { ...opts, windowMs: -1 }],
      ['to before from', { ...opts, to: opts.from - 1 }],
      ['NaN from', { ...opts, from: Number.NaN }],
    ])('rejects %s with bad_input', async (_label, o) => {
      await expect(getStore().timeToEvent(p, [named('A')], [named('B')], o)).rejects.toMatchObject({ code: 'bad_input' });
    });
  });

  describe('trend breakdown', () => {
    let p: string;
    let n = 0;
    const skuA = chainOf('button', { 'data-sku': 'A1' });
    const skuB = chainOf('button', { 'data-sku': 'B2' });
    const plain = chainOf('a');
    const click = (anon: string, ts: number, url: string, extra: Partial<StoredEvent> = {}): StoredEvent =>
      ev({ id: `k${String(++n).padStart(3, '0')}`, type: 'click', anonymousId: anon, sessionId: `s-${anon}`, ts, url, chain: plain, ...extra });
    const events: StoredEvent[] = [
      click('a1', MON + HOUR, 'https://shop.example/cart?utm_source=news', { referrer: 'https://www.google.com/search?q=x', chain: skuA, props: { plan: 'pro', $browser: 'Chrome' } }),
      click('a1', MON + DAY + HOUR, 'https://shop.example/cart', { chain: skuA, props: { meta: { deep: [1, 2] }, plan: 'pro', $browser: 'Firefox' } }),
      click('a2', MON + 2 * HOUR, 'https://shop.example/home?utm_source=ads#top', { referrer: 'http://news.example:8080/a', chain: skuB, props: { plan: 7, $browser: 'Chrome' } }),
      click('a3', MON + 2 * HOUR, 'https://shop.example/cart', { props: { other: 'x' } }),
      click('a4', MON + 3 * HOUR, 'https://shop.example/p/1'),
      click('a5', MON + DAY, 'https://shop.example/p/1?x=1'),
      ev({ id: 'k-id4', type: 'identify', anonymousId: 'a4', sessionId: 's-a4', ts: MON + 4 * HOUR, userId: 'U' }),
      ev({ id: 'k-id5', type: 'identify', anonymousId: 'a5', sessionId: 's-a5', ts: MON + DAY + 1, userId: 'U' }),
      ev({ id: 'k-paid1', type: 'custom', name: 'Paid', anonymousId: 'a1', sessionId: 's-a1', ts: MON + 5 * HOUR }),
      ev({ id: 'k-paid2', type: 'custom', name: 'Paid', anonymousId: 'a2', sessionId: 's-a2', ts: MON + 6 * HOUR }),
      ev({ id: 'k-sign', type: 'custom', name: 'Signed up', anonymousId: 'a3', sessionId: 's-a3', ts: MON + 7 * HOUR }),
    ];
    const clicks: EventFilter[] = [{ types: ['click'] }];
    const day = { interval: 'day' as const, from: MON, to: MON + 2 * DAY - 1 };
    const totals = (r: { value: string; total: number }[]) => r.map((x) => [x.value, x.total]);
    beforeAll(async () => {
      p = freshProject('breakdown');
      await getStore().append(p, events, []);
    });

    it('by URL path: per-value series, most events first, limited', async () => {
      const r = await getStore().trendBreakdown(p, clicks, { ...day, breakdown: { kind: 'url_path' } });
      expect(totals(r)).toEqual([['/cart', 3], ['/p/1', 2], ['/home', 1]]);
      expect(r[0].points).toEqual([
        { t: MON, events: 2, users: 2 },
        { t: MON + DAY, events: 1, users: 1 },
      ]);
      const top = await getStore().trendBreakdown(p, clicks, { ...day, breakdown: { kind: 'url_path' }, limit: 2 });
      expect(totals(top)).toEqual([['/cart', 3], ['/p/1', 2]]);
      // one user over two devices in one week bucket
      const week = await getStore().trendBreakdown(p, clicks, { interval: 'week', from: MON, to: MON + 2 * DAY, breakdown: { kind: 'url_path' } });
      expect(week.find((x) => x.value === '/p/1')?.points).toEqual([{ t: MON, events: 2, users: 1 }]);
    });

    it('by referrer domain, utm_source and event name', async () => {
      expect(totals(await getStore().trendBreakdown(p, clicks, { ...day, breakdown: { kind: 'referrer_domain' } }))).toEqual([
        ['', 4],
        ['news.example', 1],
        ['www.google.com', 1],
      ]);
      expect(totals(await getStore().trendBreakdown(p, clicks, { ...day, breakdown: { kind: 'utm_source' } }))).toEqual([
        ['', 4],
        ['ads', 1],
        ['news', 1],
      ]);
      expect(totals(await getStore().trendBreakdown(p, [{ types: ['custom'] }], { ...day, breakdown: { kind: 'event_name' } }))).toEqual([
        ['Paid', 2],
        ['Signed up', 1],
      ]);
    });

    it('by an event property: top-level string values, others empty', async () => {
      expect(totals(await getStore().trendBreakdown(p, clicks, { ...day, breakdown: { kind: 'prop', name: 'plan' } }))).toEqual([
        ['', 4], // a number, an absent key, no props
        ['pro', 2],
      ]);
      expect(totals(await getStore().trendBreakdown(p, clicks, { ...day, breakdown: { kind: 'prop', name: '$browser' } }))).toEqual([
        ['', 3],
        ['Chrome', 2],
        ['Firefox', 1],
      ]);
    });

    it('by a value per element chain (extracted properties)', async () => {
      const values = { [chainHash(skuA)]: 'A1', [chainHash(skuB)]: 'B2' };
      expect(totals(await getStore().trendBreakdown(p, clicks, { ...day, breakdown: { kind: 'chain', values } }))).toEqual([
        ['', 3],
        ['A1', 2],
        ['B2', 1],
      ]);
      expect(totals(await getStore().trendBreakdown(p, clicks, { ...day, breakdown: { kind: 'chain', values: {} } }))).toEqual([['', 6]]);
    });

    it.each([
      ['unknown kind', { kind: 'browser' }, 10],
      ['limit 0', { kind: 'url_path' }, 0],
      ['limit 51', { kind: 'url_path' }, 51],
      ['non-string chain value', { kind: 'chain', values: { x: 1 } }, 10],
      ['property name with a quote', { kind: 'prop', name: 'a"b' }, 10],
      ['empty property name', { kind: 'prop', name: '' }, 10],
    ])('rejects %s with bad_input', async (_label, breakdown, limit) => {
      await expect(getStore().trendBreakdown(p, clicks, { ...day, breakdown: breakdown as never, limit })).rejects.toMatchObject({ code: 'bad_input' });
    });
  });
}
