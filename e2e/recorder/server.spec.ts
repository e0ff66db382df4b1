// The recorder against the real Hindsight server (apps/server/dist/main.js, `npm run build`):
// what the recorder sends is accepted, stored and queryable. Skipped when the server is not built.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ROOT, startServer, type RunningServer } from '../helpers/server';
import { startSink, type Sink } from './sink';

const built = existsSync(join(ROOT, 'apps/server/dist/main.js'));
test.skip(!built, 'server not built');

let server: RunningServer;
let site: Sink; // serves the test pages from another origin
test.beforeAll(async () => {
  server = await startServer();
  site = await startSink();
});
test.afterAll(async () => {
  await site?.stop();
  await server?.stop();
});

const flush = (page: Page) => page.evaluate(() => (window as any).hindsight.flush());
const html = (body: string) => `<!doctype html><html><head><title>Real</title>
<script src="${server.url}/recorder.js" data-key="${server.projectKey}" data-endpoint="${server.url}"></script>
</head><body>${body}</body></html>`;

test('events and replay are accepted and queryable', async ({ page }) => {
  site.page('/real.html', html(`<div id="app"><button id="buy" class="buy"><svg><path d="M0 0"/></svg>Buy</button></div>`));
  await page.goto(site.url + '/real.html');
  await page.click('#buy');
  await page.evaluate(() => (window as any).hindsight.track('Bought', { sku: 42 }));
  await flush(page);
  const sessionId = await page.evaluate(() => (window as any).hindsight.sessionId);
  const { events } = await server.api(`/api/sessions/${sessionId}/events`);
  const types = events.map((e: { type: string }) => e.type);
  expect(types).toEqual(expect.arrayContaining(['pageview', 'click', 'custom']));
  const click = events.find((e: { type: string }) => e.type === 'click');
  // the click lands on the svg inside the button: the button is in the chain
  expect(click.chain.map((c: { tag: string }) => c.tag).slice(0, 2)).toContain('svg');
  expect(click.chain.find((c: { tag: string }) => c.tag === 'button')).toMatchObject({ attrs: { id: 'buy', class: 'buy' } });
  const replay = await server.api(`/api/sessions/${sessionId}/replay`);
  expect(replay.slice(0, 2).map((e: { type: number }) => e.type)).toEqual([4, 2]);
});

test('a deeply nested page still gets its replay stored', async ({ page }) => {
  // (the ingest JSON nesting cap once rejected such snapshots; this guards against regressions)
  const deep = '<div>'.repeat(40) + '<button id="deep">deep</button>' + '</div>'.repeat(40);
  site.page('/deep.html', html(deep));
  await page.goto(site.url + '/deep.html');
  await page.click('#deep');
  await flush(page);
  const sessionId = await page.evaluate(() => (window as any).hindsight.sessionId);
  const { events } = await server.api(`/api/sessions/${sessionId}/events`);
  expect(events.some((e: { type: string }) => e.type === 'click')).toBe(true);
  const replay = await server.api(`/api/sessions/${sessionId}/replay`);
  expect(replay.some((e: { type: number }) => e.type === 2)).toBe(true);
});
