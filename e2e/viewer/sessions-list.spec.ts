// Sessions list against the built server with hand-made batches (no browser recording): paging
// with the cursor, filters in the query string, and a session that has events but no replay.
import { expect, test, type Page } from '@playwright/test';
import { batch, clickEvent, eventId, postBatch } from '../helpers/batches';
import { startServer, type RunningServer } from '../helpers/server';
import { loginViewer } from '../helpers/viewer';

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
