// Injection strings go through every API field and come back literally; nothing answers 5xx.
import { expect, test } from '@playwright/test';
import { batch, clickEvent, postBatch } from '../helpers/batches.js';
import { startServer, type RunningServer } from '../helpers/server.js';

const NASTY = [
  "'; DROP TABLE events; --",
  "' OR '1'='1",
  '"); DELETE FROM definitions; --',
  '\\',
  "\\'",
  '%_%',
  '$1 {x:String} ?',
  'unicode ✓ ünï 𝒳',
  '\u0001\u0007\u001f',
  '</script><script>alert(1)</script>',
];

let s: RunningServer;
test.beforeAll(async () => {
  s = await startServer();
  const events = NASTY.map((v, i) =>
    clickEvent(`inj-${i}`, i, {
      url: `https://shop.example/${v}`,
      userId: v,
      name: v,
      title: v,
      props: { [v]: v },
      type: 'custom',
    }),
  );
  const r = await postBatch(s.url, s.projectKey, batch(events));
  expect(r.status).toBe(200);
});
test.afterAll(async () => s?.stop());

const get = (path: string) => fetch(s.url + path, { headers: { authorization: `Bearer ${s.adminToken}` } });
const post = (path: string, body: unknown) =>
  fetch(s.url + path, { method: 'POST', body: JSON.stringify(body), headers: { authorization: `Bearer ${s.adminToken}` } });

test('stored values come back byte for byte', async () => {
  for (let i = 0; i < NASTY.length; i++) {
    const { events } = await (await get(`/api/sessions/inj-${i}/events`)).json();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ name: NASTY[i], userId: NASTY[i], url: `https://shop.example/${NASTY[i]}` });
    expect(events[0].props[NASTY[i]]).toBe(NASTY[i]);
  }
});

for (const [i, v] of NASTY.entries()) {
  test(`filters treat ${JSON.stringify(v)} literally`, async () => {
    const byUser = await get(`/api/sessions?userId=${encodeURIComponent(v)}`);
    expect(byUser.status).toBe(200);
    expect((await byUser.json()).sessions.map((x: { id: string }) => x.id)).toEqual([`inj-${i}`]);
    const byUrl = await get(`/api/sessions?url=${encodeURIComponent(v)}`);
    expect(byUrl.status).toBe(200);
    expect((await byUrl.json()).sessions.map((x: { id: string }) => x.id)).toContain(`inj-${i}`);
    const exact = await post('/api/definitions/preview', { rules: [{ event: 'custom', name: v }] });
    expect(exact.status).toBe(200);
    expect((await exact.json()).events).toBe(1);
    const contains = await post('/api/definitions/preview', { rules: [{ event: 'custom', url: { op: 'contains', value: v } }] });
    expect((await contains.json()).events).toBeGreaterThanOrEqual(1);
    const def = await post('/api/definitions', { name: `n ${v}`, description: v, rules: [{ event: 'custom', name: v }] });
    expect(def.status).toBe(201);
    const saved = await (await get(`/api/definitions/${(await def.json()).id}`)).json();
    expect(saved).toMatchObject({ name: `n ${v}`.trim(), description: v });
  });
}

test('hostile selectors and patterns get 400s, never 500s, and the data is intact afterwards', async () => {
  const bodies = [
    { rules: [{ event: 'click', selector: "button'); DROP TABLE events; --" }] },
    { rules: [{ event: 'click', selector: 'a[href="\\\'"]' }] },
    { rules: [{ event: 'click', selector: '*'.repeat(4000) }] },
    { rules: [{ event: 'click', url: { op: 'regex', value: "'; DROP TABLE events; --" } }] },
    { rules: [{ event: 'click', url: { op: 'regex', value: '(a+)+$' } }] },
    { rules: [{ event: 'click', url: { op: 'regex', value: '(?=x)' } }] },
    { rules: [{ event: "click'; --" }] },
  ];
  for (const b of bodies) {
    const r = await post('/api/definitions/preview', b);
    expect(r.status, JSON.stringify(b).slice(0, 80)).toBeLessThan(500);
  }
  const { sessions } = await (await get('/api/sessions?limit=500')).json();
  expect(sessions.length).toBe(NASTY.length);
});

const send = (method: string, path: string, body?: unknown) =>
  fetch(s.url + path, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { authorization: `Bearer ${s.adminToken}` } });

test('project, write key and destination fields take the same strings literally or refuse them with a 4xx', async () => {
  for (const v of NASTY) {
    const enc = encodeURIComponent(v);
    // names are stored as given (trimmed) and listed back byte for byte
    const p = await send('POST', '/api/projects', { name: v });
    expect(p.status, `project ${JSON.stringify(v)}`).toBeLessThan(500);
    if (p.status === 201) {
      const { project } = await p.json();
      const { projects } = await (await send('GET', '/api/projects')).json();
      expect(projects.find((x: { id: string }) => x.id === project.id)?.name).toBe(v.trim());
    }
    // an id in a path or the project selector is only ever looked up
    for (const [method, path] of [
      ['GET', `/api/sessions?project=${enc}`],
      ['DELETE', `/api/keys/${enc}`],
      ['GET', `/api/destinations/${enc}`],
      ['DELETE', `/api/destinations/${enc}`],
      ['GET', `/api/destinations/${enc}/dead-letters`],
    ]) {
      const r = await send(method, path);
      expect(r.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(r.status, `${method} ${path}`).toBeLessThan(500);
    }
    const d = await send('POST', '/api/destinations', { name: v, url: 'http://127.0.0.1:9/hook', definitions: 'all', enabled: false });
    expect(d.status, `destination ${JSON.stringify(v)}`).toBeLessThan(500);
    if (d.status === 201) {
      const created = await d.json();
      expect((await (await send('GET', `/api/destinations/${created.id}`)).json()).name).toBe(v.trim());
    }
    const badUrl = await send('POST', '/api/destinations', { name: 'x', url: v, definitions: 'all' });
    expect(badUrl.status).toBe(400);
  }
  // nothing leaked into the data
  const { sessions } = await (await get('/api/sessions?limit=500')).json();
  expect(sessions.length).toBe(NASTY.length);
});
