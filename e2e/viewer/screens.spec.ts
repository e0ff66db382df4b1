// A screenshot of every viewer page, kept as test artifacts (test-results/screens/), taken on a real
// recorded demo-shop session; each page must have loaded real content and show no error state.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { defineEvents, photographViewer, recordShopper } from '../helpers/tour';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => server?.stop());

test('every page renders real content; screenshots kept as artifacts', async ({ browser, page }, info) => {
  test.setTimeout(180_000);
  const sid = await recordShopper(browser, server);
  await defineEvents(server);
  const dir = 'test-results/screens';
  mkdirSync(dir, { recursive: true });
  const files = await photographViewer(page, server, sid, dir);
  expect(files.length).toBeGreaterThanOrEqual(12);
  for (const f of files) {
    expect(existsSync(f) && statSync(f).size > 10_000, f).toBe(true);
    await info.attach(f.split('/').pop()!, { path: f, contentType: 'image/png' });
  }
});
