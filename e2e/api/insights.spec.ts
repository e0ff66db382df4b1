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
const BUY = [el('svg'), el('button', { class: 'btn buy' }, 'Buy'), el('form', { id: 'checkout' }), el('body'), el('html')];
const OTHER = [el('button', { class: 'btn other' }, 'Later'), el('form', { id: 'checkout' }), el('body'), el('html')];

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
  ];
  for (const [path, body, status] of cases) {
    const r = await post(path, body);
    expect(r.status, JSON.stringify(body)).toBe(status);
    expect((await r.json()).error.code).toEqual(expect.any(String));
  }
});
