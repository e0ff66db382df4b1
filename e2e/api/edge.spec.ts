// Bad input always gets a clear 4xx JSON error and changes nothing.
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { batch, clickEvent, postBatch } from '../helpers/batches.js';
import { startServer, type RunningServer } from '../helpers/server.js';

let s: RunningServer;
test.beforeAll(async () => {
  s = await startServer({ env: { HINDSIGHT_MAX_BODY_BYTES: '200000', HINDSIGHT_MAX_INFLATED_BYTES: '2000000' } });
});
test.afterAll(async () => s?.stop());

/** props with `levels` levels of objects (the props object itself is the first) */
const nested = (levels: number): Record<string, unknown> => {
  let v: Record<string, unknown> = { leaf: 1 };
  for (let i = 1; i < levels; i++) v = { a: v };
  return v;
};

const ingest = (body: BodyInit, key = s.projectKey) =>
  fetch(`${s.url}/v1/batch?key=${encodeURIComponent(key)}`, { method: 'POST', body, headers: { 'content-type': 'text/plain' } });

test.describe('ingest edge', () => {
  const cases: [string, () => BodyInit, number, string][] = [
    ['invalid JSON', () => '{"v":1,', 400, 'bad_json'],
    ['empty body', () => '', 400, 'empty_body'],
    ['wrong wire version', () => JSON.stringify({ v: 2, sentAt: 1, events: [] }), 400, 'invalid_batch'],
    ['unknown event type', () => JSON.stringify({ v: 1, sentAt: 1, events: [{ ...clickEvent('x', 0), type: 'explode' }] }), 400, 'invalid_batch'],
    ['corrupt gzip', () => gzipSync('{"v":1}').subarray(0, 10), 400, 'bad_encoding'],
    ['gzip bomb', () => gzipSync(Buffer.alloc(30_000_000, 32)), 413, 'inflated_too_large'],
    ['body over the cap', () => 'x'.repeat(300_000), 413, 'body_too_large'],
    ['deep nesting', () => '['.repeat(5000) + ']'.repeat(5000), 400, 'too_deep'],
    ['props nested deeper than 64', () => JSON.stringify({ v: 1, sentAt: 1, events: [{ ...clickEvent('x', 0), props: nested(65) }] }), 400, 'invalid_batch'],
  ];
  for (const [name, body, status, code] of cases) {
    test(`${name} → ${status} ${code}`, async () => {
      const r = await ingest(body());
      expect(r.status).toBe(status);
      expect((await r.json()).error.code).toBe(code);
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
    });
  }

  test('props nested 64 levels deep are stored as sent', async () => {
    const props = nested(64);
    const r = await ingest(JSON.stringify(batch([{ ...clickEvent('deep-props', 0), props }])));
    expect(r.status).toBe(200);
    const { events } = await s.api('/api/sessions/deep-props/events');
    expect(events[0].props).toMatchObject(props);
  });

  test('unknown write key → 401 and nothing stored', async () => {
    const r = await ingest(JSON.stringify(batch([clickEvent('bad-key-session', 0)])), 'nope');
    expect(r.status).toBe(401);
    const { sessions } = await s.api('/api/sessions?limit=500');
    expect(sessions.some((x: { id: string }) => x.id === 'bad-key-session')).toBe(false);
  });

  test('a batch with one bad event is refused whole and stores nothing', async () => {
    const events = [clickEvent('half-bad', 0), { ...clickEvent('half-bad', 1), ts: 'yesterday' }];
    const r = await ingest(JSON.stringify({ v: 1, sentAt: Date.now(), events }));
    expect(r.status).toBe(400);
    expect((await r.json()).error.message).toMatch(/events\.1\.ts/);
    const { events: stored } = await s.api('/api/sessions/half-bad/events');
    expect(stored).toHaveLength(0);
  });

  test('the server keeps serving after all of that', async () => {
    expect((await postBatch(s.url, s.projectKey, batch([clickEvent('after', 0)]))).status).toBe(200);
  });
});

