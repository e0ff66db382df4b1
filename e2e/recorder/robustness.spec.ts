// The recorder never breaks the host page, and the page cannot break the recorder.
import { expect, test, type Page } from '@playwright/test';
import { batchSchema } from '@hindsight/schema/validate';
import { createReplayMatcher } from '../../packages/definitions/src/index.js';
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

test('a page with legacy prototype extensions is recorded in full, in batches the server accepts', async ({ page }) => {
  // Prototype.js (≤ 1.6) defines Array.prototype.toJSON returning a string (JSON.stringify would
  // send every array as text: the server refuses the batch); other old code adds enumerable members
  // to Object.prototype (esbuild's namespace helper iterated them with for…in and threw at load).
  sink.page(
    '/legacy.html',
    pageHtml(
      sink.url,
      `<main><button id="b" class="buy">Buy</button></main><script>
        document.getElementById('b').addEventListener('click', () => {
          const s = document.createElement('span'); s.className = 'added'; s.textContent = 'in cart';
          document.querySelector('main').appendChild(s);
          document.getElementById('b').setAttribute('data-count', '1');
        });
      </script>`,
      '',
      `<script>
        Array.prototype.toJSON = function () { return '[' + Array.from(this, (x) => JSON.stringify(x)).join(', ') + ']'; };
        Object.prototype.legacyHelper = 'x';
        // Prototype.js's $A: ignores a map function, and gives [] for iterables without a length
        Array.from = function (it) { if (!it) return []; var n = it.length || 0, r = new Array(n); while (n--) r[n] = it[n]; return r; };
      </script>`,
    ),
  );
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(sink.url + '/legacy.html');
  await page.click('#b');
  await page.waitForTimeout(100);
  await page.click('#b');
  await page.evaluate(() => (window as any).hindsight.track('Legacy', { list: [1, 2], nested: { a: ['x'] } }));
  await flush(page);
  expect(pageErrors).toEqual([]);
  // every body is a valid batch (the real server's schema)
  for (const body of sink.bodies) expect(batchSchema.safeParse(JSON.parse(body)).success, body.slice(0, 200)).toBe(true);
  const click = sink.list('click')[0];
  expect(click.chain!.map((c) => c.tag)).toEqual(['button', 'main', 'body', 'html']);
  expect(click.chain![0]).toMatchObject({ attrs: { id: 'b', class: 'buy' }, nth: [1, 1, 1, 1], text: 'Buy' });
  expect(sink.list('custom')[0].props).toEqual({ list: [1, 2], nested: { a: ['x'] } });
  const replay = sink.replayOf(click.rec!.id) as { type: number; data: any }[];
  expect(replay.slice(0, 2).map((e) => e.type)).toEqual([4, 2]);
  // the page's DOM changes between the clicks are in the recording
  const second = sink.list('click')[1];
  const m = createReplayMatcher(replay).at(second.rec!.seq);
  expect(m.closestComposed(second.nodeId!, 'main:has(> span.added) button[data-count="1"]')?.id).toBe(second.nodeId);
  // the page's own extensions are untouched afterwards
  expect(await page.evaluate(() => JSON.stringify([1]))).toBe('"[1]"');
  expect(await page.evaluate(() => (({}) as any).legacyHelper)).toBe('x');
});

test('hostile pages: frozen Object.prototype, read-only pushState, bad selector options', async ({ page }) => {
  sink.page(
    '/hostile.html',
    pageHtml(
      sink.url,
      `<div constructor="c" __proto__="p"><button id="b">Go</button></div><p data-x id="secret">Top secret</p>`,
      'data-ignore-selector="[data-x=" data-mask-selector="(("',
      `<script>
        Object.defineProperty(history, 'pushState', { value: history.pushState, writable: false, configurable: false });
        Object.freeze(Object.prototype);
      </script>`,
    ),
  );
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(sink.url + '/hostile.html');
  await page.click('#b');
  await page.click('#secret');
  await page.evaluate(() => history.pushState({}, '', '/hostile/next'));
  await flush(page);
  expect(pageErrors).toEqual([]);
  const clicks = sink.list('click');
  expect(clicks.map((e) => e.chain![0].attrs.id)).toEqual(['b', 'secret']);
  // every attribute is a plain key, whatever its name
  expect(Object.entries(clicks[0].chain![1].attrs)).toEqual([
    ['constructor', 'c'],
    ['__proto__', 'p'],
  ]);
  // an unparseable mask selector masks all text rather than none; a bad ignore selector ignores nothing
  expect(clicks[1].chain![0].text).toBeUndefined();
  expect(JSON.stringify(sink.bodies)).not.toContain('Top secret');
  expect(sink.list('pageview').map((e) => new URL(e.url).pathname)).toEqual(['/hostile.html', '/hostile/next']);
});

