// Destinations on ClickHouse with two stateless servers sharing it: live matches ingested through
// either server and a backfill started on one reach the receiver, signed, each delivery once
// (the queue and its claims live in ClickHouse; both servers send).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { twoServersOnClickHouse, type SharedClickHouse } from '../helpers/shared-clickhouse';
import { batch, clickEvent, postBatch } from '../helpers/batches';
import { ROOT, type RunningServer } from '../helpers/server';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';

test.skip(!existsSync(join(ROOT, 'apps/server/dist/main.js')), 'server not built (npm run build)');

let shared: SharedClickHouse;
let a: RunningServer;
let b: RunningServer;
let r: Receiver;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  shared = await twoServersOnClickHouse({ HINDSIGHT_DESTINATION_RETRY_BASE_MS: '200' });
  ({ a, b } = shared);
  r = await startReceiver();
});
test.afterAll(async () => {
  await r?.close();
  await shared?.stop();
});

test('live matches through both servers and a backfill arrive once each, signed', async () => {
  const run = Date.now().toString(36);
  const path = `/ch-${run}`;
  const past = Array.from({ length: 30 }, (_, i) => clickEvent(`chp-${run}`, i, { url: `https://shop.example${path}` }));
  expect((await postBatch(a.url, a.projectKey, batch(past))).status).toBe(200);
  await new Promise((res) => setTimeout(res, 500)); // history, before the destination exists
  const rules = [{ event: 'click', selector: 'button.buy', url: { op: 'contains', value: path } }];
  const def = await a.api('/api/definitions', { method: 'POST', body: JSON.stringify({ name: `CH buys ${run}`, rules }) });
  const d = await a.api('/api/destinations', { method: 'POST', body: JSON.stringify({ name: 'ch hook', url: r.url, definitions: [def.id] }) });
  r.secret = d.secret;
  // the destination made on A is B's too
  expect((await b.api(`/api/destinations/${d.id}`)).secret).toBe(d.secret);

  const liveA = Array.from({ length: 10 }, (_, i) => clickEvent(`cha-${run}`, i, { url: `https://shop.example${path}` }));
  const liveB = Array.from({ length: 10 }, (_, i) => clickEvent(`chb-${run}`, i, { url: `https://shop.example${path}` }));
  expect((await postBatch(a.url, a.projectKey, batch(liveA))).status).toBe(200);
  expect((await postBatch(b.url, b.projectKey, batch(liveB))).status).toBe(200);
  await expect.poll(() => r.delivered().length, { timeout: 30_000 }).toBe(20);

  const { jobId } = await a.api(`/api/destinations/${d.id}/backfill`, { method: 'POST', body: JSON.stringify({ definitionId: def.id }) });
  await expect.poll(async () => (await b.api(`/api/destinations/${d.id}/backfills/${jobId}`)).state, { timeout: 60_000 }).toBe('done');
  expect(await a.api(`/api/destinations/${d.id}/backfills/${jobId}`)).toMatchObject({ total: 50, enqueued: 30, skipped: 20, delivered: 30, failed: 0 });

  await new Promise((res) => setTimeout(res, 1500));
  const ids = r.delivered().map((x) => x.body.event.id).sort();
  expect(ids).toEqual([...past, ...liveA, ...liveB].map((e) => e.id).sort());
  expect(r.requests.every((x) => x.signatureValid)).toBe(true);
  expect(new Set(r.requests.map((x) => x.deliveryId)).size).toBe(r.requests.length);
  // the receiver sees a delivery just before the server notes it: poll
  await expect.poll(async () => (await b.api(`/api/destinations/${d.id}`)).deliveries).toEqual({ pending: 0, delivered: 50, dead: 0 });
});
