// The tracking plan in the viewer: a shopper clicks "Add to cart" in the demo shop; the analyst
// defines the event, sees its 7/30-day counts and sparkline, switches the project to snake_case,
// is offered "add_to_cart" for "Add To Cart", takes it, and downloads the plan as CSV.
import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { startServer, type RunningServer } from '../helpers/server';
import { loginViewer } from '../helpers/viewer';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer();
});

test.afterAll(async () => {
  await server?.stop();
});

const CLICKS = 3;

async function shop(browser: Browser): Promise<void> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(server.demoUrl + '/');
  await page.waitForFunction(() => (window as any).hindsight?.sessionId);
  for (let i = 0; i < CLICKS; i++) {
    await page.getByTestId('add-to-cart').nth(i).click();
    await page.waitForTimeout(100);
  }
  // a click elsewhere, so the count is not just "every click"
  await page.getByTestId('product-link').nth(1).click();
  await expect(page.getByTestId('product-detail')).toBeVisible();
  await page.evaluate(() => (window as any).hindsight.flush());
  await ctx.close();
}

const login = (page: Page, path = '/') => loginViewer(page, server, path);

async function createEvent(page: Page, name: string) {
  await page.getByTestId('new-definition').click();
  const form = page.getByTestId('definition-form');
  await form.getByTestId('def-name').fill(name);
  await form.getByTestId('def-category').selectOption('monetization');
  await form.getByTestId('rule-selector').fill('button.add-to-cart');
  await expect(form.getByTestId('preview-events')).toHaveText(String(CLICKS));
}

test('counts and sparkline, naming convention with a one-click fix, CSV export', async ({ browser, page }) => {
  test.setTimeout(120_000);
  const problems: string[] = [];
  page.on('console', (m) => /Content Security Policy|Refused to/i.test(m.text()) && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));

  await shop(browser);
  await login(page);
  await page.goto(server.url + '/definitions');
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await expect(page.getByTestId('naming-convention')).toHaveValue('none');

  // no convention yet: any name saves
  await createEvent(page, 'Cart adds (legacy name)');
  await expect(page.getByTestId('def-name-hint')).toHaveCount(0);
  await page.getByTestId('def-save').click();
  const legacy = page.getByTestId('definition-row').filter({ hasText: 'Cart adds (legacy name)' });
  await expect(legacy.getByTestId('def-count-7d')).toHaveText(String(CLICKS));
  await expect(legacy.getByTestId('def-count-30d')).toHaveText(String(CLICKS));
  // the sparkline is a recharts chart with a drawn line
  await expect(legacy.getByTestId('sparkline').locator('svg.recharts-surface')).toBeVisible();
  await expect(legacy.getByTestId('sparkline').locator('path.recharts-curve')).toHaveCount(1);

  // the project opts into snake_case (stored on the server)
  await page.getByTestId('naming-convention').selectOption('snake_case');
  await expect.poll(async () => (await server.api('/api/settings')).namingConvention).toBe('snake_case');

  await createEvent(page, 'Add To Cart');
  const hint = page.getByTestId('def-name-hint');
  await expect(hint).toContainText('snake_case');
  await page.getByTestId('def-save').click(); // refused before reaching the server
  await expect(page.getByTestId('def-error')).toBeVisible();
  const fix = page.getByTestId('def-name-fix');
  await expect(fix).toHaveText('Use “add_to_cart”');
  await fix.click();
  await expect(page.getByTestId('def-name')).toHaveValue('add_to_cart');
  await expect(hint).toHaveCount(0);
  await page.getByTestId('def-save').click();
  await expect(page.getByTestId('definition-form')).toHaveCount(0);
  const row = page.getByTestId('definition-row').filter({ hasText: 'add_to_cart' });
  await expect(row.getByTestId('def-count-30d')).toHaveText(String(CLICKS));
  await expect(row.locator('.badge')).toHaveText('monetization');

  // filter by category
  await page.getByTestId('category-filter').selectOption('errors');
  await expect(page.getByTestId('definition-row')).toHaveCount(0);
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await page.getByTestId('category-filter').selectOption('monetization');
  await expect(page.getByTestId('definition-row')).toHaveCount(2);

  // the CSV download
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^tracking-plan-\d{4}-\d\d-\d\d\.csv$/);
  const csv = readFileSync((await download.path())!, 'utf8');
  const lines = csv.split('\r\n');
  expect(lines[0]).toBe('name,description,category,rules,first_seen,count_30d');
  const line = lines.find((l) => l.startsWith('add_to_cart,'))!;
  expect(line).toMatch(/^add_to_cart,,monetization,"click on ""button\.add-to-cart""",\d{4}-\d\d-\d\dT[\d:.]+Z,3$/);
  expect(lines.find((l) => l.startsWith('Cart adds (legacy name),'))).toMatch(/,3$/);

  const [md] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-md').click()]);
  expect(md.suggestedFilename()).toMatch(/\.md$/);
  expect(readFileSync((await md.path())!, 'utf8')).toContain('| add_to_cart |');
  expect(problems).toEqual([]);
});
