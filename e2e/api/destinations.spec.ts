// Webhook destinations against the built server and real local receivers (node:http) that verify
// every signature: live matches (a definition created after the destination included), retries,
// dead letters and their retry, backfill of past matches, and a pending delivery surviving a restart.
import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawEvent } from '@hindsight/schema';
import { startServer, type RunningServer } from '../helpers/server';
import { batch, clickEvent, eventId, postBatch } from '../helpers/batches';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';

// fast retries so a test sees several attempts in a few seconds
const ENV = { HINDSIGHT_DESTINATION_RETRY_BASE_MS: '150', HINDSIGHT_DESTINATION_MAX_ATTEMPTS: '4' };

let s: RunningServer;
const receivers: Receiver[] = [];
test.beforeAll(async () => {
  s = await startServer({ env: ENV });
});
test.afterAll(async () => {
  await s?.stop();
  await Promise.all(receivers.map((r) => r.close()));
});

const post = <T = any>(path: string, body: unknown) => s.api<T>(path, { method: 'POST', body: JSON.stringify(body) });
const put = <T = any>(path: string, body: unknown) => s.api<T>(path, { method: 'PUT', body: JSON.stringify(body) });
const define = (name: string, rules: unknown[]) => post<{ id: string; name: string }>('/api/definitions', { name, rules });

/** a receiver plus a destination pointing at it (the receiver verifies with its secret) */
async function destination(name: string, definitions: 'all' | string[]): Promise<{ r: Receiver; id: string }> {
  const r = await startReceiver();
  receivers.push(r);
  const d = await post<{ id: string; secret: string }>('/api/destinations', { name, url: r.url, definitions });
  r.secret = d.secret;
  return { r, id: d.id };
}

const custom = (sessionId: string, name: string, extra: Partial<RawEvent> = {}): RawEvent => ({
  id: eventId(),
  type: 'custom',
  name,
  ts: Date.now() - 500,
  sessionId,
  anonymousId: `anon-${sessionId}`,
  url: 'https://shop.example/',
  ...extra,
});

async function ingest(events: RawEvent[]): Promise<void> {
  const res = await postBatch(s.url, s.projectKey, batch(events));
  expect(res.status).toBe(200);
}

test('live matches arrive signed, for definitions created before and after the destination', async () => {
  const buy = await define('Live buy clicked', [{ event: 'click', selector: 'form#checkout button.buy', url: { op: 'contains', value: '/live' } }]);
  const { r, id } = await destination('live hook', 'all');
  const clicks = [0, 1, 2].map((i) => clickEvent('live-1', i, { url: 'https://shop.example/live' }));
  const unrelated = clickEvent('live-1', 3, { url: 'https://shop.example/other' });
  await ingest([...clicks, unrelated]);
  await expect.poll(() => r.delivered().length).toBe(3);
  for (const x of r.requests) {
    expect(x.signatureValid).toBe(true);
    expect(x.body).toMatchObject({ id: x.deliveryId, destinationId: id, definition: { id: buy.id, name: 'Live buy clicked' } });
    expect(typeof x.body.sentAt).toBe('number');
  }
  expect(r.delivered().map((x) => x.body.event.id).sort()).toEqual(clicks.map((e) => e.id).sort());
  expect(r.requests[0].body.event).toMatchObject({ type: 'click', sessionId: 'live-1', url: 'https://shop.example/live' });
  expect(r.requests[0].body.event.chain[0].tag).toBe('button');

  // a definition created after the destination: 'all' includes it, evaluated as events arrive
  const later = await define('Live later signup', [{ event: 'custom', name: 'Live signup' }]);
  const signups = [custom('live-2', 'Live signup'), custom('live-2', 'Live signup')];
  const more = clickEvent('live-2', 0, { url: 'https://shop.example/live' });
  await ingest([...signups, more]);
  await expect.poll(() => r.delivered().length).toBe(6);
  const byDef = (defId: string) => r.delivered().filter((x) => x.body.definition.id === defId).map((x) => x.body.event.id).sort();
  expect(byDef(later.id)).toEqual(signups.map((e) => e.id).sort());
  expect(byDef(buy.id)).toContain(more.id);

  // Segment-compatible tracking is evaluated the same way
  const seg = await fetch(`${s.url}/segment/v1/track`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${s.projectKey}:`).toString('base64')}` },
    body: JSON.stringify({ messageId: 'live-seg-1', userId: 'u-live', event: 'Live signup' }),
  });
  expect(seg.status).toBe(200);
  await expect.poll(() => byDef(later.id)).toContain('live-seg-1');

  // a resent batch (the recorder retries) queues nothing new
  await ingest([...signups, more]);
  await new Promise((res) => setTimeout(res, 1500));
  expect(r.delivered()).toHaveLength(7);
  expect(new Set(r.requests.map((x) => x.deliveryId)).size).toBe(7);
  // the receiver sees a delivery just before the server notes it: poll
  await expect.poll(async () => (await s.api(`/api/destinations/${id}`)).deliveries).toEqual({ pending: 0, delivered: 7, dead: 0 });
});