test('a click beside thousands of text-less elements stays cheap: ancestors\' text is cut, not walked whole', async ({ page }) => {
  sink.page(
    '/icons.html',
    pageHtml(
      sink.url,
      `<main id="grid"></main><button id="b">Buy</button><script>
        const g = document.getElementById('grid');
        g.innerHTML = Array.from({ length: 3000 }, () => '<span><i></i><i></i><i></i></span>').join('');
      </script>`,
      'data-replay="false"',
    ),
  );
  await page.goto(sink.url + '/icons.html');
  // counts the matches() calls one click costs the page (the recorder's text walk used one per element)
  const calls = await page.evaluate(() => {
    let n = 0;
    const orig = Element.prototype.matches;
    Element.prototype.matches = function (this: Element, s: string) {
      n++;
      return orig.call(this, s);
    };
    document.getElementById('b')!.click();
    Element.prototype.matches = orig;
    return n;
  });
  await flush(page);
  const click = sink.list('click')[0];
  expect(click.chain!.map((c) => c.tag)).toEqual(['button', 'body', 'html']);
  expect(click.chain![0].text).toBe('Buy');
  expect(click.chain![1].textTrunc).toBe(true);
  expect(calls).toBeLessThan(6000);
});

// Element.prototype.matches / closest replaced by the page, before or after the recorder loads
// (the recorder and rrweb call the originals they saw at load; what still throws is decided the
// privacy-safe way: masked, blocked)
for (const [method, when] of [
  ['matches', 'after'],
  ['closest', 'after'],
  ['matches', 'before'],
  ['closest', 'before'],
] as const) {
  test(`a page whose Element.prototype.${method} throws (replaced ${when} the recorder loads) gets no error from it, and its clicks are recorded`, async ({ page }) => {
    const breakIt = `Element.prototype.${method} = function () { throw new Error('broken ${method}'); };`;
    sink.page(
      '/broken.html',
      pageHtml(
        sink.url,
        `<main><div class="card"><button id="b">Buy</button></div><p id="t">none</p></main>
        <script>${when === 'after' ? breakIt : ''}
          let n = 0;
          document.getElementById('b').addEventListener('click', () => { document.getElementById('t').textContent = 'bought ' + ++n; });
        </script>`,
        '',
        when === 'before' ? `<script>${breakIt}</script>` : '',
      ),
    );
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(`${e.message} ${e.stack ?? ''}`));
    await page.goto(sink.url + '/broken.html');
    for (let i = 0; i < 3; i++) await page.click('#b');
    await expect(page.locator('#t')).toHaveText('bought 3');
    await flush(page);
    expect(pageErrors).toEqual([]);
    const clicks = sink.list('click');
    expect(clicks.map((c) => c.chain!.map((e) => e.tag).join('>'))).toEqual(Array(3).fill('button>div>main>body>html'));
    if (when === 'after') {
      // the originals still work: text, and a replay with every change the page made
      expect(clicks[0].chain![0].text).toBe('Buy');
      const replay = JSON.stringify([...sink.chunks.values()]);
      for (const t of ['bought 1', 'bought 2', 'bought 3']) expect(replay).toContain(t);
    } else if (method === 'closest') {
      // whether a mask applies cannot be decided: the text is not sent
      expect(clicks[0].chain![0].text).toBeUndefined();
    }
  });
}
