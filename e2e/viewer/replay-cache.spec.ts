// The IndexedDB replay cache and session files. A session opened once replays again with its
// replay endpoints unreachable; "Export session" downloads a versioned file that a fresh browser
// context, with no API at all and then offline, imports and plays with the same content; an
// imported file is as untrusted as a recording: nothing in it runs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { startServer, type RunningServer } from '../helpers/server';
import { loginViewer } from '../helpers/viewer';

let server: RunningServer;
let sessionId: string;

test.beforeAll(async ({ browser }) => {
  server = await startServer();
  sessionId = await shop(browser);
  await server.api('/api/definitions', {
    method: 'POST',
    body: JSON.stringify({ name: 'Added to cart', rules: [{ event: 'click', selector: '[data-testid=add-to-cart]' }] }),
  });
});

test.afterAll(async () => {
  await server?.stop();
});

async function shop(browser: Browser): Promise<string> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(server.demoUrl + '/');
  await page.waitForFunction(() => (window as any).hindsight?.sessionId);
  const id = await page.evaluate(() => (window as any).hindsight.sessionId as string);
  for (let i = 0; i < 2; i++) {
    await page.getByTestId('add-to-cart').first().click();
    await page.waitForTimeout(200);
  }
  await page.evaluate(() => (window as any).hindsight.flush());
  await ctx.close();
  return id;
}

const login = (page: Page, path = '/') => loginViewer(page, server, path);

const frame = (page: Page) => page.frameLocator('[data-testid=replay-frame-container] [data-active] iframe');

/** rows in the viewer's replay cache (IndexedDB) */
const cachedKeys = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<string[]>((res) => {
        const open = indexedDB.open('hindsight-replay-cache');
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('blobs')) return res([]);
          const req = db.transaction('blobs').objectStore('blobs').getAllKeys();
          req.onsuccess = () => res(req.result.map(String));
          req.onerror = () => res([]);
        };
        open.onerror = () => res([]);
      }),
  );