// <ul><li><button#b1/><span.badge/></li><li><button#b2/></li></ul>, recorded; before each click
// the recording changes it (the badge goes, or one appears next to b2), in a chunk the recorder
// sends after the click itself
const el = (id: number, tagName: string, attributes: Record<string, string>, childNodes: unknown[] = []) => ({ type: 2, id, tagName, attributes, childNodes });
const dom = el(2, 'html', {}, [el(3, 'body', {}, [el(4, 'ul', {}, [el(5, 'li', {}, [el(6, 'button', { id: 'b1' }), el(7, 'span', { class: 'badge' })]), el(8, 'li', {}, [el(9, 'button', { id: 'b2' })])])])]);
const T0 = Date.now() - 60_000;
const chunk = (sessionId: string, seq: number, events: unknown[]) => ({ id: `${sessionId}-${seq}`, sessionId, rec: `rec-${sessionId}`, seq, ts: T0, events });
/** the recording's Meta and FullSnapshot */
const snapshotChunk = (sessionId: string) =>
  chunk(sessionId, 0, [
    { type: 4, timestamp: T0, data: { href: 'https://shop.example/', width: 800, height: 600 } },
    { type: 2, timestamp: T0, data: { initialOffset: { top: 0, left: 0 }, node: { type: 0, id: 1, childNodes: [dom] } } },
  ]);
const removeBadge = (sessionId: string) => chunk(sessionId, 2, [{ type: 3, timestamp: T0 + 1, data: { source: 0, texts: [], attributes: [], adds: [], removes: [{ parentId: 5, id: 7 }] } }]);
const badgeOnB2 = (sessionId: string) =>
  chunk(sessionId, 2, [{ type: 3, timestamp: T0 + 1, data: { source: 0, texts: [], attributes: [], removes: [], adds: [{ parentId: 8, nextId: null, node: el(10, 'span', { class: 'badge' }) }] } }]);
/** a click after the recording's third event (the mutation) */
const lateClick = (sessionId: string, button: 'b1' | 'b2'): RawEvent => ({
  id: eventId(),
  type: 'click',
  ts: T0 + 2,
  sessionId,
  anonymousId: `anon-${sessionId}`,
  url: 'https://shop.example/',
  nodeId: button === 'b1' ? 6 : 9,
  rec: { id: `rec-${sessionId}`, seq: 3 },
  chain: [
    { tag: 'button', attrs: { id: button }, nth: [1, 1, button === 'b1' ? 2 : 1, 1] },
    { tag: 'li', attrs: {}, nth: button === 'b1' ? [1, 1, 2, 2] : [2, 2, 1, 1] },
    { tag: 'ul', attrs: {}, nth: [1, 1, 1, 1] },
    { tag: 'body', attrs: {}, nth: [1, 1, 1, 1] },
    { tag: 'html', attrs: {}, nth: [1, 1, 1, 1] },
  ],
});
const BADGE_RULE = { event: 'click', selector: 'li:has(.badge) button' };
const sendTo = async (srv: RunningServer, events: RawEvent[], replay: unknown[]) => expect((await postBatch(srv.url, srv.projectKey, { ...batch(events), replay } as never)).status).toBe(200);

