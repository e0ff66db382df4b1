// Whole flow against the built server: a shopper browses the demo shop (real recorder.js from the
// customer snippet), then an analyst logs into the viewer, finds the session, watches the replay
// (rebuilt in the sandboxed iframe), uses the event list, and defines an event with a live preview.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  server = await startServer();
});

test.afterAll(async () => {
  await server?.stop();
});

/** Console messages that mean the viewer broke its CSP or crashed. */
function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    const t = m.text();
    if (/Content Security Policy|Refused to/i.test(t)) problems.push(t);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

async function shop(browser: Browser): Promise<string> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(server.demoUrl + '/');
  await page.waitForFunction(() => (window as any).hindsight?.sessionId);
  const sessionId = await page.evaluate(() => (window as any).hindsight.sessionId as string);

  // SPA navigation (pushState) and a click on the <svg> inside "Add to cart"
  await page.getByTestId('category-office').click();
  await expect(page).toHaveURL(/\/category\/office$/);
  await page.getByTestId('add-to-cart').first().locator('svg').click();
  await page.getByTestId('product-link').nth(1).click();
  await expect(page.getByTestId('product-detail')).toBeVisible();
  await page.getByTestId('product-add').click();

  // cart page (full page load): quantity, a buggy coupon (uncaught error), checkout
  await page.getByTestId('nav-cart').click();
  await expect(page.getByTestId('cart-line')).toHaveCount(2);
  await page.getByTestId('qty-plus').first().click();
  await page.getByTestId('coupon-code').fill('NOPE');
  await page.getByTestId('apply-coupon').click();
  await page.evaluate(() => (window as any).hindsight.flush());
  await page.getByTestId('checkout-button').click();
  await expect(page).toHaveURL(/\/checkout$/);

  await page.getByTestId('pay-now').click(); // invalid: the browser blocks the submit
  await page.getByTestId('checkout-name').fill('Ana Lima');
  await page.getByTestId('checkout-email').fill('ana@example.com');
  await page.getByTestId('checkout-address').fill('1 Main St');
  await page.getByTestId('checkout-card').fill('4242424242424242');
  await page.getByTestId('pay-now').click();
  await expect(page.getByTestId('thank-you')).toBeVisible();
  await page.evaluate(() => (window as any).hindsight.flush());
  await ctx.close();
  return sessionId;
}

async function login(page: Page) {
  await page.goto(server.url + '/');
  await expect(page.getByTestId('login-token')).toBeVisible();
  await page.getByTestId('login-token').fill('not-the-token');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toHaveText('That token is not valid.');
  await page.getByTestId('login-token').fill(server.adminToken);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-token')).toHaveCount(0);
}

let sessionId = '';

test('the shop session shows up in the sessions list, with its error', async ({ browser, page }) => {
  sessionId = await shop(browser);
  const problems = watchConsole(page);
  await login(page);
  const row = page.locator(`[data-testid=session-row][data-session-id="${sessionId}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText('ana@example.com');
  await expect(row.locator('.badge.error')).toBeVisible();

  // filters live in the query string
  await page.getByTestId('filter-url').fill('/checkout');
  await expect(page).toHaveURL(/[?&]url=%2Fcheckout/);
  await expect(row).toBeVisible();
  await page.getByTestId('filter-url').fill('/no-such-page');
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await page.getByTestId('filter-url').fill('');
  await page.getByTestId('filter-error').check();
  await expect(page).toHaveURL(/hasError=1/);
  await expect(row).toBeVisible();
  expect(problems).toEqual([]);
});

test('replay rebuilds the shop in a sandboxed iframe; the event list seeks it', async ({ page }) => {
  const problems = watchConsole(page);
  await login(page);
  await page.locator(`[data-testid=session-row][data-session-id="${sessionId}"]`).click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${sessionId}$`));

  const iframe = page.getByTestId('replay-frame-container').locator('iframe');
  await expect(iframe).toHaveCount(1);
  // never allow-scripts: replay data is untrusted
  expect(await iframe.getAttribute('sandbox')).toBe('allow-same-origin');
  // the replay on screen: during a seek the previous Replayer stays until the new one is positioned
  const frame = page.frameLocator('[data-testid=replay-frame-container] [data-active] iframe');
  await expect(frame.locator('.logo')).toContainText('Acme Goods');
  await expect(frame.locator('[data-testid=product-grid]')).toBeVisible();

  const list = page.getByTestId('event-list');
  await expect(list).toBeVisible();
  const rows = page.getByTestId('event-row');
  await expect(rows.filter({ hasText: 'pageview' }).first()).toBeVisible();
  // readable selectors built from the chain: the svg click is described by its button
  await expect(rows.filter({ hasText: /button\.btn\.btn-primary\.add-to-cart "Add to cart" › svg/ }).first()).toBeVisible();
  const pay = rows.filter({ hasText: /button.*"Pay now"/ }).last();
  await expect(pay).toBeVisible();

  // clicking the Pay-now click seeks the replay to the checkout page and highlights that row
  await pay.locator('button').first().click();
  await expect(pay).toHaveAttribute('aria-current', 'true');
  await expect(frame.locator('form#checkout')).toBeVisible();
  await expect(page.getByTestId('replay-url')).toContainText('/checkout');

  // play / pause, by button and by keyboard
  const play = page.getByTestId('play-button');
  await rows.first().locator('button').first().click();
  await play.click();
  await expect(play).toHaveAttribute('aria-label', 'Pause');
  await page.keyboard.press('Space');
  await expect(play).toHaveAttribute('aria-label', 'Play');
  await expect(page.getByTestId('timeline').locator('.marker.error')).toHaveCount(1);
  expect(problems).toEqual([]);
});

