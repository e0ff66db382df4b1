// The recorder never breaks the host page, and the page cannot break the recorder.
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

test('a page whose own handlers throw keeps working and recording continues', async ({ page }) => {
  sink.page(
    '/throw.html',
    pageHtml(
      sink.url,
      `<button id="b">count 0</button>
      <script>
        let n = 0;
        window.addEventListener('click', () => { throw new Error('page capture handler'); }, true);
        document.addEventListener('click', () => { throw new Error('page bubble handler'); });
        document.getElementById('b').addEventListener('click', (e) => { e.stopPropagation(); n++; e.target.textContent = 'count ' + n; });
        // the page wraps fetch and history after us, badly
        const f = window.fetch; window.fetch = function () { return f.apply(this, arguments); };
        const p = history.pushState; history.pushState = function () { p.apply(history, arguments); throw new Error('router bug'); };
      </script>`,
    ),
  );
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(sink.url + '/throw.html');
  for (let i = 0; i < 3; i++) await page.click('#b');
  await expect(page.locator('#b')).toHaveText('count 3');
  const pushErr = await page.evaluate(() => {
    try {
      history.pushState({}, '', '/throw.html/next');
      return '';
    } catch (e) {
      return String(e);
    }
  });
  expect(pushErr).toContain('router bug'); // the page's own error, unchanged
  await flush(page);
  expect(sink.list('click').length).toBe(3);
  expect(sink.list('pageview').map((e) => e.url.replace(sink.url, ''))).toEqual(['/throw.html', '/throw.html/next']);
  // the page's errors are recorded as events, and none of them come from the recorder
  expect(pageErrors.every((m) => /page (capture|bubble) handler/.test(m))).toBe(true);
  expect(sink.list('error').length).toBeGreaterThan(0);
});

test('script tag included twice: one instance, no duplicate events; ESM init reuses it', async ({ page }) => {
  const tag = `<script src="${sink.url}/recorder.js" data-key="pk_test" data-endpoint="${sink.url}"></script>`;
  sink.page('/twice.html', `<!doctype html><html><head>${tag}${tag}</head><body><button id="b">b</button></body></html>`);
  await page.goto(sink.url + '/twice.html');
  await page.click('#b');
  const same = await page.evaluate(async (u) => {
    const m = await import(u + '/index.mjs');
    return m.init({ key: 'pk_test', endpoint: u }) === (window as any).hindsight;
  }, sink.url);
  expect(same).toBe(true);
  await flush(page);
  expect(sink.list('click').length).toBe(1);
  expect(sink.list('pageview').length).toBe(1);
});

test('ESM init() records like the script tag', async ({ page }) => {
  sink.page(
    '/esm.html',
    `<!doctype html><html><head><script type="module">
      import { init } from '${sink.url}/index.mjs';
      window.api = init({ key: 'pk_test', endpoint: '${sink.url}' });
    </script></head><body><button id="b">b</button></body></html>`,
  );
  await page.goto(sink.url + '/esm.html');
  await page.waitForFunction(() => (window as any).api);
  await page.click('#b');
  await page.evaluate(() => (window as any).api.flush());
  expect(sink.list('click').length).toBe(1);
  expect(sink.list('click')[0].rec!.seq).toBeGreaterThan(0);
});