test('a replay-decided match whose replay comes in the next batch is sent once that replay is in, and decided on it', async () => {
  const def = await define('Badge item clicked', [BADGE_RULE]);
  const { r } = await destination('late replay hook', [def.id]);
  const gone = lateClick('late-gone', 'b1');
  const added = lateClick('late-added', 'b2');
  await sendTo(s, [gone, added], [snapshotChunk('late-gone'), snapshotChunk('late-added')]);
  await new Promise((res) => setTimeout(res, 1000));
  expect(r.requests).toHaveLength(0); // on the snapshot alone, `gone` would have matched
  await sendTo(s, [], [removeBadge('late-gone'), badgeOnB2('late-added')]);
  await expect.poll(() => r.delivered().map((x) => x.body.event.id)).toEqual([added.id]);
  // the same answer as the retroactive one
  const events = (await s.api<{ events: { id: string }[] }>(`/api/definitions/${def.id}/events?limit=10`)).events.map((e) => e.id);
  expect(events).toEqual([added.id]);
  await new Promise((res) => setTimeout(res, 500));
  expect(r.requests).toHaveLength(1);
});

test('a receiver answering 500 twice then 200 gets the delivery once, with the same id', async () => {
  const def = await define('Retry me', [{ event: 'custom', name: 'Retry me' }]);
  const { r, id } = await destination('flaky hook', [def.id]);
  r.respond = ({ n }) => (n < 2 ? 500 : 200);
  await ingest([custom('retry-1', 'Retry me'), custom('retry-1', 'Not me')]);
  await expect.poll(() => r.delivered().length, { timeout: 20_000 }).toBe(1);
  expect(r.requests.map((x) => x.status)).toEqual([500, 500, 200]);
  expect(new Set(r.requests.map((x) => x.deliveryId)).size).toBe(1);
  expect(r.requests.every((x) => x.signatureValid)).toBe(true);
  await new Promise((res) => setTimeout(res, 1000));
  expect(r.requests).toHaveLength(3);
  // the receiver sees a delivery just before the server notes it: poll
  await expect.poll(async () => (await s.api(`/api/destinations/${id}`)).deliveries).toEqual({ pending: 0, delivered: 1, dead: 0 });
});

test('a 400 becomes a dead letter; retrying it after fixing the receiver delivers it', async () => {
  const def = await define('Dead me', [{ event: 'custom', name: 'Dead me' }]);
  const { r, id } = await destination('broken hook', [def.id]);
  r.respond = () => 400;
  const e = custom('dead-1', 'Dead me');
  await ingest([e]);
  await expect.poll(async () => (await s.api(`/api/destinations/${id}/dead-letters`)).deadLetters.length).toBe(1);
  const [dl] = (await s.api(`/api/destinations/${id}/dead-letters`)).deadLetters;
  expect(dl).toMatchObject({ state: 'dead', attempts: 1, lastStatus: 400, eventId: e.id, definitionId: def.id, definitionName: 'Dead me' });
  expect(r.requests).toHaveLength(1); // a 4xx is not retried

  r.respond = () => 200;
  expect(await post(`/api/destinations/${id}/dead-letters/retry`, {})).toEqual({ retried: 1 });
  await expect.poll(() => r.delivered().length).toBe(1);
  expect(r.delivered()[0]).toMatchObject({ deliveryId: dl.id, signatureValid: true });
  expect((await s.api(`/api/destinations/${id}/dead-letters`)).deadLetters).toEqual([]);
  // the receiver sees a delivery just before the server notes it: poll
  await expect.poll(async () => (await s.api(`/api/destinations/${id}`)).deliveries).toEqual({ pending: 0, delivered: 1, dead: 0 });
});

