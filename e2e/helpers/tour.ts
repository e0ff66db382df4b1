// A shopper's visit to the demo shop and the analyst's walk through every viewer page, shared by
// the screenshot test (e2e/viewer/screens.spec.ts: artifacts of every page) and
// scripts/screenshots.ts (the README images), so both show the same real product.
import { expect, type Browser, type Page } from '@playwright/test';
import type { RunningServer } from './server';
import { overflowing } from './viewer';

export const SHOPPER = 'ana@example.com';

/** Records one demo-shop session (identified, with a few clicks) and returns its session id. */
export async function recordShopper(browser: Browser, server: RunningServer): Promise<string> {
  const shopper = await browser.newPage();
  await shopper.goto(server.demoUrl + '/');
  await shopper.waitForFunction(() => (window as any).hindsight?.sessionId);
  const sid = await shopper.evaluate(() => (window as any).hindsight.sessionId as string);
  await shopper.getByTestId('category-office').click();
  await shopper.getByTestId('add-to-cart').first().locator('svg').click();
  await shopper.getByTestId('product-link').nth(1).click();
  await shopper.getByTestId('product-add').click();
  await shopper.evaluate((u) => (window as any).hindsight.identify(u, { name: 'Ana Lima', plan: 'team' }), SHOPPER);
  await shopper.getByTestId('nav-cart').click();
  await shopper.getByTestId('qty-plus').first().click();
  await shopper.getByTestId('checkout-button').click();
  await shopper.getByTestId('checkout-name').fill('Ana Lima');
  await shopper.evaluate(() => (window as any).hindsight.flush());
  await shopper.close();
  return sid;
}

/** The analyst's first named events, defined through the API. */
export async function defineEvents(server: RunningServer): Promise<void> {
  const defs = [
    { name: 'Add to cart', category: 'engagement', rules: [{ event: 'click', selector: '[data-testid=add-to-cart], [data-testid=product-add]' }] },
    { name: 'Start checkout', category: 'monetization', rules: [{ event: 'click', selector: '[data-testid=checkout-button]' }] },
  ];
  for (const d of defs) await server.api('/api/definitions', { method: 'POST', body: JSON.stringify(d) });
  // a webhook destination for the Destinations page (paused: nothing is sent anywhere)
  const hook = { name: 'CRM webhook', url: 'https://crm.example/hooks/hindsight', definitions: 'all', enabled: false };
  await server.api('/api/destinations', { method: 'POST', body: JSON.stringify(hook) });
}

export interface Shot {
  name: string;
  path: string;
  /** waits until the page shows real content (not a spinner or an error) */
  ready: (page: Page) => Promise<void>;
}

/** Every viewer page worth a picture, with what "loaded" means for each. */
export function pages(sid: string): Shot[] {
  const visible = (testId: string) => async (page: Page) => {
    await expect(page.getByTestId(testId).first()).toBeVisible();
  };
  return [
    { name: 'sessions', path: '/', ready: visible('session-row') },
    {
      name: 'replay',
      path: `/sessions/${sid}`,
      ready: async (page) => {
        await expect(page.getByTestId('event-row').nth(6)).toBeVisible();
        await page.getByTestId('event-row').nth(6).click();
        await page.waitForTimeout(1500); // let the frame paint the seeked state
      },
    },
    {
      name: 'definitions',
      path: '/definitions',
      // the counts and sparklines load after the rows
      ready: async (page) => {
        await expect(page.getByTestId('def-count-30d').first()).toBeVisible();
        await expect(page.getByTestId('sparkline').first()).toBeVisible();
      },
    },
    { name: 'insights-trend', path: '/insights', ready: visible('trend-chart') },
    { name: 'insights-funnel', path: '/insights?view=funnel', ready: visible('funnel-chart') },
    { name: 'insights-retention', path: '/insights?view=retention&return=type%3Aclick', ready: visible('retention-chart') },
    { name: 'insights-time', path: '/insights?view=time', ready: visible('tte-stats') },
    { name: 'user', path: `/users/${encodeURIComponent(SHOPPER)}`, ready: visible('user-event') },
    { name: 'destinations', path: '/destinations', ready: visible('destination-card') },
    { name: 'project', path: '/project', ready: visible('key-row') },
    { name: 'import', path: '/sessions/import', ready: visible('import-file') },
  ];
}

/** Logs in through the login page (photographing it) and photographs every page into `dir`. */
export async function photographViewer(page: Page, server: RunningServer, sid: string, dir: string): Promise<string[]> {
  const files: string[] = [];
  await page.goto(server.url + '/');
  await expect(page.getByTestId('login-token')).toBeVisible();
  files.push(`${dir}/viewer-login.png`);
  await page.screenshot({ path: files[files.length - 1] });
  await page.getByTestId('login-token').fill(server.adminToken);
  await page.getByTestId('login-submit').click();
  for (const shot of pages(sid)) {
    await page.goto(server.url + shot.path);
    await shot.ready(page);
    await expect(page.getByTestId('error-state')).toHaveCount(0);
    // good at 1280×800: nothing wider than the column it sits in (a squeezed table used to push
    // its last column, the row actions, out of view)
    expect(await overflowing(page), `${shot.name}: elements wider than their container`).toEqual([]);
    files.push(`${dir}/viewer-${shot.name}.png`);
    await page.screenshot({ path: files[files.length - 1] });
  }
  return files;
}

