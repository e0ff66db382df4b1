// Sessions: shared by tabs and reloads, renewed after 30 min idle, each page load its own recording.
import { expect, test, type Page } from '@playwright/test';
import { pageHtml, startSink, type Sink } from './sink';

let sink: Sink;
test.beforeEach(async () => {
  sink = await startSink();
});
test.afterEach(async () => {
  await sink.stop();
});

const flush = (page: Page) => page.evaluate(() => (window as any).hindsight.flush());

test('reload keeps session and anonymous id; each page load is a new recording', async ({ page }) => {
  sink.page('/p.html', pageHtml(sink.url, `<button id="b">b</button>`));
  await page.goto(sink.url + '/p.html');
  await page.click('#b');
  const first = await page.evaluate(() => ({ s: (window as any).hindsight.sessionId, a: (window as any).hindsight.anonymousId }));
  await flush(page);
  await page.reload();
  await page.click('#b');
  await flush(page);
  const second = await page.evaluate(() => ({ s: (window as any).hindsight.sessionId, a: (window as any).hindsight.anonymousId }));
  expect(second).toEqual(first);
  const clicks = sink.list('click');
  expect(clicks.map((e) => e.sessionId)).toEqual([first.s, first.s]);
  expect(clicks[0].rec!.id).not.toBe(clicks[1].rec!.id);
  for (const c of clicks) {
    const rp = sink.replayOf(c.rec!.id) as { type: number }[];
    expect(rp.slice(0, 2).map((e) => e.type)).toEqual([4, 2]);
  }
});

test('30 minutes without activity: the next event starts a new session and recording', async ({ page }) => {
  sink.page('/idle.html', pageHtml(sink.url, `<button id="b">b</button>`));
  await page.clock.install();
  await page.goto(sink.url + '/idle.html');
  await page.click('#b');
  await flush(page);
  const old = sink.list('click')[0];
  // the visitor closes the laptop lid for 31 minutes
  await page.clock.fastForward('31:00');
  await page.click('#b');
  await flush(page);
  const fresh = sink.list('click')[1];
  expect(fresh.sessionId).not.toBe(old.sessionId);
  expect(fresh.rec!.id).not.toBe(old.rec!.id);
  const rp = sink.replayOf(fresh.rec!.id) as { type: number }[];
  expect(rp.slice(0, 2).map((e) => e.type)).toEqual([4, 2]);
  expect(fresh.rec!.seq).toBeGreaterThanOrEqual(2);
  const chunks = [...sink.chunks.values()].filter((c) => c.rec === fresh.rec!.id);
  expect(chunks.every((c) => c.sessionId === fresh.sessionId)).toBe(true);
});
