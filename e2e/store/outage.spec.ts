// ClickHouse goes away: ingest answers 503 (with Retry-After), the recorder's outbox keeps
// retrying, and once ClickHouse is back every click is stored exactly once.
import { expect, test } from '@playwright/test';
import { startClickHouse } from '../../packages/store/test/clickhouse-server.js';
import { batch, clickEvent, postBatch } from '../helpers/batches.js';
import { startServer } from '../helpers/server.js';

test('ClickHouse unavailable → 503, recorder retries, nothing lost', async ({ page }) => {
  test.setTimeout(180_000);
  let ch = await startClickHouse();
  const server = await startServer({ env: { HINDSIGHT_STORE: ch.url } });
  try {
    await page.goto(server.demoUrl + '/');
    await page.waitForFunction(() => (window as any).hindsight?.sessionId);
    const sessionId = await page.evaluate(() => (window as any).hindsight.sessionId as string);
    await page.evaluate(() => (window as any).hindsight.flush());

    await ch.stop({ keepData: true });
    const r = await postBatch(server.url, server.projectKey, batch([clickEvent('during-outage', 0)]));
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBeTruthy();
    expect((await r.json()).error.code).toBe('store_unavailable');

    for (let i = 0; i < 5; i++) await page.mouse.click(640, 700 + i);
    // let the recorder try (and fail) at least once while ClickHouse is down
    await page.waitForTimeout(3000);
    ch = await startClickHouse({ dir: ch.dir, httpPort: ch.httpPort, tcpPort: ch.tcpPort });
    await page.evaluate(() => (window as any).hindsight.flush());

    const { events } = await server.api<{ events: { id: string; type: string }[] }>(`/api/sessions/${sessionId}/events`);
    const clicks = events.filter((e) => e.type === 'click');
    expect(clicks).toHaveLength(5);
    expect(new Set(clicks.map((e) => e.id)).size).toBe(5);
  } finally {
    await server.stop();
    await ch.stop();
  }
});
