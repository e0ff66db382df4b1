// @hindsight/client against the built server, as a Node script would use it: define an event and
// read its trend with the admin token; track backend-only events with the write key, batched and
// retried (network errors, 503s, and a lost acknowledgement that must not duplicate anything).
import { expect, test } from '@playwright/test';
import { ApiError, HindsightClient, Tracker } from '@hindsight/client';
import { startServer, type RunningServer } from '../helpers/server';

let s: RunningServer;
test.beforeAll(async () => {
  s = await startServer();
});
test.afterAll(async () => s?.stop());

test('a Node script: server-side events, a definition, its trend and a user profile', async () => {
  const tracker = new Tracker({ endpoint: s.url, writeKey: s.projectKey, flushAt: 50, flushIntervalMs: 50 });
  tracker.identify('u-1', { plan: 'pro' }, { anonymousId: 'web-anon-1' });
  tracker.track('Payment Succeeded', { amount: 30 }, { userId: 'u-1' });
  tracker.track('Payment Failed', { reason: 'card_declined' }, { userId: 'u-2' });
  tracker.track('Payment Failed', { reason: 'expired' }, { userId: 'u-2' });
  await tracker.close();

  const hs = new HindsightClient({ baseUrl: s.url, token: s.adminToken });
  const def = await hs.createDefinition({ name: 'Payment failed', category: 'monetization', rules: [{ event: 'custom', name: 'Payment Failed' }] });
  expect(def.id).toBeTruthy();
  const now = Date.now();
  const { series } = await hs.trend({ definitionId: def.id, interval: 'day', from: now - 86_400_000, to: now });
  expect(series.reduce((n, p) => n + p.events, 0)).toBe(2);
  expect((await hs.previewRules([{ event: 'custom', name: { op: 'contains', value: 'Payment' } }])).users).toBe(2);
  const u1 = await hs.getUser('u-1');
  expect(u1.traits).toEqual({ plan: 'pro' });
  expect((await hs.listDefinitions()).map((d) => d.name)).toContain('Payment failed');

  // API errors are typed, with the server's code
  const err = await hs.createDefinition({ name: 'Bad', rules: [{ event: 'click', selector: 'button[' }] }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  expect(err).toMatchObject({ status: 400 });
  const unauth = await new HindsightClient({ baseUrl: s.url, token: 'wrong' }).listDefinitions().catch((e: unknown) => e);
  expect(unauth).toMatchObject({ status: 401, code: 'unauthorized' });
});

test('tracking retries through network errors, 503s and a lost acknowledgement without duplicates', async () => {
  let calls = 0;
  const flaky: typeof fetch = async (input, init) => {
    calls++;
    if (calls === 1) throw new TypeError('fetch failed'); // the network is down
    if (calls === 2) return new Response('{"error":{"code":"store_unavailable","message":"down"}}', { status: 503, headers: { 'retry-after': '0' } });
    const res = await fetch(input, init);
    if (calls === 3) throw new TypeError('socket hang up'); // stored, but the answer was lost
    return res;
  };
  const errors: Error[] = [];
  const tracker = new Tracker({ endpoint: s.url, writeKey: s.projectKey, fetch: flaky, retryBaseMs: 20, onError: (e) => errors.push(e) });
  for (let i = 0; i < 5; i++) tracker.track('Invoice Sent', { i }, { userId: 'billing' });
  await tracker.flush();
  expect(errors).toEqual([]);
  expect(calls).toBe(4);
  const hs = new HindsightClient({ baseUrl: s.url, token: s.adminToken });
  expect((await hs.previewRules([{ event: 'custom', name: 'Invoice Sent' }])).events).toBe(5);
});

test('a refused batch is reported, not retried forever', async () => {
  const errors: Error[] = [];
  const tracker = new Tracker({ endpoint: s.url, writeKey: 'not-a-key', retryBaseMs: 10, onError: (e) => errors.push(e) });
  tracker.track('X', {}, { userId: 'u' });
  await tracker.flush();
  expect(errors).toHaveLength(1);
  expect(errors[0].message).toMatch(/401/);
});
