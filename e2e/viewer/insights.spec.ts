// Insights pages in Chromium on hand-made batches whose answers are known: trend with the previous
// period, funnel steps, retention cohorts split by a condition, and time to event.
import { expect, test, type Page } from '@playwright/test';
import type { RawEvent } from '@hindsight/schema';
import { batch, eventId, postBatch } from '../helpers/batches';
import { startServer, type RunningServer } from '../helpers/server';
import { loginViewer } from '../helpers/viewer';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** local midnight 3 days ago: cohorts are local days in the viewer */
const D0 = (() => {
  const d = new Date(Date.now() - 3 * DAY);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
})();

let server: RunningServer;
test.describe.configure({ mode: 'serial' });

const ev = (anon: string, name: string, ts: number): RawEvent => ({
  id: eventId(),
  type: 'custom',
  name,
  ts,
  sessionId: `s-${anon}`,
  anonymousId: anon,
  url: 'https://shop.example/',
});

test.beforeAll(async () => {
  server = await startServer();
  const events: RawEvent[] = [
    // signed up on day 0; u1 and u2 took the tour within the hour
    ev('u1', 'Signed up', D0 + HOUR), ev('u1', 'Tour', D0 + HOUR + 5 * MIN), ev('u1', 'Paid', D0 + HOUR + 20 * MIN), ev('u1', 'Visit', D0 + DAY + HOUR),
    ev('u2', 'Signed up', D0 + 2 * HOUR), ev('u2', 'Tour', D0 + 2 * HOUR + 30 * MIN), ev('u2', 'Paid', D0 + 4 * HOUR), ev('u2', 'Visit', D0 + DAY + 2 * HOUR),
    ev('u3', 'Signed up', D0 + 3 * HOUR),
    ev('u4', 'Signed up', D0 + 4 * HOUR), ev('u4', 'Paid', D0 + 4 * HOUR + 10 * MIN), ev('u4', 'Visit', D0 + 2 * DAY),
  ];
  // clicks on product buttons carrying a data-sku (for extracted properties)
  const sku = (anon: string, value: string, ts: number): RawEvent => ({
    ...ev(anon, '', ts),
    type: 'click',
    name: undefined,
    chain: [
      { tag: 'span', attrs: {}, nth: [1, 1, 1, 1], text: 'Add' },
      { tag: 'button', attrs: { class: 'add', 'data-sku': value }, nth: [1, 1, 1, 1], text: 'Add' },
      { tag: 'body', attrs: {}, nth: [2, 1, 1, 1] },
      { tag: 'html', attrs: {}, nth: [1, 1, 1, 1] },
    ],
  });
  events.push(sku('u1', 'MUG', D0 + HOUR + MIN), sku('u2', 'MUG', D0 + 2 * HOUR + MIN), sku('u3', 'TEE', D0 + 3 * HOUR + MIN));
  expect((await postBatch(server.url, server.projectKey, batch(events))).ok).toBe(true);
  for (const name of ['Signed up', 'Tour', 'Paid', 'Visit']) {
    await server.api('/api/definitions', { method: 'POST', body: JSON.stringify({ name, rules: [{ event: 'custom', name }] }) });
  }
});
test.afterAll(async () => server?.stop());

const login = (page: Page, path = '/') => loginViewer(page, server, path);

test('trend: bar chart and the previous period', async ({ page }) => {
  await login(page, '/insights');
  await page.getByTestId('insights-definition').selectOption({ label: 'Signed up' });
  await expect(page.getByTestId('trend')).toContainText('4 events in range');
  await page.getByRole('button', { name: 'bar' }).click();
  await expect(page).toHaveURL(/chart=bar/);
  await expect(page.locator('.recharts-bar').first()).toBeVisible();
  await page.getByTestId('trend-compare').check();
  await expect(page.getByTestId('trend-change')).toContainText('previous period 0');
  await expect(page.locator('.recharts-legend-item')).toHaveCount(3);
  // breakdowns from the User-Agent ingest saw (these batches came from Node) and from track() props
  await page.getByTestId('trend-breakdown').selectOption('browser');
  await expect(page.locator('.recharts-legend-item').filter({ hasText: 'Server' })).toBeVisible();
  await page.getByTestId('trend-breakdown').selectOption('');
  // several events on one chart: one series each
  await page.getByTestId('trend-compare').uncheck();
  await page.getByTestId('trend-add-event').click();
  await page.getByTestId('trend-also-0').selectOption({ label: 'Paid' });
  await expect(page).toHaveURL(/also=/);
  await expect(page.locator('.recharts-legend-item').filter({ hasText: 'Signed up' })).toBeVisible();
  await expect(page.locator('.recharts-legend-item').filter({ hasText: 'Paid' })).toBeVisible();
  await page.getByRole('button', { name: 'Remove Paid' }).click();
  await expect(page.locator('.recharts-legend-item').filter({ hasText: 'Paid' })).toHaveCount(0);
  // a raw track() name works like a definition
  await page.getByTestId('insights-definition').selectOption('track:');
  await page.getByTestId('insights-definition-name').fill('Paid');
  await expect(page.getByTestId('trend')).toContainText('3 events in range');
});

