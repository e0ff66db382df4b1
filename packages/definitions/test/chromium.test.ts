// The gold standard, opt-in (it launches a browser): random trees built in real Chromium,
// chains derived there like the recorder does, composed closest() computed by the page itself.
// Both the chain matcher and the replay matcher (css-select on the same tree) must agree.
//
//   HINDSIGHT_CHROMIUM=/usr/bin/chromium npx vitest run packages/definitions/test/chromium.test.ts
//   (HINDSIGHT_RUNS=n and HINDSIGHT_SEED=s to widen the search)

import type { ChainElement } from '@hindsight/schema';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifySelector, closestInChain, compileChainSelector, createReplayMatcher, parseSelector } from '../src/index.js';
import { allElements, startEvents } from './helpers.js';
import { shopPage } from './fixture.js';
import { rows } from './rows.js';
import { domSelectorArb, selectorArb, specArb, specDocument } from './gen.js';
import { composedParent } from '../src/replay/dom.js';
import type { RNode } from '../src/replay/dom.js';

const executable = process.env.HINDSIGHT_CHROMIUM;

interface PageResult {
  chains: ChainElement[][];
  /** per selector: per element index of closest in the composed walk, -1 none, null throws */
  answers: (number[] | null)[];
}

// Runs inside the page: plain JS in a string, so no bundler helpers leak into it.
const PAGE_FN = `(([doc, selectors]) => {
  const SVG = 'http://www.w3.org/2000/svg', MATH = 'http://www.w3.org/1998/Math/MathML';
  const CAMEL = { clippath: 'clipPath', foreignobject: 'foreignObject', lineargradient: 'linearGradient' };
  const root = document.documentElement;
  root.replaceChildren();
  for (const a of Array.from(root.attributes)) root.removeAttribute(a.name);
  const build = (sn, parent) => {
    if (sn.type === 3) { parent.appendChild(document.createTextNode(sn.textContent)); return; }
    if (sn.type !== 2) return;
    const el = sn.isSVG ? document.createElementNS(SVG, CAMEL[sn.tagName] || sn.tagName) : document.createElement(sn.tagName);
    for (const [k, v] of Object.entries(sn.attributes || {})) el.setAttribute(k, v);
    let container = parent;
    if (sn.isShadow) container = parent.shadowRoot || parent.attachShadow({ mode: 'open' });
    container.appendChild(el);
    for (const c of sn.childNodes || []) build(c, el);
  };
  const html = doc.childNodes[1];
  for (const [k, v] of Object.entries(html.attributes || {})) root.setAttribute(k, v);
  for (const c of html.childNodes) build(c, root);
  const elements = [];
  const walk = (n) => {
    if (n.nodeType === 1) elements.push(n);
    if (n.shadowRoot) for (const c of n.shadowRoot.children) walk(c);
    for (const c of n.children) walk(c);
  };
  walk(document.documentElement);
  const up = (x) => {
    const p = x.parentNode;
    return p instanceof ShadowRoot ? p.host : x.parentElement;
  };
  const chainOf = (el) => {
    const out = [];
    for (let x = el; x; x = up(x)) {
      const p = x.parentNode;
      const sibs = p ? Array.from(p.children) : [x];
      const same = sibs.filter((s) => s.localName === x.localName && s.namespaceURI === x.namespaceURI);
      const i = sibs.indexOf(x), j = same.indexOf(x);
      const attrs = {};
      for (const a of x.attributes) attrs[a.name] = a.value;
      const e = { tag: x.localName, attrs, nth: [i + 1, j + 1, sibs.length - i, same.length - j] };
      if (x.namespaceURI === SVG) e.ns = 'svg';
      if (x.namespaceURI === MATH) e.ns = 'math';
      const text = x.textContent.replace(/\\s+/g, ' ').trim();
      if (text) e.text = text;
      if (p instanceof ShadowRoot) e.root = 'shadow';
      out.push(e);
    }
    return out;
  };
  const chains = elements.map(chainOf);
  const answers = selectors.map((sel) => {
    try {
      return elements.map((el) => {
        for (let n = el; n; ) {
          const r = n.closest(sel);
          if (r) {
            let k = 0;
            for (let x = el; x !== r; x = up(x)) k++;
            return k;
          }
          const root = n.getRootNode();
          if (!(root instanceof ShadowRoot)) return -1;
          n = root.host; // composed closest: continue at the host
        }
        return -1;
      });
    } catch (e) {
      return null;
    }
  });
  return { chains, answers };
})`;

