// Sessions list: frustration, minimum duration, "performed definition X" and sorting, from the
// viewer's controls through the query string to the API, with hand-made sessions whose answers
// are known.
import { expect, test, type Page } from '@playwright/test';
import type { RawEvent } from '@hindsight/schema';
import { batch, clickEvent, eventId, postBatch } from '../helpers/batches';
import { startServer, type RunningServer } from '../helpers/server';
import { loginViewer } from '../helpers/viewer';

let server: RunningServer;
let buyDefinitionId = '';

test.describe.configure({ mode: 'serial' });

const T0 = Date.now() - 3 * 3600_000;
const MIN = 60_000;

function e(sessionId: string, type: RawEvent['type'], ts: number, extra: Partial<RawEvent> = {}): RawEvent {
  return { id: eventId(), type, ts, sessionId, anonymousId: `anon-${sessionId}`, url: 'https://shop.example/', ...extra };
}
const click = (sessionId: string, ts: number, type: 'click' | 'rage_click' | 'dead_click' = 'click') =>
  ({ ...clickEvent(sessionId, 0), type, ts }) as RawEvent;

test.beforeAll(async () => {
  server = await startServer();
  const events: RawEvent[] = [
    // calm: 20 s, one page, no frustration, never bought
    e('calm', 'pageview', T0),
    e('calm', 'custom', T0 + 20_000, { name: 'browse' }),
    // long: 12 min, three pages, bought once
    e('long', 'pageview', T0 + MIN),
    e('long', 'pageview', T0 + 5 * MIN, { url: 'https://shop.example/cart' }),
    click('long', T0 + 6 * MIN),
    e('long', 'pageview', T0 + 13 * MIN, { url: 'https://shop.example/thanks' }),
    // angry: 2 min, rage clicks on the buy button (a rage click follows the clicks it is made of)
    e('angry', 'pageview', T0 + 2 * MIN),
    click('angry', T0 + 3 * MIN),
    click('angry', T0 + 3 * MIN + 100),
    click('angry', T0 + 3 * MIN + 200),
    click('angry', T0 + 3 * MIN + 200, 'rage_click'),
    e('angry', 'pageview', T0 + 4 * MIN, { url: 'https://shop.example/help' }),
    // stuck: 5 s, a dead click on a non-button, an error
    e('stuck', 'pageview', T0 + 3 * MIN),
    e('stuck', 'dead_click', T0 + 3 * MIN + 5000, { chain: [{ tag: 'div', attrs: { class: 'hero' }, nth: [1, 1, 1, 1] }] }),
    e('stuck', 'error', T0 + 3 * MIN + 5000, { name: 'TypeError: x' }),
  ];
  expect((await postBatch(server.url, server.projectKey, batch(events))).ok).toBe(true);
  const r = await server.api('/api/definitions', {
    method: 'POST',
    body: JSON.stringify({ name: 'buy_clicked', rules: [{ event: 'click', selector: 'form#checkout button.buy' }] }),
  });
  buyDefinitionId = r.id;
});

test.afterAll(async () => {
  await server?.stop();
});

const login = (page: Page, path = '/') => loginViewer(page, server, path);

const order = (page: Page) => page.getByTestId('session-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-session-id')));

test('rows show pages, events and frustration badges', async ({ page }) => {
  await login(page);
  await expect(page.getByTestId('session-row')).toHaveCount(4);
  const angry = page.locator('[data-session-id="angry"]');
  await expect(angry.locator('td').nth(3)).toHaveText('2'); // pages
  await expect(angry.locator('td').nth(4)).toHaveText('6'); // events
  await expect(angry.locator('.badge.rage')).toHaveText('Rage ×1');
  await expect(page.locator('[data-session-id="stuck"] .badge.dead')).toHaveText('Dead ×1');
  await expect(page.locator('[data-session-id="stuck"] .badge.error')).toBeVisible();
  await expect(page.locator('[data-session-id="long"] td').nth(3)).toHaveText('3');
  await expect(page.locator('[data-session-id="calm"] .badge')).toHaveCount(0);
});

test('filters by frustration, duration and performed definition; keeps them in the URL', async ({ page }) => {
  await login(page);
  await page.getByTestId('filter-frustrated').check();
  await expect(page).toHaveURL(/frustrated=1/);
  await expect.poll(() => order(page)).toEqual(['stuck', 'angry']);

  await page.getByTestId('filter-frustrated').uncheck();
  await page.getByTestId('filter-duration').selectOption('60');
  await expect(page).toHaveURL(/minDuration=60/);
  await expect(page.getByTestId('session-row')).toHaveCount(2);
  await expect.poll(() => order(page)).toEqual(['angry', 'long']);
  await page.getByTestId('filter-duration').selectOption('300');
  await expect(page.getByTestId('session-row')).toHaveCount(1);

  await page.getByTestId('filter-duration').selectOption('0');
  await page.getByTestId('filter-definition').selectOption({ label: 'buy_clicked' });
  await expect(page).toHaveURL(new RegExp(`definition=${buyDefinitionId}`));
  await expect(page.getByTestId('session-row')).toHaveCount(2);
  await expect.poll(() => order(page)).toEqual(['angry', 'long']);

  // everything survives a reload, combined
  await page.getByTestId('filter-frustrated').check();
  await expect(page.getByTestId('session-row')).toHaveCount(1);
  await page.reload();
  await expect(page.getByTestId('filter-definition')).toHaveValue(buyDefinitionId);
  await expect(page.getByTestId('filter-frustrated')).toBeChecked();
  await expect.poll(() => order(page)).toEqual(['angry']);
});

test('sorts by start, duration and event count', async ({ page }) => {
  await login(page);
  await expect(page.getByTestId('session-row')).toHaveCount(4);
  await expect.poll(() => order(page)).toEqual(['stuck', 'angry', 'long', 'calm']);
  await page.getByTestId('filter-sort').selectOption('longest');
  await expect(page).toHaveURL(/sort=longest/);
  await expect.poll(() => order(page)).toEqual(['long', 'angry', 'calm', 'stuck']);
  await page.getByTestId('filter-sort').selectOption('most_events');
  await expect.poll(() => order(page)).toEqual(['angry', 'long', 'stuck', 'calm']);
  await page.getByTestId('filter-sort').selectOption('oldest');
  await expect.poll(() => order(page)).toEqual(['calm', 'long', 'angry', 'stuck']);
});

test('the API pages each order with its own cursor', async () => {
  const seen: string[] = [];
  let cursor = '';
  for (let i = 0; i < 10; i++) {
    const r = await server.api(`/api/sessions?sort=longest&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
    seen.push(...r.sessions.map((s: { id: string }) => s.id));
    if (!r.next) break;
    cursor = encodeURIComponent(r.next);
  }
  expect(seen).toEqual(['long', 'angry', 'calm', 'stuck']);
});
