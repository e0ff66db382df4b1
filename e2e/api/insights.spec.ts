// Trends and funnels through HTTP, on hand-made batches whose answers are known by hand:
// selector rules decided over stored chains, definitions by id, identify linking anonymous ids,
// a batch posted twice, bucket boundaries and the funnel window.
import { expect, test } from '@playwright/test';
import type { ChainElement, RawEvent } from '@hindsight/schema';
import { batch, eventId, postBatch } from '../helpers/batches.js';
import { startServer, type RunningServer } from '../helpers/server.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** last week's Monday 00:00Z (7 to 13 days ago): every event is in the past and within the 30-day horizon */
const M = (() => {
  const today = Math.floor(Date.now() / DAY) * DAY;
  const dow = (new Date(today).getUTCDay() + 6) % 7; // 0 = Monday
  return today - dow * DAY - 7 * DAY;
})();

const el = (tag: string, attrs: Record<string, string> = {}, text?: string): ChainElement => ({
  tag,
  attrs,
  nth: [1, 1, 1, 1],
  ...(text ? { text } : {}),
});
/** a click on the <svg> inside button.buy: closest('button.buy') matches */
const BUY = [el('svg'), el('button', { class: 'btn buy', 'data-sku': 'MUG' }, 'Buy'), el('form', { id: 'checkout' }), el('body'), el('html')];
const OTHER = [el('button', { class: 'btn other', 'data-sku': 'TEE' }, 'Later'), el('form', { id: 'checkout' }), el('body'), el('html')];

function e(anon: string, type: RawEvent['type'], ts: number, extra: Partial<RawEvent> = {}): RawEvent {
  return { id: eventId(), type, ts, sessionId: `s-${anon}`, anonymousId: anon, url: 'https://shop.example/cart', ...extra };
}
const cart = (anon: string, ts: number): RawEvent => e(anon, 'pageview', ts);
const buy = (anon: string, ts: number, chain = BUY): RawEvent => e(anon, 'click', ts, { chain });
const paid = (anon: string, ts: number, extra: Partial<RawEvent> = {}): RawEvent => e(anon, 'custom', ts, { name: 'Paid', ...extra });

const events: RawEvent[] = [
  // alice: cart → buy (5m) → paid (10m) on a second device; identify links the first device
  cart('alice-1', M + HOUR),
  e('alice-1', 'identify', M + HOUR + MIN, { userId: 'alice' }),
  buy('alice-1', M + HOUR + 5 * MIN),
  paid('alice-2', M + HOUR + 15 * MIN, { userId: 'alice' }),
  // bob: cart → buy (10m); paid outside the 1h window
  cart('bob', M + 2 * HOUR),
  buy('bob', M + 2 * HOUR + 10 * MIN),
  paid('bob', M + 4 * HOUR),
  // carol: buy before cart
  buy('carol', M + 3 * HOUR),
  cart('carol', M + 3 * HOUR + 5 * MIN),
  // dave: cart → another button → buy (30m) → paid (20m)
  cart('dave', M + 5 * HOUR),
  buy('dave', M + 5 * HOUR + 10 * MIN, OTHER),
  buy('dave', M + 5 * HOUR + 30 * MIN),
  paid('dave', M + 5 * HOUR + 50 * MIN),
  // erin: another page only
  e('erin', 'pageview', M + 6 * HOUR, { url: 'https://shop.example/home' }),
  // coming back on later days (for retention): alice on day 1 (second device), dave on day 2, erin
  // (never on the cart) on day 1
  e('alice-2', 'custom', M + DAY + HOUR, { name: 'Returned', userId: 'alice' }),
  e('dave', 'custom', M + 2 * DAY, { name: 'Returned' }),
  e('erin', 'custom', M + DAY, { name: 'Returned' }),
];

const CART = [{ event: 'pageview', url: { op: 'contains', value: '/cart' } }];
const BUY_RULES = [{ event: 'click', selector: 'button.buy' }];

let s: RunningServer;
let paidId: string;
test.beforeAll(async () => {
  s = await startServer();
  for (let i = 0; i < 2; i++) {
    // posted twice: the second time everything is a duplicate
    const r = await postBatch(s.url, s.projectKey, batch(events));
    expect(r.status).toBe(200);
    expect((await r.json()).inserted).toBe(i === 0 ? events.length : 0);
  }
  paidId = (await s.api('/api/definitions', { method: 'POST', body: JSON.stringify({ name: 'Paid', rules: [{ event: 'custom', name: 'Paid' }] }) })).id;
});
test.afterAll(async () => s?.stop());