test('funnel: users, conversion and drop-off per step', async ({ page }) => {
  await login(page, '/insights?view=funnel');
  await page.getByTestId('funnel-step-0').selectOption({ label: 'Signed up' });
  await page.getByTestId('funnel-step-1').selectOption({ label: 'Tour' });
  await page.getByTestId('funnel-add-step').click();
  await page.getByTestId('funnel-step-2').selectOption({ label: 'Paid' });
  await page.getByTestId('funnel-window').selectOption({ label: '1 hour' });
  const rows = page.getByTestId('funnel-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText('4');
  await expect(rows.nth(1)).toContainText('50%'); // u1 u2 toured
  await expect(rows.nth(2).locator('td').nth(1)).toHaveText('1'); // only u1 paid within the hour
  await expect(page.getByTestId('funnel-chart').locator('.recharts-bar-rectangle')).toHaveCount(3);
  // who dropped before "Paid" (u2 paid too late): one click into their replay at that moment
  await page.getByTestId('funnel-dropped').last().click();
  const dropped = page.getByTestId('dropoff-user');
  await expect(dropped).toHaveCount(1);
  await dropped.getByRole('link', { name: 'Watch replay' }).click();
  await expect(page).toHaveURL(new RegExp(`/sessions/s-u2\\?t=${D0 + 2 * HOUR + 30 * MIN}`));
  await page.goBack();
  // the steps live in the URL
  await page.reload();
  await expect(page.getByTestId('funnel-row')).toHaveCount(3);
  await expect(page.getByTestId('funnel-step-2')).toHaveValue(/^def:/);
  // any order: u4 paid without the tour, two of the steps; u2 toured, paid too late, also two
  const order = page.getByTestId('funnel-order');
  await order.getByRole('button', { name: 'Any order' }).click();
  await expect(order.getByRole('button', { name: 'Any order' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page).toHaveURL(/order=any/);
  await expect(rows.nth(1)).toContainText('Any 2 steps');
  await expect(rows.nth(1)).toContainText('75%');
  await expect(rows.nth(2)).toContainText('All 3 steps');
  await expect(rows.nth(2).locator('td').nth(1)).toHaveText('1');
  await order.getByRole('button', { name: 'Strict order' }).click();
  await expect(rows.nth(1)).toContainText('50%');
  // a link with a window that is not in the list: shown as it is, and used (u2 paid within 3 h)
  await page.goto(page.url().replace(/([?&]w=)\d+/, '$110800000'));
  await expect(page.getByTestId('funnel-window').locator('option:checked')).toHaveText('3h 00m');
  await expect(rows.nth(2).locator('td').nth(1)).toHaveText('2');
});

test('retention: day cohorts, split by "took the tour within 1 h"', async ({ page }) => {
  await login(page, '/insights?view=retention');
  await page.getByTestId('retention-start').selectOption({ label: 'Signed up' });
  await page.getByTestId('retention-return').selectOption({ label: 'Visit' });
  const cohort = (table: string, users: number) =>
    page.getByTestId(table).getByTestId('cohort-row').filter({ has: page.locator('td:nth-child(2)', { hasText: new RegExp(`^${users}$`) }) });
  // day 0: 4 users; u1 u2 back on day 1 (50%), u4 on day 2 (25%)
  await expect(cohort('retention-table', 4).locator('td').nth(2)).toHaveText('50%');
  await expect(cohort('retention-table', 4).locator('td').nth(3)).toHaveText('25%');
  await page.getByTestId('retention-add-split').click();
  await page.getByTestId('retention-split-0').selectOption({ label: 'Tour' });
  await page.getByLabel('within hours').fill('1');
  // u1 and u2 toured within the hour and both came back on day 1; u3 and u4 did not tour
  await expect(cohort('retention-did', 2).locator('td').nth(2)).toHaveText('100%');
  await expect(cohort('retention-didnot', 2).locator('td').nth(2)).toHaveText('0%');
  await expect(cohort('retention-didnot', 2).locator('td').nth(3)).toHaveText('50%');
  await expect(page.getByTestId('retention-ratio')).toBeVisible();
});

test('time to event: median and p90 from sign-up to payment', async ({ page }) => {
  await login(page, '/insights?view=time');
  await page.getByTestId('tte-start').selectOption({ label: 'Signed up' });
  await page.getByTestId('tte-end').selectOption({ label: 'Paid' });
  // u4 10 min, u1 20 min, u2 2 h; u3 never
  await expect(page.getByTestId('tte-median')).toHaveText('20m 00s');
  await expect(page.getByTestId('tte-p90')).toHaveText('2h 00m');
  await expect(page.getByTestId('tte-stats')).toContainText('75%');
  await expect(page.getByTestId('tte-chart').locator('.recharts-bar-rectangle').first()).toBeVisible();
});

test('a definition extracts a property in the form; the trend breaks down and filters by it', async ({ page }) => {
  await login(page, '/definitions');
  await page.getByTestId('new-definition').click();
  await page.getByTestId('def-name').fill('Add product');
  await page.getByTestId('rule-event').selectOption('click');
  await page.getByTestId('rule-selector').fill('button.add');
  await page.getByTestId('def-add-property').click();
  await page.getByTestId('def-prop-name').fill('sku');
  await page.getByTestId('def-prop-attr').fill('data-sku');
  await page.getByTestId('def-save').click();
  await expect(page.getByTestId('definition-row').filter({ hasText: 'Add product' })).toBeVisible();

  await page.goto(server.url + '/insights');
  await page.getByTestId('insights-definition').selectOption({ label: 'Add product' });
  await page.getByTestId('trend-breakdown').selectOption('prop:sku');
  await expect(page.getByTestId('trend')).toContainText('top 2 values');
  await expect(page.locator('.recharts-legend-item').filter({ hasText: 'MUG' })).toBeVisible();
  await expect(page.locator('.recharts-legend-item').filter({ hasText: 'TEE' })).toBeVisible();
  await page.getByTestId('trend-breakdown').selectOption('');
  await page.getByTestId('trend-where-prop').selectOption('sku');
  await page.getByTestId('trend-where-value').fill('MUG');
  await expect(page.getByTestId('trend')).toContainText('2 events in range');
});
