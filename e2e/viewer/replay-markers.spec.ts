// Timeline markers: a shopper in the demo shop clicks "Add to cart", rage-clicks it (3 rapid
// clicks on one spot) and clicks a button that does nothing (a dead click). Two saved definitions
// match the add-to-cart clicks, one decided from the element chain and one (`:has()`) only from
// the recorded DOM (the engine's exact replay path). The replay shows distinct markers for rage,
// dead and named events with a legend, and the event list badges the matched events.
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

async function shop(browser: Browser, opts: { rage: boolean; dead: boolean }): Promise<string> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(server.demoUrl + '/');
  await page.waitForFunction(() => (window as any).hindsight?.sessionId);
  const sessionId = await page.evaluate(() => (window as any).hindsight.sessionId as string);
  // the dead click first: add-to-cart's toast later disappears (page activity would revive it)
  if (opts.dead) {
    // a button without any handler: nothing on the page changes after the click
    await page.evaluate(() => {
      const b = document.createElement('button');
      b.id = 'noop';
      b.textContent = 'Does nothing';
      document.body.prepend(b);
    });
    await page.waitForTimeout(300);
    await page.locator('#noop').click();
    await page.waitForTimeout(1500); // the recorder's dead-click window is 1 s
  }
  const add = page.getByTestId('add-to-cart').first();
  await expect(add).toBeVisible();
  await add.click();
  await page.waitForTimeout(300);
  if (opts.rage) {
    // one spot, three clicks within a second: the recorder's rage rule
    const box = (await add.boundingBox())!;
    for (let i = 0; i < 3; i++) await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(300);
  }
  await page.evaluate(() => (window as any).hindsight.flush());
  await ctx.close();
  return sessionId;
}

const login = (page: Page, path = '/') => loginViewer(page, server, path);

test('rage, dead and named-event markers on the timeline and in the event list', async ({ browser, page }) => {
  test.setTimeout(180_000);
  const sid = await shop(browser, { rage: true, dead: true });
  const other = await shop(browser, { rage: false, dead: false });
  const byChain = await server.api('/api/definitions', {
    method: 'POST',
    body: JSON.stringify({ name: 'Added to cart', rules: [{ event: 'click', selector: '[data-testid=add-to-cart]' }] }),
  });
  const byDom = await server.api('/api/definitions', {
    method: 'POST',
    body: JSON.stringify({ name: 'Clicked a button with an icon', rules: [{ event: 'click', selector: 'button:has(svg)' }] }),
  });

  const { events } = await server.api(`/api/sessions/${sid}/events`);
  const types = events.map((e: any) => e.type);
  expect(types).toContain('rage_click');
  expect(types).toContain('dead_click');
  const addClicks = events.filter((e: any) => e.type === 'click' && e.chain?.some((c: any) => c.attrs['data-testid'] === 'add-to-cart'));
  expect(addClicks.length).toBe(4);

  // the API: this session's matches only, per definition, ordered by time
  const { matches } = await server.api(`/api/sessions/${sid}/matches`);
  const ids = (defId: string) => matches.filter((m: any) => m.definitionId === defId).map((m: any) => m.eventId).sort();
  expect(ids(byChain.id)).toEqual(addClicks.map((e: any) => e.id).sort());
  expect(ids(byDom.id)).toEqual(addClicks.map((e: any) => e.id).sort());
  expect(matches.every((m: any) => typeof m.ts === 'number' && typeof m.name === 'string')).toBe(true);
  const { events: otherEvents } = await server.api(`/api/sessions/${other}/events`);
  const otherIds = new Set(otherEvents.map((e: any) => e.id));
  expect(matches.some((m: any) => otherIds.has(m.eventId))).toBe(false);
  expect((await server.api(`/api/sessions/no-such-session/matches`)).matches).toEqual([]);

  await login(page);
  await page.goto(`${server.url}/sessions/${sid}`);
  const timeline = page.getByTestId('timeline');
  await expect(timeline.locator('.marker[data-kind=rage]')).toHaveCount(types.filter((t: string) => t === 'rage_click').length);
  await expect(timeline.locator('.marker[data-kind=dead]')).toHaveCount(types.filter((t: string) => t === 'dead_click').length);
  await expect(timeline.locator('.marker[data-kind=match]')).toHaveCount(8); // 4 clicks × 2 definitions
  await expect(timeline.locator('.marker[data-kind=match]').first()).toHaveAttribute('title', /Added to cart|Clicked a button with an icon/);
  // distinct colors, and a legend naming each kind
  const color = (kind: string) => timeline.locator(`.marker[data-kind=${kind}]`).first().evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(new Set([await color('rage'), await color('dead'), await color('match'), await color('click')]).size).toBe(4);
  await expect(page.getByTestId('marker-legend')).toContainText('rage click');
  await expect(page.getByTestId('marker-legend')).toContainText('dead click');
  await expect(page.getByTestId('marker-legend')).toContainText('named event');

  // the event list: rage/dead rows, and badges with the definition names on matched clicks
  await expect(page.locator('[data-testid=event-row][data-type=rage_click]')).toHaveCount(types.filter((t: string) => t === 'rage_click').length);
  await expect(page.locator('[data-testid=event-row][data-type=dead_click]')).toHaveCount(types.filter((t: string) => t === 'dead_click').length);
  await expect(page.getByTestId('event-match').filter({ hasText: 'Added to cart' })).toHaveCount(4);
  await expect(page.getByTestId('event-match').filter({ hasText: 'Clicked a button with an icon' })).toHaveCount(4);
  await page.getByTestId('event-filter').selectOption('named');
  await expect(page.getByTestId('event-row')).toHaveCount(4);
  await page.getByTestId('event-filter').selectOption('frustration');
  await expect(page.getByTestId('event-row')).toHaveCount(types.filter((t: string) => t === 'rage_click' || t === 'dead_click').length);
});
