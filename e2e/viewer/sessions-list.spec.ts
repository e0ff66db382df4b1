// Sessions list against the built server with hand-made batches (no browser recording): paging
// with the cursor, filters in the query string, and a session that has events but no replay.
import { expect, test, type Page } from '@playwright/test';
import { batch, clickEvent, eventId, postBatch } from '../helpers/batches';
import { startServer, type RunningServer } from '../helpers/server';
import { loginViewer, overflowing } from '../helpers/viewer';

let server: RunningServer;
const SESSIONS = 60;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  server = await startServer();
  const events = [];
  for (let i = 0; i < SESSIONS; i++) {
    const sessionId = `sess-${String(i).padStart(3, '0')}`;
    const userId = i % 10 === 7 ? `user-${i}` : null;
    const ts = Date.now() - (SESSIONS - i) * 60_000;
    events.push({ ...clickEvent(sessionId, i), ts, userId, url: `https://shop.example/page-${i}` });
    if (i % 20 === 3) {
      events.push({ id: eventId(), type: 'error' as const, ts: ts + 10, sessionId, anonymousId: `anon-${sessionId}`, userId, url: `https://shop.example/page-${i}`, name: 'TypeError: boom' });
    }
  }
  const res = await postBatch(server.url, server.projectKey, batch(events));
  expect(res.ok).toBe(true);
});

test.afterAll(async () => {
  await server?.stop();
});

const login = (page: Page, path = '/') => loginViewer(page, server, path);

test('pages through sessions with "Load more"', async ({ page }) => {
  await login(page);
  const rows = page.getByTestId('session-row');
  await expect(rows).toHaveCount(50);
  await page.getByTestId('load-more').click();
  await expect(rows).toHaveCount(SESSIONS);
  await expect(page.getByTestId('load-more')).toHaveCount(0);
  // anonymous sessions show a short anonymous id, identified ones the user id
  await expect(rows.filter({ hasText: 'user-17' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'anonymous' })).toHaveCount(SESSIONS - 6);
});

test('filters come from and go to the query string', async ({ page }) => {
  await login(page, '/?userId=user-27');
  const rows = page.getByTestId('session-row');
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId('filter-user')).toHaveValue('user-27');

  await page.goto(server.url + '/?hasError=1');
  await expect(rows).toHaveCount(3);
  await expect(page.getByTestId('filter-error')).toBeChecked();
  await expect(rows.locator('.badge.error')).toHaveCount(3);

  await page.getByTestId('filter-url').fill('page-43');
  await expect(page).toHaveURL(/url=page-43/);
  await expect(rows).toHaveCount(1);
  await page.getByTestId('filter-url').fill('page-44');
  await expect(page.getByTestId('empty-state')).toContainText('No sessions match');
  await page.reload();
  await expect(page.getByTestId('filter-url')).toHaveValue('page-44');
  await expect(page.getByTestId('filter-error')).toBeChecked();
  await expect(page.getByTestId('empty-state')).toBeVisible();
});

test('a session without replay data still lists its events', async ({ page }) => {
  await login(page, '/sessions/sess-003');
  await expect(page.getByText('No replay recorded for this session.')).toBeVisible();
  const rows = page.getByTestId('event-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('button.btn.buy "Buy now"');
  await expect(rows.nth(1)).toContainText('TypeError: boom');
});

test('a replay link that is not valid percent-encoding shows "Not found", not a blank page', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await login(page, '/sessions/abc%2');
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to sessions' }).click();
  await expect(page.getByTestId('session-row').first()).toBeVisible();
  expect(errors).toEqual([]);
});

test('a replay link to a session that was never recorded says so, with the way back', async ({ page }) => {
  await login(page, '/sessions/never-recorded-42');
  await expect(page.getByRole('heading', { name: 'Session not found' })).toBeVisible();
  await expect(page.getByTestId('session-not-found')).toContainText('never-recorded-42');
  // nothing to export or replay
  await expect(page.getByTestId('export-session')).toHaveCount(0);
  await page.getByRole('link', { name: 'Go to sessions' }).click();
  await expect(page.getByTestId('session-row').first()).toBeVisible();
});

test('a long user id and entry URL never push the badges out of the row (1280×800)', async ({ page }) => {
  // last in this serial file: it adds a session the counts above do not expect
  const userId = 'customer-with-a-rather-long-id@subsidiary.example-company-with-a-long-domain.com';
  const sessionId = 'sess-long';
  const url = `https://shop.example/landing?utm_source=newsletter&utm_campaign=${'x'.repeat(120)}`;
  const base = { sessionId, anonymousId: 'anon-long', userId, url };
  const events = [
    { ...clickEvent(sessionId, 1), ...base },
    { id: eventId(), type: 'error' as const, ts: Date.now(), ...base, name: 'TypeError: boom' },
    { ...clickEvent(sessionId, 2), ...base, type: 'rage_click' as const },
    { ...clickEvent(sessionId, 3), ...base, type: 'dead_click' as const },
  ];
  expect((await postBatch(server.url, server.projectKey, batch(events))).ok).toBe(true);
  await login(page, `/?userId=${encodeURIComponent(userId)}`);
  const row = page.getByTestId('session-row');
  await expect(row).toHaveCount(1);
  await expect(row.locator('.badge')).toHaveText(['Error', 'Rage ×1', 'Dead ×1']);
  // the id is cut on screen, whole in its tooltip; every badge inside the table
  await expect(row.locator('.user')).toHaveAttribute('title', userId);
  const table = (await page.getByTestId('sessions-table').boundingBox())!;
  for (const b of await row.locator('.badge').all()) {
    const box = (await b.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(table.x + table.width);
  }
  expect(await overflowing(page)).toEqual([]);
});
