// Define from replay: shoppers click one "Add to cart" a known number of times across two sessions;
// the analyst pauses one replay, points at that button inside the sandboxed replay iframe, takes
// the top suggested selector and saves it. The saved definition must count exactly those clicks
// over all history (both sessions), i.e. the selector picked in the replay DOM works on the live page.
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

/** One shopper session: `clicks` clicks on the first product's "Add to cart". */
async function shop(browser: Browser, clicks: number): Promise<string> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(server.demoUrl + '/');
  await page.waitForFunction(() => (window as any).hindsight?.sessionId);
  const sessionId = await page.evaluate(() => (window as any).hindsight.sessionId as string);
  const add = page.getByTestId('add-to-cart').first();
  await expect(add).toBeVisible();
  for (let i = 0; i < clicks; i++) {
    await add.click();
    await page.waitForTimeout(150);
  }
  // a click elsewhere, so the count is not just "every click"
  await page.getByTestId('product-link').nth(1).click();
  await expect(page.getByTestId('product-detail')).toBeVisible();
  await page.evaluate(() => (window as any).hindsight.flush());
  await ctx.close();
  return sessionId;
}

const login = (page: Page, path = '/') => loginViewer(page, server, path);

test('pick an element in a paused replay and define an event that counts all its clicks', async ({ browser, page }) => {
  // two shopper sessions + a live-page check: ~30 s alone, more on a busy 2-core machine
  test.setTimeout(180_000);
  const problems: string[] = [];
  page.on('console', (m) => /Content Security Policy|Refused to/i.test(m.text()) && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));

  const s1 = await shop(browser, 3);
  await shop(browser, 2);

  // open session 1 paused just before its first add-to-cart click (the grid is on screen then)
  const { events } = await server.api(`/api/sessions/${s1}/events`);
  const firstClick = events.filter((e: any) => e.type === 'click').sort((a: any, b: any) => a.ts - b.ts)[0];
  expect(firstClick).toBeTruthy();
  await login(page);
  await page.goto(`${server.url}/sessions/${s1}?t=${firstClick.ts - 1}`);

  const iframe = page.getByTestId('replay-frame-container').locator('iframe');
  await expect(iframe).toHaveCount(1);
  expect(await iframe.getAttribute('sandbox')).toBe('allow-same-origin');
  const frame = page.frameLocator('[data-testid=replay-frame-container] [data-active] iframe');
  const target = frame.locator('[data-testid=add-to-cart]').first();
  await expect(target).toBeVisible();
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Play');

  // pick mode; hover highlights (overlay drawn by the viewer), click picks
  await page.getByTestId('define-from-replay').click();
  await expect(page.getByTestId('pick-layer')).toBeVisible();
  // aim at the <svg> inside the button: the suggestion is for the button people mean
  const box = (await target.locator('svg').boundingBox())!;
  expect(box).toBeTruthy();
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  const hl = page.getByTestId('pick-highlight');
  await expect(hl).toBeVisible();
  // the overlay box covers the whole (scaled) button
  const btn = (await target.boundingBox())!;
  const hlBox = (await hl.boundingBox())!;
  expect(Math.abs(hlBox.x - btn.x)).toBeLessThan(3);
  expect(Math.abs(hlBox.width - btn.width)).toBeLessThan(3);
  await page.mouse.click(x, y);

  const panel = page.getByTestId('define-panel');
  await expect(panel).toBeVisible();
  const rows = panel.getByTestId('suggested-selector');
  await expect(rows.first()).toContainText('[data-testid="add-to-cart"]');
  // narrowed to this product by its data attribute, then classes, then the structural fallback last
  await expect(rows.nth(1)).toHaveAttribute('data-kind', 'attribute');
  await expect(rows.nth(1)).toContainText('[data-testid="add-to-cart"][data-product=');
  // structural fallback is offered too, last
  await expect(rows.last()).toHaveAttribute('data-kind', 'path');
  // live count over all history: 3 + 2 clicks
  await expect(rows.first().getByTestId('suggestion-count')).toHaveText('5');

  // every suggestion, built from the replay DOM, selects that same button on the live page
  const selectors = await panel.getByTestId('suggestion-selector').allTextContents();
  expect(selectors.length).toBeGreaterThanOrEqual(3);
  const live = await browser.newPage();
  await live.goto(server.demoUrl + '/');
  await expect(live.getByTestId('add-to-cart').first()).toBeVisible();
  const hits = await live.evaluate(
    (sels) => sels.map((s) => document.querySelector(s) === document.querySelector('[data-testid=add-to-cart]')),
    selectors,
  );
  expect(hits).toEqual(selectors.map(() => true));
  await live.close();
  await page.screenshot({ path: test.info().outputPath('define-panel.png'), fullPage: true });

  await rows.first().click();
  await expect(rows.first()).toHaveAttribute('aria-pressed', 'true');
  await expect(panel.getByTestId('rule-selector')).toHaveValue('[data-testid="add-to-cart"]');
  await expect(panel.getByTestId('preview-events')).toHaveText('5');
  await expect(panel.getByTestId('preview-sessions')).toHaveText('2');
  await panel.getByTestId('def-name').fill('Add first product to cart');
  await panel.getByTestId('def-description').fill('Picked from a replay');
  await panel.getByTestId('def-category').selectOption({ index: 1 });
  await panel.getByTestId('define-save').click();

  const saved = panel.getByTestId('define-saved');
  await expect(saved).toBeVisible();
  const id = await saved.getAttribute('data-definition-id');
  expect(id).toBeTruthy();

  const def = await server.api(`/api/definitions/${id}`);
  expect(def.name).toBe('Add first product to cart');
  expect(def.description).toBe('Picked from a replay');
  expect(def.rules).toEqual([{ event: 'click', selector: '[data-testid="add-to-cart"]' }]);
  const preview = await server.api('/api/definitions/preview', { method: 'POST', body: JSON.stringify({ rules: def.rules }) });
  expect(preview.events).toBe(5);
  expect(preview.sessions).toBe(2);

  // picking is for a paused frame only: playing leaves pick mode
  await page.getByTestId('define-from-replay').click();
  await expect(page.getByTestId('pick-layer')).toBeVisible();
  await page.getByTestId('play-button').click();
  await expect(page.getByTestId('pick-layer')).toHaveCount(0);
  await expect(page.getByTestId('define-from-replay')).toHaveAttribute('aria-pressed', 'false');
  expect(problems).toEqual([]);
});