const post = (path: string, body: unknown) =>
  fetch(`${s.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

test('hourly trend of a selector rule, empty hours filled', async () => {
  const { series } = await s.api('/api/insights/trend', {
    method: 'POST',
    body: JSON.stringify({ rules: BUY_RULES, interval: 'hour', from: M, to: M + 6 * HOUR }),
  });
  const counts = [0, 1, 1, 1, 0, 1, 0]; // alice, bob, carol, -, dave (not his other button), -
  expect(series).toEqual(counts.map((n, i) => ({ t: M + i * HOUR, events: n, users: n })));
});

test('weekly trend of a definition by id: weeks start on Monday, users resolved through identify', async () => {
  const { series } = await s.api('/api/insights/trend', {
    method: 'POST',
    body: JSON.stringify({ definitionId: paidId, interval: 'week', from: M - 1, to: new Date(M + DAY).toISOString() }),
  });
  expect(series).toEqual([
    { t: M - 7 * DAY, events: 0, users: 0 },
    { t: M, events: 3, users: 3 }, // alice, bob, dave
  ]);
  // all cart pageviews and buy clicks of the day: alice counts once over her two devices
  const day = await s.api('/api/insights/trend', {
    method: 'POST',
    body: JSON.stringify({ rules: [...CART, ...BUY_RULES], interval: 'day', from: M, to: M + 12 * HOUR }),
  });
  expect(day.series).toEqual([{ t: M, events: 8, users: 4 }]);
  // UTC+1 days start at 23:00Z
  const local = await s.api('/api/insights/trend', {
    method: 'POST',
    body: JSON.stringify({ definitionId: paidId, interval: 'day', from: M, to: M + HOUR, tzOffsetMinutes: 60 }),
  });
  expect(local.series).toEqual([{ t: M - HOUR, events: 0, users: 0 }]);
});

test('funnel: users per step, conversion and median time from the previous step', async () => {
  const { steps } = await s.api('/api/insights/funnel', {
    method: 'POST',
    body: JSON.stringify({ steps: [{ rules: CART }, { rules: BUY_RULES }, { definitionId: paidId }], windowMs: HOUR, from: M, to: M + DAY }),
  });
  expect(steps).toEqual([
    { users: 4, conversion: 1, medianMsFromPrevious: null }, // alice bob carol dave
    { users: 3, conversion: 0.75, medianMsFromPrevious: 10 * MIN }, // 5m 10m 30m
    { users: 2, conversion: 0.5, medianMsFromPrevious: 15 * MIN }, // alice 10m, dave 20m
  ]);
  // a 3h window lets bob pay (1h50m after his buy click)
  const wide = await s.api('/api/insights/funnel', {
    method: 'POST',
    body: JSON.stringify({ steps: [{ rules: CART }, { rules: BUY_RULES }, { definitionId: paidId }], windowMs: 3 * HOUR, from: M, to: M + DAY }),
  });
  expect(wide.steps.map((x: { users: number }) => x.users)).toEqual([4, 3, 3]);
  expect(wide.steps[2].medianMsFromPrevious).toBe(20 * MIN); // 10m 20m 110m
});

test('funnel drop-offs: who stopped before each step, with a link into their replay', async () => {
  const q = { steps: [{ rules: CART }, { rules: BUY_RULES }, { definitionId: paidId }], windowMs: HOUR, from: M, to: M + DAY };
  const before1 = await s.api('/api/insights/funnel/dropoffs', { method: 'POST', body: JSON.stringify({ ...q, step: 1 }) });
  // carol viewed the cart after her click
  expect(before1.users).toEqual([{ user: 'carol', identified: false, sessionId: 's-carol', ts: M + 3 * HOUR + 5 * MIN, replayUrl: `/sessions/s-carol?t=${M + 3 * HOUR + 5 * MIN}` }]);
  const before2 = await s.api('/api/insights/funnel/dropoffs', { method: 'POST', body: JSON.stringify({ ...q, step: 2 }) });
  // bob paid outside the window: he stopped at his buy click
  expect(before2.users.map((u: { user: string; ts: number }) => [u.user, u.ts])).toEqual([['bob', M + 2 * HOUR + 10 * MIN]]);
  for (const step of [0, 3]) {
    const r = await post('/api/insights/funnel/dropoffs', { ...q, step });
    expect(r.status).toBe(400);
  }
});

test('funnel in any order: distinct steps within the window, whichever came first', async () => {
  const q = { steps: [{ rules: CART }, { rules: BUY_RULES }, { definitionId: paidId }], windowMs: HOUR, from: M, to: M + DAY, order: 'any' };
  const { steps } = await s.api('/api/insights/funnel', { method: 'POST', body: JSON.stringify(q) });
  expect(steps).toEqual([
    { users: 4, conversion: 1, medianMsFromPrevious: null }, // alice bob carol dave
    // carol's buy click before her cart view counts now: 5m (alice) 10m (bob) 5m (carol) 30m (dave)
    { users: 4, conversion: 1, medianMsFromPrevious: 7.5 * MIN },
    { users: 2, conversion: 0.5, medianMsFromPrevious: 15 * MIN }, // alice 10m, dave 20m
  ]);
  // "strict" is the default
  const strict = await s.api('/api/insights/funnel', { method: 'POST', body: JSON.stringify({ ...q, order: 'strict' }) });
  expect(strict.steps.map((x: { users: number }) => x.users)).toEqual([4, 3, 2]);
  // two steps done: carol stopped at her cart view (step 0 of the list, done second), bob at his click
  const two = await s.api('/api/insights/funnel/dropoffs', { method: 'POST', body: JSON.stringify({ ...q, step: 2 }) });
  expect(two.users).toEqual([
    { user: 'carol', identified: false, sessionId: 's-carol', ts: M + 3 * HOUR + 5 * MIN, replayUrl: `/sessions/s-carol?t=${M + 3 * HOUR + 5 * MIN}` },
    { user: 'bob', identified: false, sessionId: 's-bob', ts: M + 2 * HOUR + 10 * MIN, replayUrl: `/sessions/s-bob?t=${M + 2 * HOUR + 10 * MIN}` },
  ]);
  expect((await s.api('/api/insights/funnel/dropoffs', { method: 'POST', body: JSON.stringify({ ...q, step: 1 }) })).users).toEqual([]);
  expect((await post('/api/insights/funnel', { ...q, order: 'sideways' })).status).toBe(400);
});

test('trend compared with the previous period: same bucket count, just before', async () => {
  const r = await s.api('/api/insights/trend', {
    method: 'POST',
    body: JSON.stringify({ rules: BUY_RULES, interval: 'hour', from: M + 6 * HOUR, to: M + 12 * HOUR, compare: true }),
  });
  expect(r.series.map((p: { events: number }) => p.events)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  // [M+6h, M+12h] shifted 7 h back is [M-1h, M+5h]: dave's click at M+5h30 is after its end
  expect(r.previous).toEqual([0, 0, 1, 1, 1, 0, 0].map((n, i) => ({ t: M + (i - 1) * HOUR, events: n, users: n })));
});

test('retention: cohorts by first cart view, returning later, split by "clicked buy within 1 h"', async () => {
  const RETURNED = [{ event: 'custom', name: 'Returned' }];
  const r = await s.api('/api/insights/retention', {
    method: 'POST',
    body: JSON.stringify({ start: { rules: CART }, returning: { rules: RETURNED }, interval: 'day', periods: 2, from: M, to: M + DAY - 1 }),
  });
  expect(r.cohorts).toEqual([{ t: M, users: 4, returned: [4, 1, 1] }]); // alice day 1, dave day 2
  const split = await s.api('/api/insights/retention', {
    method: 'POST',
    body: JSON.stringify({
      start: { rules: CART },
      returning: { rules: RETURNED },
      interval: 'day',
      periods: 2,
      from: M,
      to: M + DAY - 1,
      split: { steps: [{ rules: BUY_RULES }], withinMs: HOUR },
    }),
  });
  expect(split.split.did).toEqual([{ t: M, users: 3, returned: [3, 1, 1] }]); // alice bob dave
  expect(split.split.didNot).toEqual([{ t: M, users: 1, returned: [1, 0, 0] }]); // carol clicked before
});

test('time to event: from the first cart view to payment within the window', async () => {
  const r = await s.api('/api/insights/time-to-event', {
    method: 'POST',
    body: JSON.stringify({ start: { rules: CART }, end: { definitionId: paidId }, windowMs: HOUR, from: M, to: M + DAY }),
  });
  // alice 15 min, dave 50 min; bob paid too late, carol never
  expect(r).toMatchObject({ users: 4, converted: 2, medianMs: 15 * MIN, p90Ms: 50 * MIN });
  expect(r.histogram.filter((b: { users: number }) => b.users > 0)).toEqual([{ fromMs: 15 * MIN, toMs: 30 * MIN, users: 1 }, { fromMs: 30 * MIN, toMs: HOUR, users: 1 }]);
});

test('breakdowns: by an extracted property, by event name; filter by a property value', async () => {
  const def = await s.api('/api/definitions', {
    method: 'POST',
    body: JSON.stringify({
      name: 'Button click',
      rules: [{ event: 'click', selector: 'button' }],
      properties: [{ name: 'sku', attr: 'data-sku' }, { name: 'label', text: true }],
    }),
  });
  expect(def.properties).toHaveLength(2);
  const q = { definitionId: def.id, interval: 'day', from: M, to: M + DAY - 1 };
  const bySku = await s.api('/api/insights/trend', { method: 'POST', body: JSON.stringify({ ...q, breakdown: { by: 'property', name: 'sku' } }) });
  expect(bySku.series).toEqual([{ t: M, events: 5, users: 4 }]);
  // the sku of the button closest('button') found, though alice clicked its <svg>
  expect(bySku.breakdown).toEqual([
    { value: 'MUG', total: 4, points: [{ t: M, events: 4, users: 4 }] },
    { value: 'TEE', total: 1, points: [{ t: M, events: 1, users: 1 }] },
  ]);
  const byLabel = await s.api('/api/insights/trend', { method: 'POST', body: JSON.stringify({ ...q, breakdown: { by: 'property', name: 'label' }, limit: 1 }) });
  expect(byLabel.breakdown.map((b: { value: string }) => b.value)).toEqual(['Buy']);
  const tee = await s.api('/api/insights/trend', { method: 'POST', body: JSON.stringify({ ...q, where: { property: 'sku', value: 'TEE' } }) });
  expect(tee.series).toEqual([{ t: M, events: 1, users: 1 }]); // dave's other button
  const names = await s.api('/api/insights/trend', {
    method: 'POST',
    body: JSON.stringify({ rules: [{ event: 'custom' }], interval: 'week', from: M, to: M + 3 * DAY, breakdown: { by: 'event_name' } }),
  });
  expect(names.breakdown.map((b: { value: string; total: number }) => [b.value, b.total])).toEqual([['Paid', 3], ['Returned', 3]]);
  // a property the definition does not extract
  const bad = await post('/api/insights/trend', { ...q, breakdown: { by: 'property', name: 'price' } });
  expect(bad.status).toBe(400);
  expect((await bad.json()).error.code).toBe('unknown_property');
  const adhoc = await post('/api/insights/trend', { rules: BUY_RULES, interval: 'day', from: M, to: M + DAY, where: { property: 'sku', value: 'MUG' } });
  expect(adhoc.status).toBe(400);
});

test('breakdowns by browser, device type and a track() property; the User-Agent is read at ingest', async () => {
  const UA = {
    iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0',
  };
  const send = async (ua: string, events: RawEvent[]) => {
    const r = await fetch(`${s.url}/v1/batch?key=${s.projectKey}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': ua },
      body: JSON.stringify(batch(events)),
    });
    expect(r.status).toBe(200);
  };
  const ev = (anon: string, plan: unknown, ts: number) => e(anon, 'custom', ts, { name: 'Upgraded', props: { plan } });
  await send(UA.iphone, [ev('ua-1', 'pro', M + HOUR), ev('ua-1', 'team', M + 2 * HOUR)]);
  await send(UA.firefox, [ev('ua-2', 'pro', M + HOUR), ev('ua-3', 12, M + HOUR)]);
  const q = { rules: [{ event: 'custom', name: 'Upgraded' }], interval: 'day', from: M, to: M + DAY - 1 };
  const by = async (breakdown: unknown) =>
    (await s.api('/api/insights/trend', { method: 'POST', body: JSON.stringify({ ...q, breakdown }) })).breakdown.map((b: { value: string; total: number }) => [b.value, b.total]);
  expect(await by({ by: 'browser' })).toEqual([['Firefox', 2], ['Safari', 2]]);
  expect(await by({ by: 'device_type' })).toEqual([['desktop', 2], ['mobile', 2]]);
  expect(await by({ by: 'os' })).toEqual([['Linux', 2], ['iOS', 2]]);
  expect(await by({ by: 'event_property', name: 'plan' })).toEqual([['pro', 2], ['', 1], ['team', 1]]); // 12 is not a string
  const bad = await post('/api/insights/trend', { ...q, breakdown: { by: 'event_property', name: 'a"b' } });
  expect(bad.status).toBe(400);
});

