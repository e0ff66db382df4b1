// A second oracle for the fuzz, below the selectors: at every click the DOM rebuilt from the
// recording (rrweb events [0, rec.seq), by the engine's own ReplayDom) must equal the live DOM
// at that moment. A selector only notices a recording gap when it happens to look there; this
// check points at the first click where the two trees part, and at the line where they do.
//
// Both sides are written in one canonical form: body subtree, open shadow roots (non-empty ones:
// an empty shadow root is never serialized and no selector can see it), sorted attributes, text
// and comments. href/src/srcset are compared as authored (rrweb makes them absolute; our recorder
// keeps the authored value beside them). Left out is what the recording changes on purpose:
// value/checked/selected (masked inputs, live state), style (normalized), and script/style contents.
import type { Page } from '@playwright/test';
import { createReplayMatcher } from '../../packages/definitions/src/index.js';
import type { RNode } from '../../packages/definitions/src/replay/dom.js';

const SKIP_ATTRS = ['value', 'checked', 'selected', 'style'];

/** Runs in the page (a string, so no bundler helpers leak in): canonical DOM per click. */
const PROBE = `(() => {
  const SKIP = new Set(${JSON.stringify(SKIP_ATTRS)});
  const canon = () => {
    const out = [];
    const ser = (n, d) => {
      const pad = ' '.repeat(d);
      if (n.nodeType === 3 || n.nodeType === 4) return void out.push(pad + JSON.stringify(n.data));
      if (n.nodeType === 8) return void out.push(pad + '<!---->');
      if (n.nodeType !== 1) return;
      const attrs = [...n.attributes].filter((a) => !SKIP.has(a.name)).map((a) => a.name + '=' + JSON.stringify(a.value)).sort();
      out.push(pad + '<' + n.localName + ' ' + attrs.join(' ') + '>');
      if (n.localName === 'script' || n.localName === 'style') return;
      if (n.shadowRoot && n.shadowRoot.childNodes.length) {
        out.push(pad + ' #shadow');
        for (const c of n.shadowRoot.childNodes) ser(c, d + 2);
      }
      for (const c of n.childNodes) ser(c, d + 1);
    };
    ser(document.body, 0);
    return out.join('\\n');
  };
  const doms = [];
  Object.defineProperty(window, '__hsDom', { value: doms });
  // after the ground truth's listener, before the recorder's and the page's: the DOM of the click
  window.addEventListener('click', () => doms.push(canon()), true);
})();`;

export async function installDomProbe(page: Page): Promise<void> {
  await page.addInitScript(PROBE);
}

export async function readDomProbe(page: Page): Promise<string[]> {
  return page.evaluate(() => [...((window as unknown as { __hsDom: string[] }).__hsDom ?? [])]);
}

const SKIP = new Set(SKIP_ATTRS);

function canonReplay(body: RNode): string {
  const out: string[] = [];
  const ser = (n: RNode, d: number) => {
    const pad = ' '.repeat(d);
    if (n.kind === 'text' || n.kind === 'cdata') return void out.push(pad + JSON.stringify(n.data));
    if (n.kind === 'comment') return void out.push(pad + '<!---->');
    if (n.kind !== 'element') return;
    const attrs = Object.entries(n.attrs).filter(([k]) => !SKIP.has(k)).map(([k, v]) => `${k}=${JSON.stringify(v)}`).sort();
    out.push(`${pad}<${n.tagName} ${attrs.join(' ')}>`);
    if (n.tagName === 'script' || n.tagName === 'style') return;
    if (n.shadowRoot && n.shadowRoot.children.length) {
      out.push(`${pad} #shadow`);
      for (const c of n.shadowRoot.children) ser(c, d + 2);
    }
    for (const c of n.children) ser(c, d + 1);
  };
  ser(body, 0);
  return out.join('\n');
}

/**
 * Compares each click's live DOM with the replay's at its position. Returns one line per click
 * whose trees differ (up to `max`), each naming the first differing line of both sides.
 */
export function replayDomMismatches(page: string, replay: unknown[], clicks: { rec?: { seq: number } }[], live: string[], max = 3): string[] {
  const m = createReplayMatcher(replay);
  const out: string[] = [];
  clicks.forEach((c, k) => {
    if (!c.rec || live[k] === undefined || out.length >= max) return;
    m.at(c.rec.seq);
    const html = m.dom.document?.children.find((x) => x.kind === 'element');
    const body = html?.children.find((x) => x.kind === 'element' && x.tagName === 'body');
    const rep = body ? canonReplay(body) : '';
    if (rep === live[k]) return;
    const a = live[k].split('\n');
    const b = rep.split('\n');
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    out.push(`${page} click #${k} (seq ${c.rec.seq}), line ${i + 1}:\n      live:   ${(a[i] ?? '(end)').trim()}\n      replay: ${(b[i] ?? '(end)').trim()}`);
  });
  return out;
}