test.describe('admin API auth', () => {
  test('no token → 401; wrong token → 401; login cookie works', async () => {
    expect((await fetch(`${s.url}/api/sessions`)).status).toBe(401);
    expect((await fetch(`${s.url}/api/sessions`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const bad = await fetch(`${s.url}/api/login`, { method: 'POST', body: JSON.stringify({ token: 'wrong' }) });
    expect(bad.status).toBe(401);
    const ok = await fetch(`${s.url}/api/login`, { method: 'POST', body: JSON.stringify({ token: s.adminToken }) });
    expect(ok.status).toBe(200);
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const r = await fetch(`${s.url}/api/sessions`, { headers: { cookie: cookie.split(';')[0] } });
    expect(r.status).toBe(200);
  });

  test('the write key cannot read', async () => {
    const r = await fetch(`${s.url}/api/sessions`, { headers: { authorization: `Bearer ${s.projectKey}` } });
    expect(r.status).toBe(401);
  });

  for (const [path, code] of [
    ['/api/sessions?limit=0', 'bad_query'],
    ['/api/sessions?limit=abc', 'bad_query'],
    ['/api/sessions?from=notadate', 'bad_query'],
    // beyond a Date's range (±8.64e15 ms): the stores' 64-bit time math would overflow
    ['/api/sessions?from=99999999999999999999&to=99999999999999999999', 'bad_query'],
    ['/api/sessions?to=-8640000000000001', 'bad_query'],
    ['/api/sessions?hasError=maybe', 'bad_query'],
    ['/api/sessions?frustrated=2', 'bad_query'],
    ['/api/sessions?minDurationMs=-5', 'bad_query'],
    ['/api/sessions?sort=random', 'bad_query'],
    ['/api/sessions?definitionId=no-such-definition', 'bad_query'],
    ['/api/sessions?cursor=garbage', 'bad_input'],
    ['/api/nope', 'not_found'],
    ['/api/definitions/does-not-exist', 'not_found'],
  ] as const) {
    test(`GET ${path} → 4xx ${code}`, async () => {
      const r = await fetch(s.url + path, { headers: { authorization: `Bearer ${s.adminToken}` } });
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect((await r.json()).error.code).toBe(code);
    });
  }

  for (const [from, to] of [
    [1e300, 1e300],
    [-9e15, 0],
    ['8640000000000001', '8640000000000001'],
  ]) {
    test(`trend from ${from} to ${to} → 400`, async () => {
      const r = await fetch(`${s.url}/api/insights/trend`, {
        method: 'POST',
        body: JSON.stringify({ rules: [{ event: 'click' }], interval: 'day', from, to }),
        headers: { authorization: `Bearer ${s.adminToken}` },
      });
      expect(r.status).toBe(400);
      expect((await r.json()).error.message).toMatch(/8\.64e15/);
    });
  }

  for (const [name, body] of [
    ['not JSON', '{'],
    ['no rules', '{}'],
    ['empty rules', '{"rules":[]}'],
    ['invalid selector', '{"rules":[{"event":"click","selector":"button[["}]}'],
    ['invalid regex', '{"rules":[{"event":"click","url":{"op":"regex","value":"(a"}}]}'],
    ['unknown op', '{"rules":[{"event":"click","url":{"op":"like","value":"a"}}]}'],
  ] as const) {
    test(`preview with ${name} → 400`, async () => {
      const r = await fetch(`${s.url}/api/definitions/preview`, {
        method: 'POST',
        body,
        headers: { authorization: `Bearer ${s.adminToken}` },
      });
      expect(r.status).toBe(400);
      const e = (await r.json()).error;
      expect(e.message.length).toBeGreaterThan(3);
    });
  }
});

test('a write key over its rate limit gets 429 with Retry-After, and nothing from that batch is stored', async () => {
  const limited = await startServer({ env: { HINDSIGHT_RATE_LIMIT: '1' } }); // burst of 10
  try {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 12; i++) {
      const r = await postBatch(limited.url, limited.projectKey, batch([clickEvent(`rl-${i}`, 0)]));
      statuses.push(r.status);
      if (r.status === 429) {
        retryAfter = r.headers.get('retry-after');
        expect((await r.json()).error.code).toBe('rate_limited');
        expect(r.headers.get('access-control-expose-headers')).toMatch(/retry-after/i);
      }
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(10);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    const { sessions } = await limited.api('/api/sessions?limit=500');
    expect(sessions.length).toBe(statuses.filter((s) => s === 200).length);
  } finally {
    await limited.stop();
  }
});

test('HINDSIGHT_ALLOWED_ORIGINS: listed site origins may post, others get 403; /api has no CORS', async () => {
  const o = await startServer({ env: { HINDSIGHT_ALLOWED_ORIGINS: 'https://shop.example, https://www.shop.example' } });
  try {
    const send = (origin: string) =>
      fetch(`${o.url}/v1/batch?key=${o.projectKey}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', origin },
        body: JSON.stringify(batch([clickEvent(`origin-${origin.length}`, 0)])),
      });
    const ok = await send('https://www.shop.example');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://www.shop.example');
    const bad = await send('https://evil.example');
    expect(bad.status).toBe(403);
    expect((await bad.json()).error.code).toBe('origin_not_allowed');
    const api = await fetch(`${o.url}/api/sessions`, { headers: { authorization: `Bearer ${o.adminToken}`, origin: 'https://shop.example' } });
    expect(api.headers.get('access-control-allow-origin')).toBeNull();
    expect((await api.json()).sessions).toHaveLength(1);
  } finally {
    await o.stop();
  }
});
