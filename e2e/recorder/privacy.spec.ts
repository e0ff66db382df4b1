// Privacy: secrets never leave the page, consent/DNT/sampling gate everything.
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

test('a typed password and card number never appear in any request body', async ({ page }) => {
  sink.page(
    '/pay.html',
    pageHtml(
      sink.url,
      `<form id="f" onsubmit="event.preventDefault()">
        <!-- React-style: the value attribute mirrors what is typed -->
        <input id="pw" type="password" name="password" oninput="this.setAttribute('value', this.value)">
        <input id="cc" name="cardnumber" autocomplete="cc-number" oninput="this.setAttribute('value', this.value)">
        <input id="plain" name="note" oninput="this.setAttribute('value', this.value)">
        <button id="pay">Pay</button>
      </form>
      <p id="echo"></p>
      <p>Support: help@shop.example or 123-45-6789</p>`,
      'data-capture-values-selector="input"',
    ),
  );
  await page.goto(sink.url + '/pay.html');
  await page.click('#pw');
  await page.keyboard.type('Hunter2-Sup3rSecret');
  await page.click('#cc');
  await page.keyboard.type('4111 1111 1111 1111');
  await page.click('#plain');
  await page.keyboard.type('my card 5555555555554444');
  await page.press('#plain', 'Tab');
  // the page itself prints the card into the DOM: replay text and chains must redact it
  await page.evaluate(() => (document.getElementById('echo')!.textContent = 'Charged card 4111111111111111'));
  await page.click('#echo');
  await page.click('#pay');
  await flush(page);
  const all = sink.bodies.join('\n');
  expect(sink.list('click').length).toBeGreaterThanOrEqual(4);
  expect(sink.chunks.size).toBeGreaterThan(0);
  for (const secret of [
    'Hunter2',
    'Sup3rSecret',
    '4111 1111',
    '4111111111111111',
    '5555555555554444',
    'help@shop.example',
    '123-45-6789',
  ])
    expect(all, secret).not.toContain(secret);
  const echo = sink.list('click').find((e) => e.chain![0].attrs.id === 'echo')!;
  expect(echo.chain![0].text).toBe('Charged card [card]');
  const plain = sink.list('change').find((e) => e.chain![0].attrs.id === 'plain')!;
  expect(plain.props!.value).toBe('my card [card]');
  const pw = sink.list('click').find((e) => e.chain![0].attrs.id === 'pw')!;
  expect(pw.chain![0].attrs).toMatchObject({ id: 'pw', type: 'password', name: 'password' });
});

test('consent pending: nothing sent, nothing stored until consent(true)', async ({ page }) => {
  sink.page('/c.html', pageHtml(sink.url, `<button id="b">b</button>`, 'data-consent="pending"'));
  await page.goto(sink.url + '/c.html');
  await page.click('#b');
  await page.evaluate(() => (window as any).hindsight.track('too early'));
  await page.waitForTimeout(3000);
  await flush(page);
  expect(sink.bodies.length).toBe(0);
  const storage = await page.evaluate(async () => ({
    dbs: (await indexedDB.databases()).map((d) => d.name),
    ls: Object.keys(localStorage),
  }));
  expect(storage.dbs).toEqual([]);
  expect(storage.ls).toEqual([]);
  await page.evaluate(() => (window as any).hindsight.consent(true));
  await page.click('#b');
  await flush(page);
  expect(sink.list().map((e) => e.type)).toEqual(['pageview', 'click']);
  expect(sink.list('custom')).toEqual([]);
  // remembered: the next load records at once
  await page.reload();
  await page.click('#b');
  await flush(page);
  expect(sink.list('click').length).toBe(2);
  // withdrawn: nothing more is recorded
  await page.evaluate(() => (window as any).hindsight.consent(false));
  await page.click('#b');
  await flush(page);
  expect(sink.list('click').length).toBe(2);
});

test('Do-Not-Track / GPC honored when data-respect-dnt is set', async ({ page }) => {
  await page.addInitScript(() => Object.defineProperty(navigator, 'globalPrivacyControl', { value: true }));
  sink.page('/dnt.html', pageHtml(sink.url, `<button id="b">b</button>`, 'data-respect-dnt'));
  sink.page('/nodnt.html', pageHtml(sink.url, `<button id="b">b</button>`));
  await page.goto(sink.url + '/dnt.html');
  await page.click('#b');
  await flush(page);
  expect(sink.bodies.length).toBe(0);
  await page.goto(sink.url + '/nodnt.html');
  await page.click('#b');
  await flush(page);
  expect(sink.list('click').length).toBe(1);
});

test('sampling: rate 0 records nothing, rate 1 everything', async ({ page }) => {
  sink.page('/s0.html', pageHtml(sink.url, `<button id="b">b</button>`, 'data-sample-rate="0"'));
  await page.goto(sink.url + '/s0.html');
  await page.click('#b');
  await flush(page);
  expect(sink.bodies.length).toBe(0);
});

test('a password stays secret after "show password", and data-hs-mask reaches into shadow roots', async ({ page }) => {
  sink.page(
    '/pw-toggle.html',
    pageHtml(
      sink.url,
      `<input id="pw1"><button id="show" onclick="document.getElementById('pw1').type = 'text'">Show</button>
       <div data-hs-mask><x-card id="card"></x-card></div>
       <template id="tpl"><button id="sb">SHADOWSECRET</button><input id="sf"></template>
       <script>
         document.getElementById('pw1').type = 'password';
         // from a template, so the secret is not in the page's own script text
         document.getElementById('card').attachShadow({ mode: 'open' }).append(document.getElementById('tpl').content.cloneNode(true));
       </script>`,
      'data-capture-values-selector="input"',
    ),
  );
  await page.goto(sink.url + '/pw-toggle.html');
  await page.click('#pw1');
  await page.keyboard.type('Hunter2Secret');
  await page.click('#show');
  await page.click('#pw1');
  await page.keyboard.type('X');
  await page.keyboard.press('Tab');
  await page.locator('#sb').click();
  await page.locator('#sf').fill('SHADOWVALUE');
  await page.locator('#sf').press('Tab');
  await flush(page);
  // the events are there (pw1 changed twice: before and after "Show"), without what was typed or shown
  expect(sink.list('change').map((e) => e.chain![0].attrs.id)).toEqual(['pw1', 'pw1', 'sf']);
  expect(sink.list('change').every((e) => e.props?.value === undefined)).toBe(true);
  const sb = sink.list('click').find((e) => e.chain![0].attrs.id === 'sb')!;
  expect(sb.chain![0].text).toBeUndefined();
  expect(sink.chunks.size).toBeGreaterThan(0);
  const all = sink.bodies.join('\n');
  for (const secret of ['Hunter2', 'SHADOWSECRET', 'SHADOWVALUE']) expect(all, secret).not.toContain(secret);
});
