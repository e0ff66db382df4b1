// Segment's public tracking API wire format against the built server: Basic-auth write key,
// single calls and batches, messageId dedupe, and the events showing up in insights, definitions
// and the user page next to auto-captured ones.
import { expect, test } from '@playwright/test';
import { startServer, type RunningServer } from '../helpers/server';

let s: RunningServer;
test.beforeAll(async () => {
  s = await startServer();
});
test.afterAll(async () => s?.stop());

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
const send = (path: string, body: unknown, key = s.projectKey) =>
  fetch(`${s.url}/segment/v1/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basic(key) },
    body: JSON.stringify(body),
  });

const HOUR = 3_600_000;
const T = Date.now() - 2 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

test('single calls and a batch are stored once, then visible in insights and the user page', async () => {
  const identify = await send('identify', { messageId: 'seg-1', anonymousId: 'anon-42', userId: 'carla', traits: { plan: 'pro', email: 'c@example.com' }, timestamp: iso(T) });
  expect(identify.status).toBe(200);
  expect(await identify.json()).toMatchObject({ success: true, inserted: 1 });
  const batch = {
    sentAt: iso(Date.now()),
    batch: [
      { type: 'page', messageId: 'seg-2', anonymousId: 'anon-42', name: 'Checkout', properties: { url: 'https://shop.example/checkout', path: '/checkout' }, timestamp: iso(T + 1000) },
      { type: 'track', messageId: 'seg-3', userId: 'carla', event: 'Payment Succeeded', properties: { amount: 42 }, timestamp: iso(T + 2000) },
      { type: 'track', messageId: 'seg-4', userId: 'dan', event: 'Payment Failed', properties: { reason: 'card_declined' }, timestamp: iso(T + 3000) },
      { type: 'group', messageId: 'seg-5', userId: 'carla', groupId: 'acme', timestamp: iso(T + 4000) },
    ],
  };
  const first = await send('batch', batch);
  expect(first.status).toBe(200);
  expect(await first.json()).toMatchObject({ inserted: 4, duplicates: 0 });
  // a retry of the same messages (Segment libraries retry on timeouts) changes nothing
  expect(await (await send('batch', batch)).json()).toMatchObject({ inserted: 0, duplicates: 4 });

  // a definition over track() names counts them, users resolved through identify
  const counts = await s.api('/api/definitions/preview', {
    method: 'POST',
    body: JSON.stringify({ rules: [{ event: 'custom', name: { op: 'contains', value: 'Payment' } }] }),
  });
  expect(counts).toMatchObject({ events: 2, users: 2 });
  const trend = await s.api('/api/insights/trend', {
    method: 'POST',
    body: JSON.stringify({ rules: [{ event: 'custom', name: 'Payment Succeeded' }], interval: 'day', from: T - 1, to: Date.now() }),
  });
  expect(trend.series.reduce((n: number, p: { events: number }) => n + p.events, 0)).toBe(1);
  const funnel = await s.api('/api/insights/funnel', {
    method: 'POST',
    body: JSON.stringify({ steps: [{ rules: [{ event: 'pageview', url: { op: 'contains', value: '/checkout' } }] }, { rules: [{ event: 'custom', name: 'Payment Succeeded' }] }], windowMs: HOUR, from: T - 1, to: Date.now() }),
  });
  expect(funnel.steps.map((x: { users: number }) => x.users)).toEqual([1, 1]); // anon-42 = carla

  const carla = await s.api(`/api/users/carla`);
  expect(carla.traits).toEqual({ plan: 'pro', email: 'c@example.com' });
  expect(carla.events.map((e: { type: string; name?: string }) => e.name ?? e.type)).toEqual(['identify', 'Checkout', 'Payment Succeeded', '$group']);
});

test('alias links a previous id to the user', async () => {
  expect((await send('track', { messageId: 'al-1', anonymousId: 'old-device', event: 'Opened App', timestamp: iso(T) })).status).toBe(200);
  expect((await send('alias', { messageId: 'al-2', previousId: 'old-device', userId: 'erin', timestamp: iso(T + 1) })).status).toBe(200);
  const erin = await s.api('/api/users/erin');
  expect(erin.events.map((e: { name?: string; type: string }) => e.name ?? e.type)).toContain('Opened App');
});

test('the write key goes in Basic auth or the body; bad input is a clear 4xx', async () => {
  const inBody = await fetch(`${s.url}/segment/v1/track`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ writeKey: s.projectKey, messageId: 'wk-1', userId: 'u', event: 'E' }),
  });
  expect(inBody.status).toBe(200);
  const cases: [string, unknown, string, number, string][] = [
    ['track', { messageId: 'x', userId: 'u', event: 'E' }, 'wrong-key', 401, 'invalid_key'],
    ['track', { messageId: 'x', userId: 'u' }, s.projectKey, 400, 'invalid_message'],
    ['track', { messageId: 'x', event: 'E' }, s.projectKey, 400, 'invalid_message'],
    ['identify', { messageId: 'x', anonymousId: 'a' }, s.projectKey, 400, 'invalid_message'],
    ['batch', { batch: 'nope' }, s.projectKey, 400, 'invalid_batch'],
    ['batch', { batch: [{ type: 'track', userId: 'u', event: 'ok' }, { type: 'teleport', userId: 'u' }] }, s.projectKey, 400, 'invalid_message'],
    ['track', { messageId: 'x', userId: 'u', event: 'E', timestamp: 1e20 }, s.projectKey, 400, 'invalid_message'],
    ['batch', { batch: [{ type: 'track', userId: 'u', event: 'ok' }, { type: 'track', userId: 'u', event: 'late', timestamp: 9e15 }] }, s.projectKey, 400, 'invalid_message'],
    ['fly', { userId: 'u' }, s.projectKey, 404, 'not_found'],
  ];
  for (const [path, body, key, status, code] of cases) {
    const r = await send(path, body, key);
    expect(r.status, `${path} ${JSON.stringify(body)}`).toBe(status);
    expect((await r.json()).error.code).toBe(code);
  }
  // a refused batch stores nothing, not even its valid first message
  const ok = await s.api('/api/definitions/preview', { method: 'POST', body: JSON.stringify({ rules: [{ event: 'custom', name: 'ok' }] }) });
  expect(ok.events).toBe(0);
});

test("Segment's own Node library works unchanged, pointed at Hindsight", async () => {
  const { Analytics } = await import('@segment/analytics-node');
  const errors: unknown[] = [];
  // analytics-node resolves `path` against `host` (new URL(path, host)): the prefix goes in `path`
  const analytics = new Analytics({ writeKey: s.projectKey, host: s.url, path: '/segment/v1/batch', flushAt: 3, maxRetries: 2 });
  analytics.on('error', (e) => errors.push(e));
  analytics.identify({ userId: 'lib-user', anonymousId: 'lib-anon', traits: { plan: 'enterprise' } });
  analytics.page({ anonymousId: 'lib-anon', name: 'Pricing', properties: { url: 'https://shop.example/pricing' } });
  analytics.track({ userId: 'lib-user', event: 'Subscription Started', properties: { plan: 'team' } });
  analytics.group({ userId: 'lib-user', groupId: 'initech' });
  await analytics.closeAndFlush({ timeout: 10_000 });
  expect(errors).toEqual([]);
  const user = await s.api('/api/users/lib-user');
  expect(user.traits).toEqual({ plan: 'enterprise' });
  // the anonymous page view joined the user through identify
  expect(user.events.map((e: { type: string; name?: string }) => `${e.type}:${e.name ?? ''}`).sort()).toEqual(
    ['custom:$group', 'custom:Subscription Started', 'identify:', 'pageview:Pricing'].sort(),
  );
});
