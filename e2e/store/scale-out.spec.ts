// Scale-out: one ClickHouse, two stateless Hindsight servers (the built apps/server/dist/main.js).
// Whatever reaches either server is visible through both, and a batch both receive is stored once.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, test, type Browser } from '@playwright/test';
import type { RunningClickHouse } from '../../packages/store/test/clickhouse-server';
import { twoServersOnClickHouse, type SharedClickHouse } from '../helpers/shared-clickhouse';
import { batch, clickEvent, postBatch } from '../helpers/batches';
import { ROOT, type RunningServer } from '../helpers/server';

test.skip(!existsSync(join(ROOT, 'apps/server/dist/main.js')) || !existsSync(join(ROOT, 'apps/server/dist/cli.js')), 'server not built (node apps/server/build.mjs)');

interface Summary {
  id: string;
  eventCount: number;
  userId: string | null;
}

let shared: SharedClickHouse;
let ch: RunningClickHouse;
let a: RunningServer;
let b: RunningServer;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  shared = await twoServersOnClickHouse();
  ({ ch, a, b } = shared);
});
test.afterAll(async () => shared?.stop());

async function sessions(s: RunningServer, ids: string[]): Promise<Summary[]> {
  const out: Summary[] = [];
  for (let cursor: string | null = null; ; ) {
    const page: { sessions: Summary[]; next: string | null } = await s.api(`/api/sessions?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    out.push(...page.sessions.filter((x) => ids.includes(x.id)));
    if (!page.next) break;
    cursor = page.next;
  }
  return out.sort((x, y) => (x.id < y.id ? -1 : 1));
}

test('two servers on one ClickHouse: every session visible through both, a shared batch stored once', async () => {
  const run = Date.now().toString(36);
  const onlyA = batch(Array.from({ length: 30 }, (_, i) => clickEvent(`a-${run}`, i)));
  const onlyB = batch(Array.from({ length: 45 }, (_, i) => clickEvent(`b-${run}`, i)));
  const shared = batch(Array.from({ length: 60 }, (_, i) => clickEvent(`shared-${run}-${i % 3}`, i)));
  const results = await Promise.all([
    postBatch(a.url, a.projectKey, onlyA),
    postBatch(b.url, b.projectKey, onlyB),
    // the same batch to both at once (a recorder retrying against another server behind a balancer)
    postBatch(a.url, a.projectKey, shared),
    postBatch(b.url, b.projectKey, shared, false),
  ]);
  for (const r of results) expect(r.status).toBe(200);
  // and once more, sequentially: now a plain duplicate
  const again = await (await postBatch(b.url, b.projectKey, shared)).json();
  expect(again).toMatchObject({ ok: true, inserted: 0, duplicates: 60 });

  const ids = [`a-${run}`, `b-${run}`, ...[0, 1, 2].map((i) => `shared-${run}-${i}`)].sort();
  const expected = [
    { id: `a-${run}`, eventCount: 30 },
    { id: `b-${run}`, eventCount: 45 },
    ...[0, 1, 2].map((i) => ({ id: `shared-${run}-${i}`, eventCount: 20 })),
  ].sort((x, y) => (x.id < y.id ? -1 : 1));
  const viaA = await sessions(a, ids);
  const viaB = await sessions(b, ids);
  expect(viaA.map(({ id, eventCount }) => ({ id, eventCount }))).toEqual(expected);
  expect(viaB).toEqual(viaA);

  for (const s of [a, b]) {
    const { events } = await s.api<{ events: { id: string }[] }>(`/api/sessions/shared-${run}-0/events`);
    expect(events).toHaveLength(20);
    expect(new Set(events.map((e) => e.id)).size).toBe(20);
    const preview = await s.api<{ events: number; sessions: number }>('/api/definitions/preview', {
      method: 'POST',
      body: JSON.stringify({ rules: [{ event: 'click', selector: 'form#checkout button', url: { op: 'contains', value: 'shop.example' } }] }),
    });
    expect(preview.events).toBeGreaterThanOrEqual(135);
  }
  // a definition made through A is served by B
  const def = await a.api<{ id: string }>('/api/definitions', { method: 'POST', body: JSON.stringify({ name: `Buy ${run}`, rules: [{ event: 'click' }] }) });
  expect(await b.api(`/api/definitions/${def.id}`)).toMatchObject({ id: def.id, name: `Buy ${run}` });
});

test('real recorders on two servers: both sessions visible through both APIs with equal counts', async ({ browser }) => {
  // a static page origin separate from both servers
  const pages = new Map<string, string>();
  const site: Server = createServer((req, res) => {
    const body = pages.get(req.url ?? '');
    res.writeHead(body ? 200 : 404, { 'content-type': 'text/html' });
    res.end(body ?? 'not found');
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', () => r()));
  const siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  const html = (s: RunningServer, label: string) => `<!doctype html><html><head><title>${label}</title>
<script src="${s.url}/recorder.js" data-key="${s.projectKey}" data-endpoint="${s.url}"></script>
</head><body><main><button id="buy" class="buy">Buy</button><a id="more" href="#more">More</a><input id="q" name="q"></main></body></html>`;
  pages.set('/a.html', html(a, 'Page A'));
  pages.set('/b.html', html(b, 'Page B'));

  const visit = async (br: Browser, path: string, clicks: number): Promise<string> => {
    const ctx = await br.newContext(); // own storage: its own anonymous id and session
    try {
      const page = await ctx.newPage();
      await page.goto(siteUrl + path);
      await page.waitForFunction(() => typeof (window as any).hindsight?.flush === 'function');
      for (let i = 0; i < clicks; i++) await page.click(i % 2 ? '#more' : '#buy');
      await page.fill('#q', 'shoes');
      await page.click('#buy');
      await page.evaluate(() => (window as any).hindsight.flush());
      return await page.evaluate(() => (window as any).hindsight.sessionId as string);
    } finally {
      await ctx.close();
    }
  };
  try {
    const [sa, sb] = await Promise.all([visit(browser, '/a.html', 3), visit(browser, '/b.html', 5)]);
    expect(sa).not.toBe(sb);
    // Closing a page sends its last events (pagehide) by beacon: wait until that has landed, i.e.
    // two reads a moment apart agree; then both servers must answer identically.
    let viaA: Summary[] = [];
    await expect
      .poll(async () => {
        const before = JSON.stringify(await sessions(a, [sa, sb]));
        await new Promise((r) => setTimeout(r, 500));
        viaA = await sessions(a, [sa, sb]);
        return before === JSON.stringify(viaA) && viaA.length === 2;
      })
      .toBe(true);
    const viaB = await sessions(b, [sa, sb]);
    expect(viaA.map((s) => s.id).sort()).toEqual([sa, sb].sort());
    expect(viaB).toEqual(viaA);
    for (const s of viaA) expect(s.eventCount).toBeGreaterThanOrEqual(5); // pageview + clicks + change
    for (const id of [sa, sb]) {
      const [ea, eb] = await Promise.all([a.api(`/api/sessions/${id}/events`), b.api(`/api/sessions/${id}/events`)]);
      expect(eb).toEqual(ea);
      const [ra, rb] = await Promise.all([a.api<unknown[]>(`/api/sessions/${id}/replay`), b.api<unknown[]>(`/api/sessions/${id}/replay`)]);
      expect(ra.length).toBeGreaterThan(1);
      expect(rb).toEqual(ra);
    }
  } finally {
    await new Promise<void>((r) => site.close(() => r()));
  }
});

test('hindsight delete-user and purge on the shared ClickHouse while both servers run', async () => {
  const run = Date.now().toString(36);
  const user = `user-${run}`;
  const anon = `anon-del-${run}`;
  // an anonymous session before identify (via A), the identified session (via B), someone else
  const before = batch(Array.from({ length: 5 }, (_, i) => clickEvent(`pre-${run}`, i, { anonymousId: anon })));
  const after = batch(Array.from({ length: 5 }, (_, i) => clickEvent(`post-${run}`, i, { anonymousId: anon, userId: user })));
  const other = batch(Array.from({ length: 5 }, (_, i) => clickEvent(`other-${run}`, i)));
  const old = batch(Array.from({ length: 3 }, (_, i) => clickEvent(`old-${run}`, i, { ts: Date.now() - 20 * 86_400_000 })));
  for (const [s, b2] of [[a, before], [b, after], [a, other], [b, old]] as const) expect((await postBatch(s.url, s.projectKey, b2)).status).toBe(200);
  expect((await b.api<{ sessions: Summary[] }>(`/api/sessions?userId=${user}`)).sessions.map((s) => s.id).sort()).toEqual([`post-${run}`, `pre-${run}`]);

  const cli = (args: string[]) =>
    new Promise<{ code: number | null; err: string }>((res) => {
      const p = spawn(process.execPath, [join(ROOT, 'apps/server/dist/cli.js'), ...args], {
        env: { ...process.env, HINDSIGHT_STORE: ch.url },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      p.stderr!.on('data', (d) => (err += d));
      p.once('exit', (code) => res({ code, err }));
    });
  const del = await cli(['delete-user', user]);
  expect(del.err).toContain(`deleted 10 events`);
  expect(del.code).toBe(0);
  for (const s of [a, b]) {
    expect((await s.api<{ sessions: Summary[] }>(`/api/sessions?userId=${user}`)).sessions).toEqual([]);
    expect((await s.api<{ events: unknown[] }>(`/api/sessions/pre-${run}/events`)).events).toEqual([]);
    expect((await s.api<{ events: unknown[] }>(`/api/sessions/other-${run}/events`)).events).toHaveLength(5);
  }
  const purge = await cli(['purge', '--older-than', '2w']);
  expect(purge.code).toBe(0);
  expect(purge.err).toMatch(/purged [1-9]\d* events/);
  for (const s of [a, b]) expect((await s.api<{ events: unknown[] }>(`/api/sessions/old-${run}/events`)).events).toEqual([]);
});