test('bad insight queries are 4xx JSON errors', async () => {
  const cases: [string, unknown, number, string?][] = [
    ['/api/insights/trend', { rules: BUY_RULES, interval: 'month', from: M, to: M + DAY }, 400],
    ['/api/insights/trend', { rules: BUY_RULES, interval: 'day', from: M + DAY, to: M }, 400],
    ['/api/insights/trend', { rules: BUY_RULES, interval: 'hour', from: 0, to: M }, 400],
    ['/api/insights/trend', { rules: BUY_RULES, interval: 'day', from: M, to: M, tzOffsetMinutes: 5000 }, 400],
    ['/api/insights/trend', { definitionId: 'nope', interval: 'day', from: M, to: M + DAY }, 404],
    ['/api/insights/funnel', { steps: [], windowMs: HOUR, from: M, to: M + DAY }, 400],
    ['/api/insights/funnel', { steps: [{ rules: CART }], windowMs: -1, from: M, to: M + DAY }, 400],
    ['/api/insights/funnel', { steps: [{ rules: [{ event: 'click', selector: 'button[' }] }], windowMs: HOUR, from: M, to: M + DAY }, 400],
    ['/api/insights/retention', { start: { rules: CART }, returning: { rules: CART }, interval: 'hour', periods: 2, from: M, to: M + DAY }, 400],
    ['/api/insights/retention', { start: { rules: CART }, returning: { rules: CART }, interval: 'day', periods: 0, from: M, to: M + DAY }, 400],
    ['/api/insights/retention', { start: { rules: CART }, returning: { definitionId: 'nope' }, interval: 'day', periods: 2, from: M, to: M + DAY }, 404],
    ['/api/insights/retention', { start: { rules: CART }, returning: { rules: CART }, interval: 'day', periods: 2, from: 0, to: M }, 400],
    ['/api/insights/retention', { start: { rules: CART }, returning: { rules: CART }, interval: 'day', periods: 2, from: M, to: M + DAY, split: { steps: [], withinMs: 1 } }, 400],
    ['/api/insights/time-to-event', { start: { rules: CART }, end: { rules: CART }, windowMs: 0, from: M, to: M + DAY }, 400],
    ['/api/insights/time-to-event', { start: { rules: CART }, windowMs: HOUR, from: M, to: M + DAY }, 400],
    ['/api/insights/trend', { rules: BUY_RULES, interval: 'day', from: M, to: M + DAY, compare: 'yes' }, 400],
    ['/api/insights/trend', { rules: BUY_RULES, interval: 'day', from: M, to: M + DAY, breakdown: { by: 'screen_size' } }, 400],
    ['/api/insights/trend', { rules: BUY_RULES, interval: 'day', from: M, to: M + DAY, breakdown: { by: 'url_path' }, limit: 0 }, 400],
  ];
  for (const [path, body, status] of cases) {
    const r = await post(path, body);
    expect(r.status, JSON.stringify(body)).toBe(status);
    expect((await r.json()).error.code).toEqual(expect.any(String));
  }
});

