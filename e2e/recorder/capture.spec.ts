// Capture: each event type reaches the server with the documented shape.
import { expect, test } from '@playwright/test';
import { CHAIN_STATES } from '@hindsight/schema';
import { createReplayMatcher } from '../../packages/definitions/src/index.js';
import { pageHtml, startSink, type Sink } from './sink';

let sink: Sink;
test.beforeAll(async () => {
  sink = await startSink();
});
test.afterAll(async () => {
  await sink.stop();
});

const flush = (page: import('@playwright/test').Page) => page.evaluate(() => (window as any).hindsight.flush());

test('click: envelope, chain, nodeId and replay position', async ({ page }) => {
  sink.page(
    '/click.html',
    pageHtml(
      sink.url,
      `<main id="m" class="wrap"><p>intro</p><button id="buy" class="btn primary" data-sku="42">Buy   now
      </button><span>after</span></main>`,
    ),
  );
  await page.goto(sink.url + '/click.html');
  await page.click('#buy');
  await flush(page);
  const click = sink.list('click').find((e) => e.chain?.[0].attrs.id === 'buy')!;
  expect(click).toBeTruthy();
  expect(click.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(click.sessionId).toBeTruthy();
  expect(click.anonymousId).toBeTruthy();
  expect(click.url).toBe(sink.url + '/click.html');
  expect(click.title).toBe('Test page');
  const [btn, main, body, html] = click.chain!;
  expect(btn).toEqual({
    tag: 'button',
    attrs: { id: 'buy', class: 'btn primary', 'data-sku': '42' },
    nth: [2, 1, 2, 1],
    text: 'Buy now',
    state: expect.any(Number),
  });
  expect(main.tag).toBe('main');
  // textContent semantics: no space is invented between <p> and <button>
  expect(main.text).toBe('introBuy now after');
  expect(body.tag).toBe('body');
  expect(html.tag).toBe('html');
  expect(html.nth).toEqual([1, 1, 1, 1]);
  expect(click.chain!.length).toBe(4);
  expect(typeof click.nodeId).toBe('number');
  expect(click.rec!.seq).toBeGreaterThanOrEqual(2);
  // the replay before seq contains the full snapshot holding that node id
  const replay = sink.replayOf(click.rec!.id) as { type: number; data: any }[];
  expect(replay[0].type).toBe(4); // Meta
  expect(replay[1].type).toBe(2); // FullSnapshot
  expect(JSON.stringify(replay.slice(0, click.rec!.seq))).toContain(`"id":${click.nodeId}`);
  const pv = sink.list('pageview')[0];
  expect(pv.url).toBe(sink.url + '/click.html');
});

test('full snapshots travel without implied node ids; restored, they are the ids rrweb used', async ({ page }) => {
  const items = Array.from({ length: 60 }, (_, i) => `<li class="item">Item ${i}</li>`).join('');
  sink.page('/ids.html', pageHtml(sink.url, `<ul>${items}</ul><button id="buy">Buy</button><span id="later">before</span>`));
  await page.goto(sink.url + '/ids.html');
  await page.waitForTimeout(300); // the full snapshot is taken; what follows are mutations
  await page.evaluate(() => {
    document.getElementById('buy')!.setAttribute('data-x', '1');
    document.getElementById('later')!.textContent = 'after';
  });
  await page.click('#buy');
  await flush(page);
  const click = sink.list('click').find((e) => e.url.endsWith('/ids.html'))!;

  // on the wire: the snapshot's nodes carry (almost) no ids
  const wire = sink.bodies
    .flatMap((b) => JSON.parse(b).replay ?? [])
    .filter((c: { rec: string }) => c.rec === click.rec!.id)
    .flatMap((c: { events: unknown[] }) => c.events)
    .find((e: any) => e.type === 2) as { data: { node: unknown } };
  const nodes: any[] = [];
  (function walk(n: any) {
    nodes.push(n);
    for (const c of n.childNodes ?? []) walk(c);
  })(wire.data.node);
  expect(nodes.length).toBeGreaterThan(120);
  expect(nodes.filter((n) => 'id' in n).length).toBeLessThanOrEqual(1);

  // stored: every node has its id, and they are rrweb's (mutations and the click name them)
  const replay = sink.replayOf(click.rec!.id) as { type: number; data: any }[];
  const byAttrId = new Map<string, any>();
  const all: any[] = [];
  (function walk(n: any) {
    all.push(n);
    if (n.attributes?.id) byAttrId.set(n.attributes.id, n);
    for (const c of n.childNodes ?? []) walk(c);
  })(replay.find((e) => e.type === 2)!.data.node);
  expect(all.every((n) => typeof n.id === 'number')).toBe(true);
  expect(new Set(all.map((n) => n.id)).size).toBe(all.length);
  const buy = byAttrId.get('buy');
  const later = byAttrId.get('later');
  expect(click.nodeId).toBe(buy.id);
  const mutations = replay.filter((e) => e.type === 3 && e.data.source === 0).map((e) => e.data);
  expect(mutations.flatMap((d) => d.attributes)).toContainEqual({ id: buy.id, attributes: { 'data-x': '1' } });
  expect(mutations.flatMap((d) => d.removes)).toContainEqual({ parentId: later.id, id: later.childNodes[0].id });
});

test('svg path inside a button is the target; the button is in its chain', async ({ page }) => {
  sink.page(
    '/svg.html',
    pageHtml(
      sink.url,
      `<button class="buy" style="padding:20px"><svg width="40" height="40" viewBox="0 0 40 40"><clipPath id="c"></clipPath><path id="p" d="M0 0H40V40H0Z" fill="red"/></svg></button>`,
    ),
  );
  await page.goto(sink.url + '/svg.html');
  await page.mouse.click(...(await center(page, '#p')));
  await flush(page);
  const c = sink.list('click').find((e) => e.url.endsWith('/svg.html'))!;
  expect(c.chain!.map((x) => x.tag)).toEqual(['path', 'svg', 'button', 'body', 'html']);
  expect(c.chain![0]).toMatchObject({ ns: 'svg', attrs: { id: 'p' }, nth: [2, 1, 1, 1] });
  expect(c.chain![1].ns).toBe('svg');
  expect(c.chain![2].ns).toBeUndefined();
});

async function center(page: import('@playwright/test').Page, sel: string): Promise<[number, number]> {
  const b = (await page.locator(sel).boundingBox())!;
  return [b.x + b.width / 2, b.y + b.height / 2];
}

test('open shadow DOM: chain crosses to the host with root=shadow', async ({ page }) => {
  sink.page(
    '/shadow.html',
    pageHtml(
      sink.url,
      `<my-widget id="w"></my-widget><script>
        const h = document.getElementById('w');
        const r = h.attachShadow({ mode: 'open' });
        r.innerHTML = '<style>.star{display:inline-block;width:30px;height:30px}</style><div class="stars"><span class="star">a</span><span class="star" id="s2">b</span></div>';
      </script>`,
    ),
  );
  await page.goto(sink.url + '/shadow.html');
  await page.locator('#s2').click(); // playwright pierces open shadow roots
  await flush(page);
  const c = sink.list('click').find((e) => e.url.endsWith('/shadow.html'))!;
  expect(c.chain!.map((x) => x.tag)).toEqual(['span', 'div', 'my-widget', 'body', 'html']);
  expect(c.chain![0]).toMatchObject({ attrs: { class: 'star', id: 's2' }, nth: [2, 2, 1, 1], text: 'b' });
  expect(c.chain![1]).toMatchObject({ root: 'shadow', attrs: { class: 'stars' }, nth: [2, 1, 1, 1] });
  expect(c.chain![0].root).toBeUndefined();
  expect(c.chain![2].attrs.id).toBe('w');
  expect(typeof c.nodeId).toBe('number');
});

test('keyboard activation and label forwarding produce click events', async ({ page }) => {
  sink.page(
    '/kbd.html',
    pageHtml(sink.url, `<button id="b">Go</button><label for="cb" id="l">Accept</label><input type="checkbox" id="cb">`),
  );
  await page.goto(sink.url + '/kbd.html');
  await page.focus('#b');
  await page.keyboard.press('Enter');
  await page.click('#l');
  await flush(page);
  const clicks = sink.list('click').filter((e) => e.url.endsWith('/kbd.html'));
  const ids = clicks.map((e) => e.chain![0].attrs.id);
  expect(ids).toEqual(['b', 'l', 'cb']);
  // live state as closest() saw it during each click: the keyboard focused the button without
  // hovering it; the mouse hovered the label and its ancestors
  const states = (c: (typeof clicks)[number]) => c.chain!.map((e) => CHAIN_STATES.filter((_, i) => ((e.state ?? 0) >> i) & 1));
  const [kbd, label] = clicks;
  expect(states(kbd)[0]).toEqual(['focus', 'focus-visible', 'focus-within']);
  expect(states(kbd).slice(1).every((s) => s.join() === 'focus-within')).toBe(true);
  expect(states(label)[0]).toContain('hover');
  expect(states(label).every((s) => s.includes('hover'))).toBe(true);
  expect(states(label)[0]).not.toContain('focus');
  // the target always says state was captured (0 when nothing holds); ancestors only when set
  expect(clicks.every((c) => typeof c.chain![0].state === 'number')).toBe(true);
});

test('submit, change (identity only unless opted in), invalid', async ({ page }) => {
  sink.page(
    '/form.html',
    pageHtml(
      sink.url,
      `<form id="f" onsubmit="event.preventDefault()">
        <input name="q" id="q" value="preset">
        <input name="email" id="email" type="email" required>
        <input name="nick" id="nick" class="capture">
        <input name="pw" id="pw" type="password" class="capture">
        <input name="cc" id="cc" autocomplete="cc-number" class="capture">
        <select name="size" id="size" class="capture"><option>S</option><option>M</option></select>
        <button id="go">Send</button></form>`,
      'data-capture-values-selector=".capture"',
    ),
  );
  await page.goto(sink.url + '/form.html');
  await page.fill('#q', 'hello');
  await page.press('#q', 'Tab');
  await page.fill('#nick', 'neo');
  await page.press('#nick', 'Tab');
  await page.fill('#pw', 'hunter2');
  await page.press('#pw', 'Tab');
  await page.fill('#cc', '4242424242424242');
  await page.press('#cc', 'Tab');
  await page.selectOption('#size', 'M');
  await page.click('#go'); // email is required and empty → invalid, no submit
  await page.fill('#email', 'not-an-email');
  await page.fill('#email', 'a@b.co');
  await page.click('#go');
  await flush(page);
  const changes = sink.list('change').filter((e) => e.url.endsWith('/form.html'));
  const byId = Object.fromEntries(changes.map((e) => [e.chain![0].attrs.id, e]));
  expect(byId.q.props?.value).toBeUndefined();
  expect(byId.q.chain![0].attrs.value).toBe('***');
  expect(byId.q.chain![0].trunc).toEqual(['value']);
  expect(byId.nick.props?.value).toBe('neo');
  expect(byId.pw.props?.value).toBeUndefined();
  expect(byId.cc.props?.value).toBeUndefined();
  expect(byId.size.props?.value).toBe('M');
  const inv = sink.list('invalid').find((e) => e.url.endsWith('/form.html'))!;
  expect(inv.chain![0].attrs.id).toBe('email');
  expect(inv.props!.failed).toEqual(['valueMissing']);
  const sub = sink.list('submit').find((e) => e.url.endsWith('/form.html'))!;
  expect(sub.chain![0]).toMatchObject({ tag: 'form', attrs: { id: 'f' } });
  expect(sub.rec!.seq).toBeGreaterThan(0);
});

test('form.submit() from a script is a submit (it fires no submit event); a prevented submit the script then completes counts once', async ({ page }) => {
  sink.page('/done.html', pageHtml(sink.url, `<p id="done">thanks</p>`));
  sink.page(
    '/auto.html',
    pageHtml(
      sink.url,
      `<form id="auto" action="/done.html"><select id="pick" onchange="this.form.submit()"><option>a</option><option>b</option></select></form>
      <form id="checked" action="/done.html" onsubmit="event.preventDefault(); setTimeout(() => this.submit(), 50)"><button id="send">Send</button></form>`,
    ),
  );
  await page.goto(sink.url + '/auto.html');
  await page.selectOption('#pick', 'b'); // auto-submits: the page navigates away
  await expect(page.locator('#done')).toHaveText('thanks');
  await page.goto(sink.url + '/auto.html');
  await page.click('#send'); // prevented, then submitted by the page's script
  await expect(page.locator('#done')).toHaveText('thanks');
  await flush(page);
  const submits = () => sink.list('submit').filter((e) => e.url.endsWith('/auto.html'));
  await sink.waitFor(() => submits().length >= 2);
  await page.waitForTimeout(300);
  expect(submits().map((e) => e.chain![0].attrs.id)).toEqual(['auto', 'checked']);
});

test('SPA navigation: one pageview per real URL change, pageleave with time and scroll', async ({ page }) => {
  sink.page('/spa.html', pageHtml(sink.url, `<div style="height:3000px">tall</div>`));
  await page.goto(sink.url + '/spa.html');
  await page.evaluate(() => {
    history.pushState({}, '', '/spa.html/a');
    history.replaceState({}, '', '/spa.html/a'); // same URL: no pageview
    history.pushState({}, '', '/spa.html/b?x=1');
    location.hash = 'sec';
  });
  await page.waitForTimeout(100);
  await page.mouse.wheel(0, 5000);
  await page.waitForTimeout(400);
  await page.goBack(); // popstate back to /b?x=1
  await page.waitForTimeout(100);
  await flush(page);
  const urls = sink.list('pageview').filter((e) => e.url.includes('/spa.html')).map((e) => e.url.replace(sink.url, ''));
  expect(urls).toEqual(['/spa.html', '/spa.html/a', '/spa.html/b?x=1', '/spa.html/b?x=1#sec', '/spa.html/b?x=1']);
  const pvs = sink.list('pageview').filter((e) => e.url.includes('/spa.html'));
  expect(pvs[1].referrer).toBe(sink.url + '/spa.html');
  const leaves = sink.list('pageleave').filter((e) => e.url.includes('/spa.html'));
  expect(leaves.map((e) => e.url.replace(sink.url, ''))).toEqual([
    '/spa.html',
    '/spa.html/a',
    '/spa.html/b?x=1',
    '/spa.html/b?x=1#sec',
  ]);
  expect(leaves[3].props!.scrollDepth).toBe(100);
  expect(typeof leaves[0].props!.duration).toBe('number');
});

test('errors and unhandled rejections, rate-limited per message', async ({ page }) => {
  sink.page(
    '/err.html',
    pageHtml(
      sink.url,
      `<button id="t" onclick="for (let i = 0; i < 20; i++) setTimeout(() => { throw new Error('boom ' + 'x') })">throw</button>
       <button id="r" onclick="Promise.reject(new TypeError('nope'))">reject</button>`,
    ),
  );
  await page.goto(sink.url + '/err.html');
  await page.click('#t');
  await page.click('#r');
  await page.waitForTimeout(200);
  await flush(page);
  const errs = sink.list('error').filter((e) => e.url.endsWith('/err.html'));
  const boom = errs.filter((e) => e.name === 'Uncaught Error: boom x');
  expect(boom.length).toBe(5);
  expect(boom[0].props).toMatchObject({ kind: 'error', source: sink.url + '/err.html' });
  expect(boom[0].props!.stack).toContain('boom x');
  expect(typeof boom[0].props!.line).toBe('number');
  const rej = errs.find((e) => e.props!.kind === 'rejection')!;
  expect(rej.name).toBe('nope');
  expect(rej.props!.stack).toContain('TypeError');
});

test('failed fetch/XHR: method, URL without query values, status, duration; own requests never', async ({ page }) => {
  sink.page('/net.html', pageHtml(sink.url, `<p>net</p>`));
  await page.goto(sink.url + '/net.html');
  await page.evaluate(async () => {
    await fetch('/api/ok?a=1');
    await fetch('/api/fail?token=secret&b=2#frag', { method: 'post', body: 'x' });
    await fetch('http://127.0.0.1:9/nothing?q=1').catch(() => {});
    await new Promise<void>((r) => {
      const x = new XMLHttpRequest();
      x.open('GET', '/missing?id=7');
      x.onloadend = () => r();
      x.send();
    });
  });
  await flush(page);
  const net = sink.list('network_error').filter((e) => e.url.endsWith('/net.html'));
  const p = net.map((e) => e.props!);
  expect(p.map(({ method, url, status }) => ({ method, url, status }))).toEqual([
    { method: 'POST', url: sink.url + '/api/fail?token=&b=', status: 500 },
    { method: 'GET', url: 'http://127.0.0.1:9/nothing?q=', status: 0 },
    { method: 'GET', url: sink.url + '/missing?id=', status: 404 },
  ]);
  expect(typeof p[0].duration).toBe('number');
  expect(JSON.stringify(sink.bodies)).not.toContain('secret');
});

test('rage click and dead click', async ({ page }) => {
  sink.page(
    '/rage.html',
    pageHtml(
      sink.url,
      `<button id="dead" style="margin:40px">Nothing</button>
       <button id="live" onclick="this.textContent = 'clicked ' + Date.now()">Live</button>
       <div id="plain">plain div</div>`,
    ),
  );
  await page.goto(sink.url + '/rage.html');
  const [x, y] = await center(page, '#dead');
  for (let i = 0; i < 5; i++) await page.mouse.click(x, y);
  await page.waitForTimeout(1300);
  await page.click('#live');
  await page.click('#plain');
  await page.waitForTimeout(1300);
  await flush(page);
  const evs = sink.list().filter((e) => e.url.endsWith('/rage.html'));
  const rage = evs.filter((e) => e.type === 'rage_click');
  expect(rage.length).toBe(1);
  expect(rage[0].chain![0].attrs.id).toBe('dead');
  const dead = evs.filter((e) => e.type === 'dead_click');
  expect(dead.map((e) => e.chain![0].attrs.id)).toEqual(['dead']);
  expect(dead[0].rec).toBeTruthy();
});

test('API: track, identify, register, page, reset', async ({ page }) => {
  sink.page('/api.html', pageHtml(sink.url, `<p>api</p>`));
  await page.goto(sink.url + '/api.html');
  const ids = await page.evaluate(async () => {
    const h = (window as any).hindsight;
    const before = { s: h.sessionId, a: h.anonymousId };
    h.register({ plan: 'pro' });
    h.track('Signed up', { method: 'google', fn: () => 1 });
    h.track('cyclic', (() => { const o: any = {}; o.o = o; return o; })());
    h.identify('user-7', { email: 'x@y.z' });
    h.page();
    await h.flush();
    h.reset();
    h.track('after reset');
    await h.flush();
    return { before, after: { s: h.sessionId, a: h.anonymousId } };
  });
  const evs = sink.list().filter((e) => e.url.endsWith('/api.html'));
  const signed = evs.find((e) => e.name === 'Signed up')!;
  expect(signed).toMatchObject({ type: 'custom', props: { plan: 'pro', method: 'google' } });
  expect(evs.find((e) => e.name === 'cyclic')!.props).toEqual({ plan: 'pro' });
  const ident = evs.find((e) => e.type === 'identify')!;
  expect(ident).toMatchObject({ userId: 'user-7', anonymousId: ids.before.a, props: { email: 'x@y.z', plan: 'pro' } });
  expect(evs.filter((e) => e.type === 'pageview').length).toBe(2);
  const after = evs.find((e) => e.name === 'after reset')!;
  expect(after.userId).toBeNull();
  expect(after.anonymousId).toBe(ids.after.a);
  expect(ids.after.a).not.toBe(ids.before.a);
  expect(ids.after.s).not.toBe(ids.before.s);
  expect(after.sessionId).toBe(ids.after.s);
  // the new session has its own recording, starting with Meta + FullSnapshot
  const recs = new Set([...sink.chunks.values()].filter((c) => c.sessionId === ids.after.s).map((c) => c.rec));
  expect(recs.size).toBe(1);
  const rp = sink.replayOf([...recs][0]) as { type: number }[];
  expect(rp.slice(0, 2).map((e) => e.type)).toEqual([4, 2]);
});

test('data-hs-ignore gets no events; data-hs-mask text is masked in chains and replay', async ({ page }) => {
  sink.page(
    '/mask.html',
    pageHtml(
      sink.url,
      `<div data-hs-ignore><button id="ig">ignored</button></div>
       <div id="box"><span data-hs-mask id="m">Secret Name</span> <button id="ok">Mail me at bob@example.com</button></div>`,
    ),
  );
  await page.goto(sink.url + '/mask.html');
  await page.click('#ig');
  await page.click('#m');
  await page.click('#ok');
  await flush(page);
  const clicks = sink.list('click').filter((e) => e.url.endsWith('/mask.html'));
  expect(clicks.map((e) => e.chain![0].attrs.id)).toEqual(['m', 'ok']);
  expect(clicks[0].chain![0].text).toBeUndefined();
  expect(clicks[0].chain![0].textTrunc).toBe(true);
  expect(clicks[1].chain![0]).toMatchObject({ text: 'Mail me at [email]', textTrunc: true });
  expect(clicks[1].chain![1].text).toBe('Mail me at [email]');
  const all = JSON.stringify(sink.bodies);
  expect(all).not.toContain('Secret Name');
  expect(all).not.toContain('bob@example.com');
});

test('same-origin iframe: clicks inside are recorded with the frame document chain', async ({ page }) => {
  sink.page(
    '/frame.html',
    pageHtml(sink.url, `<p>outer</p><iframe id="fr" srcdoc="<div id='inner'><button id='ib'>In frame</button></div>"></iframe>`),
  );
  await page.goto(sink.url + '/frame.html');
  await page.frameLocator('#fr').locator('#ib').click();
  await flush(page);
  const c = sink.list('click').find((e) => e.url.endsWith('/frame.html'))!;
  expect(c.chain!.map((x) => x.tag)).toEqual(['button', 'div', 'body', 'html']);
  expect(c.chain![0].text).toBe('In frame');
  expect(typeof c.nodeId).toBe('number');
});

test('same-origin iframe: clicks after the frame navigates, and change/submit in its shadow roots', async ({ page }) => {
  sink.page('/fr-a.html', `<!doctype html><a id="go" href="/fr-b.html">next</a>`);
  sink.page(
    '/fr-b.html',
    `<!doctype html><button id="after">After</button><x-f id="h"></x-f><script>
      document.getElementById('h').attachShadow({ mode: 'open' }).innerHTML = '<form onsubmit="event.preventDefault()"><input id="fc" name="city"></form>';
    </script>`,
  );
  sink.page('/fr-nav.html', pageHtml(sink.url, `<iframe id="fr" src="/fr-a.html"></iframe>`));
  await page.goto(sink.url + '/fr-nav.html');
  const fr = page.frameLocator('#fr');
  await fr.locator('#go').click();
  await fr.locator('#after').click();
  await fr.locator('#fc').fill('Paris');
  await fr.locator('#fc').press('Enter');
  await flush(page);
  const mine = (type: string) => sink.list(type).filter((e) => e.url.endsWith('/fr-nav.html'));
  // each once: the navigated frame's new document got listeners, and only once
  expect(mine('click').map((e) => e.chain![0].attrs.id)).toEqual(['go', 'after']);
  expect(mine('change').map((e) => e.chain!.map((x) => x.tag))).toEqual([['input', 'form', 'x-f', 'body', 'html']]);
  expect(mine('submit').map((e) => e.chain![0])).toEqual([expect.objectContaining({ tag: 'form', root: 'shadow' })]);
});

test('Navigation API route changes are page views, once each', async ({ page }) => {
  sink.page(
    '/navapi.html',
    pageHtml(
      sink.url,
      `<button id="b" onclick="navigation.navigate('/navapi/next')">go</button><button id="p" onclick="history.pushState({}, '', '/navapi/pushed')">push</button>
       <script>navigation.addEventListener('navigate', (e) => { if (e.canIntercept) e.intercept({ handler: async () => {} }); });</script>`,
    ),
  );
  await page.goto(sink.url + '/navapi.html');
  await page.click('#b');
  await expect.poll(() => page.evaluate(() => location.pathname)).toBe('/navapi/next');
  await page.click('#p');
  await flush(page);
  const views = sink.list('pageview').filter((e) => e.url.includes('/navapi')).map((e) => new URL(e.url).pathname);
  expect(views).toEqual(['/navapi.html', '/navapi/next', '/navapi/pushed']);
});

test('change and submit inside an open shadow root', async ({ page }) => {
  sink.page(
    '/shadow-form.html',
    pageHtml(
      sink.url,
      `<x-form id="host"></x-form><script>
        const r = document.getElementById('host').attachShadow({ mode: 'open' });
        r.innerHTML = '<form onsubmit="event.preventDefault()"><input name="city" id="city"><button id="send">Send</button></form>';
      </script>`,
    ),
  );
  await page.goto(sink.url + '/shadow-form.html');
  await page.locator('#city').fill('Paris');
  await page.locator('#city').press('Enter');
  await flush(page);
  const change = sink.list('change').find((e) => e.url.endsWith('/shadow-form.html'))!;
  expect(change.chain!.map((x) => x.tag)).toEqual(['input', 'form', 'x-form', 'body', 'html']);
  expect(change.chain![1].root).toBe('shadow');
  const submit = sink.list('submit').find((e) => e.url.endsWith('/shadow-form.html'))!;
  expect(submit.chain![0]).toMatchObject({ tag: 'form', root: 'shadow' });
  expect(JSON.stringify(sink.bodies)).not.toContain('Paris');
});

test('change and submit inside shadow roots that exist before init or come from the parser', async ({ page }) => {
  // declarative shadow DOM (parsed after the recorder script ran) and a root attached before it loaded
  sink.page(
    '/shadow-early.html',
    `<!doctype html><html><head><meta charset="utf-8"><script>
      customElements.define('x-early', class extends HTMLElement {});
      const early = document.createElement('x-early');
      early.attachShadow({ mode: 'open' }).innerHTML = '<input id="early" name="early">';
      document.addEventListener('DOMContentLoaded', () => document.body.append(early));
    </script>` +
      pageHtml(sink.url, `<x-decl><template shadowrootmode="open"><form onsubmit="event.preventDefault()"><input id="decl" name="decl"></form></template></x-decl>`).replace(/^<!doctype html><html><head><meta charset="utf-8">/, ''),
  );
  await page.goto(sink.url + '/shadow-early.html');
  await page.locator('#decl').fill('x');
  await page.locator('#decl').press('Enter');
  await page.locator('#early').fill('y');
  await page.locator('#early').blur();
  await flush(page);
  const changes = sink.list('change').filter((e) => e.url.endsWith('/shadow-early.html'));
  expect(changes.map((c) => c.chain![0].attrs.id).sort()).toEqual(['decl', 'early']);
  expect(sink.list('submit').some((e) => e.url.endsWith('/shadow-early.html') && e.chain![0].root === 'shadow')).toBe(true);
});

test('scripted el.click() right after a mutation: the replay position includes it, not the handler\'s', async ({
  page,
}) => {
  sink.page(
    '/sync.html',
    pageHtml(
      sink.url,
      `<div id="box"><button id="b">b</button></div><script>
        document.getElementById('b').addEventListener('click', () => document.getElementById('box').setAttribute('data-after', '1'));
        window.go = () => {
          document.getElementById('box').setAttribute('data-before', '1');
          document.getElementById('b').click();
        };
      </script>`,
    ),
  );
  await page.goto(sink.url + '/sync.html');
  await page.waitForTimeout(200);
  await page.evaluate(() => (window as any).go());
  await flush(page);
  const click = sink.list('click').find((e) => e.url.endsWith('/sync.html'))!;
  const replay = sink.replayOf(click.rec!.id);
  const before = JSON.stringify(replay.slice(0, click.rec!.seq));
  const after = JSON.stringify(replay.slice(click.rec!.seq));
  expect(before).toContain('data-before');
  expect(before).not.toContain('data-after');
  expect(after).toContain('data-after');
});

test('checkbox click: the replay up to the click already has the toggled :checked state', async ({ page }) => {
  sink.page('/check.html', pageHtml(sink.url, `<label><input type="checkbox" id="cb"> Accept</label>`));
  await page.goto(sink.url + '/check.html');
  await page.click('#cb');
  await flush(page);
  const click = sink.list('click').find((e) => e.url.endsWith('/check.html'))!;
  const before = sink.replayOf(click.rec!.id).slice(0, click.rec!.seq) as { type: number; data: any }[];
  const inputs = before.filter((e) => e.type === 3 && e.data.source === 5 && e.data.id === click.nodeId);
  expect(inputs.at(-1)?.data.isChecked).toBe(true);
});

test('a node moved into a shadow root keeps its replay id: its later changes are recorded', async ({ page }) => {
  // rrweb observes each shadow root with its own MutationObserver, and one made while taking the
  // snapshot fires before the document's: the move arrives as the add, then a remove naming the
  // old parent. That remove must not make rrweb forget the (still connected) subtree's ids.
  sink.page(
    '/move-shadow.html',
    pageHtml(
      sink.url,
      `<div id="host"></div><div><span id="mv">m <b id="kid">k</b></span></div><button id="b">b</button><script>
        const root = document.getElementById('host').attachShadow({ mode: 'open' });
        root.innerHTML = '<p id="inner">in</p>';
        window.move = () => root.getElementById('inner').appendChild(document.getElementById('mv'));
        window.change = () => {
          root.getElementById('mv').className = 'moved';
          root.getElementById('kid').setAttribute('data-k', '1');
        };
      </script>`,
    ),
  );
  await page.goto(sink.url + '/move-shadow.html');
  await page.waitForTimeout(200);
  await page.evaluate(() => (window as any).move());
  await page.waitForTimeout(50);
  await page.evaluate(() => (window as any).change());
  await page.click('#b');
  await flush(page);
  const click = sink.list('click').find((e) => e.url.endsWith('/move-shadow.html'))!;
  const replay = sink.replayOf(click.rec!.id) as { type: number; data: any }[];
  const idOf = (attr: string): number => {
    const find = (n: any): number | undefined =>
      n?.attributes?.id === attr ? n.id : (n?.childNodes ?? []).map(find).find((x: number | undefined) => x !== undefined);
    return find(replay.find((e) => e.type === 2)!.data.node)!;
  };
  const mutations = replay.filter((e) => e.type === 3 && e.data.source === 0).map((e) => e.data);
  // the move itself: first the add (shadow root's observer), then the remove (document's)
  const added = mutations.findIndex((d) => d.adds.some((a: any) => a.node.id === idOf('mv')));
  const removed = mutations.findIndex((d) => d.removes.some((r: any) => r.id === idOf('mv')));
  expect(added).toBeGreaterThanOrEqual(0);
  expect(removed).toBeGreaterThan(added);
  const attrs = mutations.flatMap((d) => d.attributes);
  expect(attrs).toContainEqual({ id: idOf('mv'), attributes: { class: 'moved' } });
  expect(attrs).toContainEqual({ id: idOf('kid'), attributes: { 'data-k': '1' } });
});

test('a shadow host made and moved out of a shadow tree in one task keeps its shadow tree', async ({ page }) => {
  // The old tree's observer (made while taking the snapshot, so it fires first) walks into the new
  // host's shadow root, marks those nodes as its own, then drops the add: the host left its tree.
  // The document's observer then skipped them as "another buffer's", and nobody recorded them.
  sink.page(
    '/shadow-hop.html',
    pageHtml(
      sink.url,
      `<div id="host"></div><div id="dest"></div><button id="b">b</button><script>
        const root = document.getElementById('host').attachShadow({ mode: 'open' });
        root.innerHTML = '<div><span id="wrap">w</span></div>';
        window.go = () => {
          const card = document.createElement('x-card');
          card.attachShadow({ mode: 'open' }).innerHTML = '<button id="deep">deep</button>';
          root.getElementById('wrap').appendChild(card);
          document.getElementById('dest').appendChild(root.getElementById('wrap'));
        };
      </script>`,
    ),
  );
  await page.goto(sink.url + '/shadow-hop.html');
  await page.waitForTimeout(200);
  await page.evaluate(() => (window as any).go());
  await page.click('#deep');
  await flush(page);
  const click = sink.list('click').find((e) => e.url.endsWith('/shadow-hop.html') && e.chain![0].attrs.id === 'deep')!;
  const replay = sink.replayOf(click.rec!.id).slice(0, click.rec!.seq) as { type: number; data: any }[];
  const adds = replay.filter((e) => e.type === 3 && e.data.source === 0).flatMap((e) => e.data.adds);
  const card = adds.find((a: any) => a.node.tagName === 'x-card');
  const deep = adds.find((a: any) => a.node.attributes?.id === 'deep');
  expect(card, 'the host is recorded').toBeDefined();
  expect(deep, 'its shadow tree is recorded').toBeDefined();
  expect(deep).toMatchObject({ parentId: card.node.id, node: { id: click.nodeId, isShadow: true } });
});

test('relative href/src/srcset: the recording keeps the authored value beside the absolute one', async ({ page }) => {
  // rrweb stores these absolute (a replay must load them); selectors on the page saw what was
  // written, so `li:has(> a[href="#top"])` must be decidable from the recording alone.
  sink.page(
    '/urls.html',
    pageHtml(
      sink.url,
      `<ul><li><a id="rel" href="#top">top</a></li><li><a id="abs" href="https://example.com/x">x</a></li>
      <li><img id="img" src="/i.png" srcset="/i.png 1x, i2.png 2x" alt=""></li></ul>
      <button id="b">b</button><script>
        window.change = () => {
          document.getElementById('rel').setAttribute('href', 'https://example.com/y');
          document.getElementById('abs').setAttribute('href', '../up');
          const a = document.createElement('a');
          a.id = 'new';
          a.href = '?q=1';
          document.querySelector('ul').appendChild(a);
        };
      </script>`,
    ),
  );
  await page.goto(sink.url + '/urls.html');
  await page.click('#b');
  await page.evaluate(() => (window as any).change());
  await page.click('#b');
  await flush(page);
  const clicks = sink.list('click').filter((e) => e.url.endsWith('/urls.html'));
  expect(clicks).toHaveLength(2);
  const replay = sink.replayOf(clicks[0].rec!.id);
  const m = createReplayMatcher(replay);
  const attrsAt = (seq: number) => {
    m.at(seq);
    const out: Record<string, Record<string, string>> = {};
    const walk = (n: any): void => {
      if (n.kind === 'element' && n.attrs.id) out[n.attrs.id] = { ...n.attrs };
      n.children.forEach(walk);
    };
    walk(m.dom.document);
    return out;
  };
  const before = attrsAt(clicks[0].rec!.seq);
  expect(before.rel.href).toBe('#top');
  expect(before.abs.href).toBe('https://example.com/x');
  expect(before.img).toMatchObject({ src: '/i.png', srcset: '/i.png 1x, i2.png 2x' });
  const after = attrsAt(clicks[1].rec!.seq);
  expect(after.rel.href).toBe('https://example.com/y');
  expect(after.abs.href).toBe('../up');
  expect(after.new.href).toBe('?q=1');
  // the replay itself still gets absolute URLs, and nothing extra where none was needed
  const snapshot = JSON.stringify(replay.find((e: any) => e.type === 2));
  expect(snapshot).toContain(`"href":"${sink.url}/urls.html#top","rr_raw_href":"#top"`);
  expect(snapshot).toContain('"href":"https://example.com/x"}');
});