test('a reopened session plays from the cache with its replay endpoints unreachable', async ({ page }) => {
  const index = await server.api(`/api/sessions/${sessionId}/replay/index`);
  await login(page);
  await page.goto(`${server.url}/sessions/${sessionId}`);
  await expect(frame(page).locator('[data-testid=add-to-cart]').first()).toBeVisible();
  // every chunk and the session record end up cached
  await expect.poll(async () => (await cachedKeys(page)).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(index.chunks.length + 1);

  await page.goto(server.url + '/');
  const blocked: string[] = [];
  await page.route(/\/api\/sessions\/[^/]+\/replay/, (route) => {
    blocked.push(route.request().url());
    return route.abort();
  });
  await page.goto(`${server.url}/sessions/${sessionId}`);
  await expect(frame(page).locator('[data-testid=add-to-cart]').first()).toBeVisible();
  expect(blocked.length).toBeGreaterThan(0); // it did try the server first
  await expect(page.getByText('cached copy')).toBeVisible();
  await page.getByTestId('play-button').click();
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Play', { timeout: 30_000 }); // played to the end
});

test('the cache is per project: the same session id in another project never shows the cached copy', async ({ page }) => {
  await login(page);
  await page.goto(`${server.url}/sessions/${sessionId}`);
  await expect(frame(page).locator('[data-testid=add-to-cart]').first()).toBeVisible();
  await expect.poll(async () => (await cachedKeys(page)).some((k) => k.startsWith('s:')), { timeout: 20_000 }).toBe(true);

  // another project (recorders choose session ids, so it may well hold this id too); the
  // server cannot be reached, so only the cache could answer
  const { project } = await server.api<{ project: { id: string } }>('/api/projects', { method: 'POST', body: JSON.stringify({ name: `Other ${Date.now()}` }) });
  await page.evaluate((id) => localStorage.setItem('hs_project', id), project.id);
  await page.route(/\/api\/sessions\//, (route) => route.abort());
  await page.goto(`${server.url}/sessions/${sessionId}`);
  await expect(page.getByTestId('error-state')).toBeVisible();
  await expect(page.getByText('cached copy')).toHaveCount(0);
  await expect(page.locator('[data-testid=replay-frame-container] iframe')).toHaveCount(0);

  // back on the first project, the cached copy answers again
  await page.evaluate(() => localStorage.removeItem('hs_project'));
  await page.goto(`${server.url}/sessions/${sessionId}`);
  await expect(frame(page).locator('[data-testid=add-to-cart]').first()).toBeVisible();
  await expect(page.getByText('cached copy')).toBeVisible();
});

test('export, then import in a fresh context with no API and offline: the same replay', async ({ page, browser }) => {
  await login(page);
  await page.goto(`${server.url}/sessions/${sessionId}`);
  await expect(frame(page).locator('[data-testid=add-to-cart]').first()).toBeVisible();
  const rows = await page.getByTestId('event-row').count();
  const buttons = await frame(page).locator('[data-testid=add-to-cart]').count();
  await expect(page.getByTestId('event-match')).toHaveCount(2);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-session').click()]);
  const file = join(tmpdir(), `hs-export-${Date.now()}.json`);
  await download.saveAs(file);
  const exported = JSON.parse(readFileSync(file, 'utf8'));
  expect(exported.format).toBe('hindsight-session');
  expect(exported.version).toBe(1);
  expect(exported.session.id).toBe(sessionId);
  expect(exported.events.length).toBe(rows);
  expect(exported.replay).toEqual(await server.api(`/api/sessions/${sessionId}/replay`));

  const ctx = await browser.newContext();
  const fresh = await ctx.newPage();
  const api: string[] = [];
  await ctx.route('**/api/**', (route) => {
    api.push(route.request().url());
    return route.abort();
  });
  await fresh.goto(`${server.url}/sessions/import`);
  await expect(fresh.getByTestId('import-file')).toBeVisible();
  await fresh.waitForLoadState('networkidle');
  await ctx.setOffline(true);
  await fresh.getByTestId('import-file').setInputFiles(file);
  const f = fresh.frameLocator('[data-testid=replay-frame-container] [data-active] iframe');
  await expect(f.locator('[data-testid=add-to-cart]').first()).toBeVisible();
  await expect(f.locator('[data-testid=add-to-cart]')).toHaveCount(buttons);
  await expect(fresh.getByTestId('event-row')).toHaveCount(rows);
  await expect(fresh.getByTestId('event-match')).toHaveCount(2);
  await expect(fresh.getByText('imported file')).toBeVisible();
  expect(await fresh.locator('[data-testid=replay-frame-container] [data-active] iframe').getAttribute('sandbox')).toBe('allow-same-origin');
  expect(api.filter((u) => new URL(u).pathname.startsWith('/api/sessions'))).toEqual([]);
  await ctx.close();
});

test('an imported file is untrusted: its scripts never run and bad files are refused', async ({ page }) => {
  const problems: string[] = [];
  page.on('dialog', (d) => (problems.push(`dialog ${d.message()}`), d.dismiss()));
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${server.url}/sessions/import`);
  const t = Date.now() - 10_000;
  let id = 1;
  const el = (tagName: string, attributes: Record<string, string>, childNodes: any[] = []) => ({ type: 2, tagName, attributes, childNodes, id: id++ });
  const text = (textContent: string) => ({ type: 3, textContent, id: id++ });
  const doc = {
    type: 0,
    id: id++,
    childNodes: [
      el('html', {}, [
        el('head', {}, [el('script', {}, [text('parent.__pwned = 1; alert(1)')]), el('link', { rel: 'prefetch', href: 'http://127.0.0.1:9/prefetched' })]),
        el('body', { onload: 'parent.__pwned = 2' }, [el('img', { src: 'x', onerror: 'parent.__pwned = 3' }), el('p', { id: 'hello' }, [text('forged page')])]),
      ]),
    ],
  };
  const forged = {
    format: 'hindsight-session',
    version: 1,
    session: { id: 'forged' },
    events: [{ id: 'e1', type: 'click', ts: t + 10, chain: [{ tag: 'img', attrs: { onerror: 'x' }, nth: [1, 1, 1, 1] }] }, { bogus: true }],
    replay: [
      { type: 4, timestamp: t, data: { href: 'http://forged.test/', width: 800, height: 600 } },
      { type: 2, timestamp: t, data: { node: doc, initialOffset: { top: 0, left: 0 } } },
      { type: 3, timestamp: t + 1000, data: { source: 0, texts: [], attributes: [], removes: [], adds: [{ parentId: 4, nextId: null, node: el('script', {}, [text('parent.__pwned = 4')]) }] } },
    ],
  };
  const bad = join(tmpdir(), `hs-bad-${Date.now()}.json`);
  writeFileSync(bad, JSON.stringify({ ...forged, version: 99 }));
  await page.getByTestId('import-file').setInputFiles(bad);
  await expect(page.getByTestId('import-error')).toContainText('Unsupported export version 99');

  const file = join(tmpdir(), `hs-forged-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(forged));
  await page.getByTestId('import-file').setInputFiles(file);
  const f = page.frameLocator('[data-testid=replay-frame-container] [data-active] iframe');
  await expect(f.locator('#hello')).toHaveText('forged page');
  await page.getByTestId('play-button').click();
  await page.waitForTimeout(2000);
  expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
  expect(problems).toEqual([]);
  expect(requests.some((u) => u.includes('prefetched'))).toBe(false);
  await expect(page.getByTestId('event-row')).toHaveCount(1);
});