test('backfill sends exactly the past matches, with progress reaching done', async () => {
  // history first: matches exist before the definition and the destination do
  const past = Array.from({ length: 45 }, (_, i) => clickEvent(`past-${i % 4}`, i, { url: 'https://shop.example/past' }));
  await ingest([...past, ...Array.from({ length: 5 }, (_, i) => clickEvent('past-x', i, { url: 'https://shop.example/elsewhere' }))]);
  // (live matching runs a moment after ingest; let it pass so these are history for the destination)
  await new Promise((res) => setTimeout(res, 500));
  const rules = [{ event: 'click', selector: 'button.buy', url: { op: 'contains', value: '/past' } }];
  const preview = await post('/api/definitions/preview', { rules });
  expect(preview.events).toBe(45);
  const def = await define('Past buys', rules);
  const { r, id } = await destination('backfill hook', [def.id]);
  await new Promise((res) => setTimeout(res, 500));
  expect(r.requests).toHaveLength(0); // nothing live: these are history

  const { jobId } = await post<{ jobId: string }>(`/api/destinations/${id}/backfill`, { definitionId: def.id });
  await expect.poll(async () => (await s.api(`/api/destinations/${id}/backfills/${jobId}`)).state, { timeout: 30_000 }).toBe('done');
  const job = await s.api(`/api/destinations/${id}/backfills/${jobId}`);
  expect(job).toMatchObject({ total: preview.events, enqueued: preview.events, skipped: 0, delivered: preview.events, failed: 0, pending: 0 });
  expect(r.delivered().map((x) => x.body.event.id).sort()).toEqual(past.map((e) => e.id).sort());
  expect(r.requests.every((x) => x.signatureValid && x.body.definition.id === def.id)).toBe(true);
  expect((await s.api(`/api/destinations/${id}/backfills`)).jobs.map((j: { id: string }) => j.id)).toEqual([jobId]);

  // running it again sends nothing twice
  const again = await post<{ jobId: string }>(`/api/destinations/${id}/backfill`, { definitionId: def.id });
  await expect.poll(async () => (await s.api(`/api/destinations/${id}/backfills/${again.jobId}`)).state).toBe('done');
  expect(await s.api(`/api/destinations/${id}/backfills/${again.jobId}`)).toMatchObject({ total: 45, enqueued: 0, skipped: 45 });
  expect(r.requests).toHaveLength(45);
});