describe.runIf(!!executable)('differential against real Chromium closest()', () => {
  let browser: { close(): Promise<void> };
  let page: { evaluate<R>(fn: string, arg: unknown): Promise<R> };

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    const b = await chromium.launch({ executablePath: executable, args: ['--no-sandbox', '--headless=new'] });
    const p = await b.newPage();
    await p.setContent('<!doctype html><html></html>');
    browser = b;
    page = {
      evaluate: async <R,>(fn: string, arg: unknown) => (await p.evaluate(`${fn}(${JSON.stringify(arg)})`)) as R,
    };
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('the chain.test.ts table is what Chromium answers', async () => {
    const { document, ids } = shopPage();
    const m = createReplayMatcher(startEvents(document)).at(2);
    const elements = allElements(m.dom.document!);
    const res = await page.evaluate<PageResult>(PAGE_FN, [document, rows.map((r) => r[0])]);
    expect(res.chains.length).toBe(elements.length);
    rows.forEach(([sel, target, expected], k) => {
      const e = elements.findIndex((n) => n.id === ids[target]);
      let want = -1;
      if (expected !== null) {
        want = 0;
        for (let x: RNode | null = elements[e]; x && x.id !== ids[expected]; x = composedParent(x)) want++;
      }
      expect(res.answers[k]?.[e], `${sel} on ${target}`).toBe(want);
    });
  }, 120_000);

  it('chain matcher and replay matcher equal Chromium on random trees', async () => {
    const samples = fc.sample(
      fc.tuple(specArb, fc.array(selectorArb, { minLength: 2, maxLength: 4 }), fc.array(domSelectorArb, { minLength: 2, maxLength: 4 })),
      { numRuns: Number(process.env.HINDSIGHT_RUNS ?? 400), seed: Number(process.env.HINDSIGHT_SEED ?? 42) },
    );
    let compared = 0;
    for (const [spec, chainSels, domSels] of samples) {
      const selectors = [...chainSels, ...domSels];
      const document = specDocument(spec);
      const res = await page.evaluate<PageResult>(PAGE_FN, [document, selectors]);
      const m = createReplayMatcher(startEvents(document)).at(2);
      const elements = allElements(m.dom.document!);
      expect(elements.length).toBe(res.chains.length);
      selectors.forEach((s, k) => {
        const p = parseSelector(s);
        const answers = res.answers[k];
        if (answers === null) {
          expect(p.ok, `Chromium rejects ${s}`).toBe(false);
          return;
        }
        if (!p.ok) throw new Error(`we reject ${s} (${p.message}) but Chromium accepts it`);
        const test = compileChainSelector(p.ast);
        const exact = classifySelector(p.ast) === 'chain';
        res.chains.forEach((chain, e) => {
          const want = answers[e];
          const got = closestInChain(test, chain);
          if (got === 'unknown') expect(exact, `${s}: unknown for a chain selector`).toBe(false);
          else if (got !== want) throw new Error(`chain: ${s} on element ${e} <${chain[0].tag}>: ours ${got}, Chromium ${want} ${JSON.stringify(chain)}`);
          const node = m.closestComposed(elements[e], s);
          let idx = -1;
          if (node) {
            idx = 0;
            for (let x: RNode | null = elements[e]; x && x !== node; x = composedParent(x)) idx++;
          }
          if (idx !== want) throw new Error(`replay: ${s} on element ${e} <${chain[0].tag}>: ours ${idx}, Chromium ${want}`);
          compared++;
        });
      });
    }
    console.log(`compared ${compared} (selector, element) pairs with Chromium`);
  }, 600_000);
});