test('define an event with a live preview, then open a sample match', async ({ page }) => {
  const problems = watchConsole(page);
  await login(page);
  await page.getByRole('link', { name: 'Definitions' }).click();
  await page.getByTestId('new-definition').click();
  await page.getByTestId('def-name').fill('Add to cart');
  await page.getByTestId('def-category').selectOption('engagement');
  await page.getByTestId('rule-event').selectOption('click');
  await page.getByTestId('rule-selector').fill('button.add-to-cart');
  // two add-to-cart clicks (one on the svg inside the button, one on the product page)
  await expect(page.getByTestId('preview-events')).toHaveText('2');
  await expect(page.getByTestId('preview-sessions')).toHaveText('1');

  // a bad selector is a 400 with a message shown inline
  await page.getByTestId('rule-selector').fill('button..add');
  await expect(page.getByTestId('preview-error')).toBeVisible();
  await page.getByTestId('rule-selector').fill('button.add-to-cart');
  await expect(page.getByTestId('preview-events')).toHaveText('2');

  await page.getByTestId('def-save').click();
  const row = page.getByTestId('definition-row').filter({ hasText: 'Add to cart' });
  await expect(row).toBeVisible();
  await expect(row).toContainText('click on button.add-to-cart');

  // sample match → replay seeked to the event
  await row.getByTestId('edit-definition').click();
  const sample = page.getByTestId('preview-sample').first();
  await expect(sample).toBeVisible();
  await sample.click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${sessionId}\\?t=\\d+`));
  const current = page.locator('[data-testid=event-row][aria-current=true]');
  await expect(current).toHaveCount(1);
  await expect(current).toHaveAttribute('data-type', 'click');
  expect(problems).toEqual([]);
});

test('edit keeps versions, delete asks first, logout returns to the login screen', async ({ page }) => {
  const problems = watchConsole(page);
  await server.api('/api/definitions', {
    method: 'POST',
    body: JSON.stringify({ name: 'Temp', rules: [{ event: 'pageview' }] }),
  });
  await login(page);
  await page.goto(server.url + '/definitions');
  const row = page.getByTestId('definition-row').filter({ hasText: 'Add to cart' });
  await row.getByTestId('edit-definition').click();
  await page.getByTestId('def-description').fill('Any add-to-cart button, grid or product page');
  await expect(page.getByTestId('preview-events')).toHaveText('2');
  await page.getByTestId('def-save').click();
  await expect(row).toContainText('Any add-to-cart button');
  await expect(row).toContainText('v2');
  await row.getByTestId('edit-definition').click();
  await page.locator('details.versions summary').click();
  await expect(page.locator('details.versions li')).toHaveCount(2);
  await page.getByRole('button', { name: 'Cancel' }).click();

  const temp = page.getByTestId('definition-row').filter({ hasText: 'Temp' });
  await temp.getByTestId('delete-definition').click();
  await expect(temp).toContainText('Delete “Temp”?');
  await temp.getByRole('button', { name: 'Keep' }).click();
  await expect(temp).toBeVisible();
  await temp.getByTestId('delete-definition').click();
  await temp.getByTestId('confirm-delete').click();
  await expect(temp).toHaveCount(0);
  await expect(row).toBeVisible();

  await page.getByTestId('logout').click();
  await expect(page.getByTestId('login-token')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('login-token')).toBeVisible();
  expect(problems).toEqual([]);
});

test('insights charts the definition over time', async ({ page }) => {
  const problems = watchConsole(page);
  await login(page);
  await page.getByRole('link', { name: 'Insights' }).click();
  await page.getByTestId('insights-definition').selectOption({ label: 'Add to cart' });
  await page.getByRole('button', { name: 'hour' }).click();
  await expect(page).toHaveURL(/interval=hour/);
  await expect(page.getByTestId('trend-chart')).toBeVisible();
  await expect(page.getByTestId('trend')).toContainText('2 events in range');
  await expect(page.locator('.recharts-line')).toHaveCount(2);
  expect(problems).toEqual([]);
});