test('bucket caps count the partial buckets at both ends; fractional ms are that ms', async () => {
  const trend = (from: number, to: number, interval = 'hour') => post('/api/insights/trend', { rules: BUY_RULES, interval, from, to });
  // 5,000 hours on the hour: 5,000 buckets, allowed
  const full = await trend(M, M + 5000 * HOUR - 1);
  expect(full.status).toBe(200);
  expect((await full.json()).series).toHaveLength(5000);
  // 5,000 hours from half past: a partial bucket at each end makes 5,001, over the cap
  const over = await trend(M + 30 * MIN, M + 30 * MIN + 5000 * HOUR);
  expect(over.status).toBe(400);
  expect((await over.json()).error.message).toMatch(/5001.*at most 5000/);
  // the same for retention's 1,000 cohorts
  const retention = (from: number, to: number) =>
    post('/api/insights/retention', { start: { rules: CART }, returning: { rules: CART }, interval: 'day', periods: 1, from, to });
  expect((await retention(M - 999 * DAY, M + DAY - 1)).status).toBe(200);
  expect((await retention(M - 999 * DAY + HOUR, M + DAY + HOUR)).status).toBe(400);
  // a range within one millisecond is that millisecond, not "to before from"
  const tiny = await trend(M + 0.5, M + 0.7);
  expect(tiny.status).toBe(200);
  expect((await tiny.json()).series).toHaveLength(1);
});
