// Refreshes the README screenshots from the real product: builds must exist (`npm run build`).
// Run: npx tsx scripts/screenshots.ts
import { chromium } from '@playwright/test';
import { chromiumLaunch } from '../playwright.config.js';
import { startServer } from '../e2e/helpers/server.js';

const server = await startServer();
const browser = await chromium.launch(chromiumLaunch);
try {
  // a shopper
  const shopper = await browser.newPage();
  await shopper.goto(server.demoUrl + '/');
  await shopper.waitForFunction(() => (window as any).hindsight?.sessionId);
  const sid = await shopper.evaluate(() => (window as any).hindsight.sessionId as string);
  await shopper.getByTestId('category-office').click();
  await shopper.getByTestId('add-to-cart').first().locator('svg').click();
  await shopper.getByTestId('product-link').nth(1).click();
  await shopper.getByTestId('product-add').click();
  await shopper.getByTestId('nav-cart').click();
  await shopper.getByTestId('qty-plus').first().click();
  await shopper.getByTestId('checkout-button').click();
  await shopper.getByTestId('checkout-name').fill('Ana Lima');
  await shopper.evaluate(() => (window as any).hindsight.flush());
  await shopper.close();

  // the analyst
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url + '/');
  await page.getByTestId('login-token').fill(server.adminToken);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('session-row').first().waitFor();
  await page.screenshot({ path: 'docs/img/viewer-sessions.png' });
  await page.goto(`${server.url}/sessions/${sid}`);
  await page.getByTestId('event-row').nth(6).waitFor();
  await page.getByTestId('event-row').nth(6).click();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: 'docs/img/viewer-replay.png' });
  await page.goto(`${server.url}/definitions`);
  await page.waitForTimeout(1000);
  await page.screenshot({ path: 'docs/img/viewer-definitions.png' });
  console.log('screenshots written to docs/img/');
} finally {
  await browser.close();
  await server.stop();
}
