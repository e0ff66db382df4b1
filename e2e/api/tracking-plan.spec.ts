// The tracking plan through HTTP: project settings (naming convention), its enforcement when
// definitions are saved, the per-definition stats of the definitions page and the CSV/Markdown export.
import { expect, test } from '@playwright/test';
import { batch, clickEvent, postBatch } from '../helpers/batches.js';
import { startServer, type RunningServer } from '../helpers/server.js';

const DAY = 86_400_000;
const now = Date.now();
/** days ago of the matching clicks: 2 in the last 7 days, 4 in the last 30 */
const AGES = [1, 3, 10, 20];

let s: RunningServer;
test.beforeAll(async () => {
  s = await startServer();
  const events = AGES.map((d, i) => clickEvent(`s${i}`, i, { ts: now - d * DAY }));
  // a click elsewhere that no rule below matches
  events.push(clickEvent('other', 9, { ts: now - DAY, chain: [{ tag: 'a', attrs: {}, nth: [1, 1, 1, 1] }] }));
  expect((await postBatch(s.url, s.projectKey, batch(events))).status).toBe(200);
});
test.afterAll(async () => s?.stop());

const call = (method: string, path: string, body?: unknown, auth = true) =>
  fetch(`${s.url}${path}`, {
    method,
    headers: { ...(auth ? { authorization: `Bearer ${s.adminToken}` } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
const BUY = [{ event: 'click', selector: 'button.buy' }];

/** RFC 4180 reader (enough for our own output) */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  return rows;
}

test.describe.configure({ mode: 'serial' });

test('settings: default none, admin only, validated, persisted', async () => {
  expect(await (await call('GET', '/api/settings')).json()).toEqual({ namingConvention: 'none' });
  expect((await call('GET', '/api/settings', undefined, false)).status).toBe(401);
  expect((await call('PUT', '/api/settings', { namingConvention: 'snake_case' }, false)).status).toBe(401);

  for (const [body, code] of [
    [{ namingConvention: 'kebab-case' }, 'invalid_body'],
    [{ namingConvention: 5 }, 'invalid_body'],
    [{ nope: true }, 'invalid_body'],
    [[], 'invalid_body'],
    ['{not json', 'bad_json'],
    ['', 'empty_body'],
  ] as const) {
    const r = await call('PUT', '/api/settings', body);
    expect(r.status, JSON.stringify(body)).toBe(400);
    const j = await r.json();
    expect(j.error.code).toBe(code);
    expect(typeof j.error.message).toBe('string');
  }
  expect(await (await call('GET', '/api/settings')).json()).toEqual({ namingConvention: 'none' });
});

test('with no convention any name is accepted; with one, non-conforming names get a suggestion', async () => {
  const free = await call('POST', '/api/definitions', { name: 'Add To Cart', category: 'monetization', rules: BUY });
  expect(free.status).toBe(201);
  const legacy = await free.json();

  const put = await call('PUT', '/api/settings', { namingConvention: 'snake_case' });
  expect(await put.json()).toEqual({ namingConvention: 'snake_case' });
  expect(await (await call('GET', '/api/settings')).json()).toEqual({ namingConvention: 'snake_case' });

  const refused = await call('POST', '/api/definitions', { name: 'Add To Cart', rules: BUY });
  expect(refused.status).toBe(400);
  const err = (await refused.json()).error;
  expect(err).toMatchObject({ code: 'naming_convention', suggestion: 'add_to_cart' });
  expect(err.message).toContain('snake_case');
  expect(err.message).toContain('add_to_cart');

  // updates are checked too (also of definitions created before the convention)
  const upd = await call('PUT', `/api/definitions/${legacy.id}`, { name: 'Add To Cart', rules: BUY });
  expect(upd.status).toBe(400);
  expect((await upd.json()).error.suggestion).toBe('add_to_cart');
  const fixed = await call('PUT', `/api/definitions/${legacy.id}`, { name: 'add_to_cart', category: 'monetization', rules: BUY });
  expect(fixed.status).toBe(200);
  // an unknown id stays a 404, whatever the name
  expect((await call('PUT', '/api/definitions/nope', { name: 'Bad Name', rules: BUY })).status).toBe(404);

  await call('PUT', '/api/settings', { namingConvention: 'title_case' });
  const title = await call('POST', '/api/definitions', { name: 'page_viewed', rules: [{ event: 'pageview' }] });
  expect((await title.json()).error).toMatchObject({ code: 'naming_convention', suggestion: 'Page Viewed' });
  expect((await call('POST', '/api/definitions', { name: 'Page Viewed', category: 'engagement', rules: [{ event: 'pageview' }] })).status).toBe(201);
  await call('PUT', '/api/settings', { namingConvention: 'snake_case' });
});

test('stats: 7- and 30-day counts and a daily series per definition', async () => {
  const r = await call('GET', '/api/definitions/stats?tzOffsetMinutes=0');
  expect(r.status).toBe(200);
  const { stats } = await r.json();
  const defs = (await (await call('GET', '/api/definitions')).json()).definitions as { id: string; name: string }[];
  const buy = stats.find((x: { id: string }) => x.id === defs.find((d) => d.name === 'add_to_cart')!.id);
  expect(buy).toMatchObject({ last7: 2, last30: 4 });
  expect(buy.daily).toHaveLength(30);
  expect(buy.daily.reduce((a: number, p: { events: number }) => a + p.events, 0)).toBe(4);
  expect(buy.daily[29].t).toBeLessThanOrEqual(now);
  const page = stats.find((x: { id: string }) => x.id === defs.find((d) => d.name === 'Page Viewed')!.id);
  expect(page).toMatchObject({ last7: 0, last30: 0 });
  expect((await call('GET', '/api/definitions/stats?tzOffsetMinutes=abc')).status).toBe(400);
});

test('export: CSV (RFC 4180, attachment) and Markdown', async () => {
  const csv = await call('GET', '/api/definitions/export?format=csv');
  expect(csv.status).toBe(200);
  expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
  expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="tracking-plan-\d{4}-\d\d-\d\d\.csv"$/);
  const text = await csv.text();
  expect(text.endsWith('\r\n')).toBe(true);
  const rows = parseCsv(text);
  expect(rows[0]).toEqual(['name', 'description', 'category', 'rules', 'first_seen', 'count_30d']);
  const buy = rows.find((r) => r[0] === 'add_to_cart')!;
  expect(buy).toEqual(['add_to_cart', '', 'monetization', 'click on "button.buy"', new Date(now - 20 * DAY).toISOString(), '4']);
  expect(rows.find((r) => r[0] === 'Page Viewed')).toEqual(['Page Viewed', '', 'engagement', 'any pageview', '', '0']);

  const md = await call('GET', '/api/definitions/export?format=md');
  expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
  expect(md.headers.get('content-disposition')).toMatch(/filename="tracking-plan-.*\.md"/);
  const body = await md.text();
  expect(body).toContain('# Tracking plan');
  expect(body).toContain('Naming convention: snake_case.');
  expect(body).toContain(`| add_to_cart |   | monetization | click on "button.buy" | ${new Date(now - 20 * DAY).toISOString()} | 4 |`);

  const bad = await call('GET', '/api/definitions/export?format=xml');
  expect(bad.status).toBe(400);
  expect((await bad.json()).error.code).toBe('bad_query');
  expect((await call('GET', '/api/definitions/export', undefined, false)).status).toBe(401);
});