test('bad input is a clear 4xx', async () => {
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${s.url}${path}`, { method, headers: { authorization: `Bearer ${s.adminToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const expectError = async (res: Promise<Response>, status: number, code: string) => {
    const r = await res;
    expect(r.status).toBe(status);
    expect((await r.json()).error.code).toBe(code);
  };
  await expectError(call('POST', '/api/destinations', { name: 'x', url: 'ftp://example.com/' }), 400, 'invalid_body');
  await expectError(call('POST', '/api/destinations', { name: 'x', url: 'not a url' }), 400, 'invalid_body');
  await expectError(call('POST', '/api/destinations', { name: '', url: 'https://example.com/' }), 400, 'invalid_body');
  await expectError(call('POST', '/api/destinations', { name: 'x', url: 'https://example.com/', definitions: ['nope'] }), 400, 'unknown_definition');
  await expectError(call('GET', '/api/destinations/nope'), 404, 'not_found');
  await expectError(call('DELETE', '/api/destinations/nope'), 404, 'not_found');
  const other = await define('Not subscribed', [{ event: 'pageview' }]);
  const mine = await define('Subscribed', [{ event: 'pageview', url: { op: 'contains', value: '/x' } }]);
  const d = await post<{ id: string }>('/api/destinations', { name: 'picky', url: 'https://example.com/', definitions: [mine.id], enabled: false });
  await expectError(call('POST', `/api/destinations/${d.id}/backfill`, { definitionId: other.id }), 400, 'not_subscribed');
  await expectError(call('POST', `/api/destinations/${d.id}/backfill`, { definitionId: 'nope' }), 400, 'unknown_definition');
  await expectError(call('GET', `/api/destinations/${d.id}/backfills/nope`), 404, 'not_found');
  await expectError(call('POST', `/api/destinations/${d.id}/dead-letters/retry`, { ids: [] }), 400, 'invalid_body');
  await expectError(call('PUT', `/api/destinations/${d.id}`, { url: 'javascript:alert(1)' }), 400, 'invalid_body');
  // update: rename, new secret, enable; delete
  const before = await s.api(`/api/destinations/${d.id}`);
  const after = await put(`/api/destinations/${d.id}`, { name: 'renamed', rotateSecret: true, enabled: true });
  expect(after).toMatchObject({ name: 'renamed', enabled: true, definitions: [mine.id] });
  expect(after.secret).not.toBe(before.secret);
  expect(await s.api(`/api/destinations/${d.id}`, { method: 'DELETE' })).toEqual({ ok: true });
  await expectError(call('GET', `/api/destinations/${d.id}`), 404, 'not_found');
});

test('a pending delivery is delivered after a server restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hs-e2e-dest-'));
  // slow retries, many attempts: the delivery is still pending when the server stops
  const env = { HINDSIGHT_DESTINATION_RETRY_BASE_MS: '1000', HINDSIGHT_DESTINATION_MAX_ATTEMPTS: '50' };
  let srv = await startServer({ dataDir, env });
  const r = await startReceiver();
  receivers.push(r);
  r.respond = () => 503;
  try {
    const def = await srv.api('/api/definitions', { method: 'POST', body: JSON.stringify({ name: 'Survivor', rules: [{ event: 'custom', name: 'Survivor' }] }) });
    const d = await srv.api('/api/destinations', { method: 'POST', body: JSON.stringify({ name: 'restart hook', url: r.url, definitions: [def.id] }) });
    r.secret = d.secret;
    expect((await postBatch(srv.url, srv.projectKey, batch([custom('restart-1', 'Survivor')]))).status).toBe(200);
    await expect.poll(() => r.requests.length).toBeGreaterThanOrEqual(1);
    await srv.stop();
    const attemptsBefore = r.requests.length;
    r.respond = () => 200;
    srv = await startServer({ dataDir, env });
    await expect.poll(() => r.delivered().length, { timeout: 20_000 }).toBe(1);
    expect(r.requests.length).toBeGreaterThan(attemptsBefore);
    expect(new Set(r.requests.map((x) => x.deliveryId)).size).toBe(1);
    expect(r.requests.every((x) => x.signatureValid)).toBe(true);
    // the receiver sees a delivery just before the server notes it: poll
    await expect.poll(async () => (await srv.api(`/api/destinations/${d.id}`)).deliveries).toEqual({ pending: 0, delivered: 1, dead: 0 });
  } finally {
    await srv.stop();
  }
});

test('a live match still waiting for its replay when the server is killed is sent after the restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hs-e2e-dest-'));
  let srv = await startServer({ dataDir });
  const r = await startReceiver();
  receivers.push(r);
  try {
    const def = await srv.api('/api/definitions', { method: 'POST', body: JSON.stringify({ name: 'Badge after crash', rules: [BADGE_RULE] }) });
    const d = await srv.api('/api/destinations', { method: 'POST', body: JSON.stringify({ name: 'crash hook', url: r.url, definitions: [def.id] }) });
    r.secret = d.secret;
    const e = lateClick('crash-1', 'b2');
    await sendTo(srv, [e], [snapshotChunk('crash-1')]);
    await new Promise((res) => setTimeout(res, 500)); // matched once: it waits for its replay
    await srv.kill();
    srv = await startServer({ dataDir });
    await sendTo(srv, [], [badgeOnB2('crash-1')]);
    await expect.poll(() => r.delivered().map((x) => x.body.event.id), { timeout: 20_000 }).toEqual([e.id]);
    expect(r.requests.every((x) => x.signatureValid)).toBe(true);
  } finally {
    await srv.stop();
  }
});
