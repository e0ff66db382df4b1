// Seeded random pages for the fidelity fuzz (fuzz.spec.ts). A page is a random tree of ordinary
// markup (lists, tables, forms, labels, links, svg icons, custom elements, open shadow roots, some
// declarative) whose names and values overlap on purpose (`btn` / `btn-primary` / `BTN`, `en` /
// `en-US`), plus the page script of fuzz-page-script.ts, which mutates the DOM on clicks so that
// selectors the chain cannot decide depend on the recorded mutations.
//
// Everything derives from one seed (Rng); the model (GNode) is kept next to the HTML so the
// selector generator (fuzz-selectors.ts) can aim at elements that really exist.
import { PAGE_SCRIPT } from './fuzz-page-script.js';

/** mulberry32: small, fast, and the same sequence in Node and in the page script. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)];
  }
  /** `[weight, value]` pairs */
  weighted<T>(pairs: readonly (readonly [number, T])[]): T {
    let r = this.next() * pairs.reduce((n, [w]) => n + w, 0);
    for (const [w, v] of pairs) if ((r -= w) < 0) return v;
    return pairs[pairs.length - 1][1];
  }
  /** an independent stream for part `k` (a page, its clicks), so parts do not shift each other */
  fork(k: number): Rng {
    return new Rng(Math.imul((this.s ^ 0x9e3779b9) + Math.imul(k + 1, 0x85ebca6b), 0xc2b2ae35) ^ (k << 7));
  }
}

// ------------------------------------------------------------------ vocabulary (shared pools)

export const ID_POOL = ['main', 'Main', 'nav', 'btn', 'btn-1', 'item-2', 'x', 'a1', 'ünï', 'card', 'cart', 'List', '1st', 'a b', 'a.b', 'top'];
export const CLASS_POOL = [
  'btn', 'btn-primary', 'btn-Primary', 'BTN', 'primary', 'active', 'is-active', 'item', 'item-1', 'card',
  'card__title', 'card--big', 'sm:p-2', 'w-1/2', 'x', 'y', 'ü', '_u', 'selected', 'open', 'row', 'cell', 'icon',
];
/** attribute name → values; quotes, spaces, unicode, case variants and near-prefixes on purpose */
export const ATTR_POOL: [string, string[]][] = [
  ['data-role', ['button', 'Button', 'nav item', 'menu', 'menu-item', 'x']],
  ['data-state', ['on', 'off', 'ON', 'open closed', '']],
  ['data-id', ['1', '12', '123', '0012', 'a-1']],
  ['data-x', ['a b c', 'a-b', 'a"b', "it's", 'naïve café', '€5', 'a\\b', 'ÄÖ', '  padded  ']],
  ['aria-label', ['Add to cart', 'add to cart', 'Close', 'close dialog', 'Ünï']],
  ['aria-pressed', ['true', 'false']],
  ['aria-hidden', ['true', 'false']],
  ['role', ['button', 'link', 'tab', 'menuitem', 'listitem', 'Button']],
  ['title', ['Hello World', 'hello', 'x y', '']],
  ['lang', ['en', 'en-US', 'EN-us', 'de', 'fr-CA']],
  ['dir', ['ltr', 'rtl', 'LTR']],
];
export const HREF_POOL = ['#top', '#a b', '#"q"', '#ü', '/p?q=1&r=2', 'https://example.com/x y', "#it's", '', 'page.html#Top'];
export const INPUT_TYPES = ['text', 'checkbox', 'checkbox', 'radio', 'radio', 'button', 'submit', 'CHECKBOX', 'Radio', 'email'];
export const BUTTON_TYPES = ['button', 'button', 'submit', 'BUTTON', 'reset'];
export const NAME_POOL = ['q', 'email', 'news', 'plan', 'Plan'];
export const WORDS = ['Add', 'Buy now', 'Ünïcode', '€ 5', 'x', 'Close ×', 'Next', 'menu', 'A  B', 'Ok'];
/** tags the page script creates at run time */
export const NEW_TAGS = ['div', 'span', 'li', 'b', 'em', 'button', 'p', 'a', 'section'];
/** the page script's own attributes (triggers, script-built shadow hosts) */
export const SCRIPT_ATTRS: [string, string[]][] = [
  ['data-act', ['mut', 'chain']],
  ['data-sh', ['0', '1', '2']],
];

// ------------------------------------------------------------------ page model

export interface GText {
  text: string;
}
export interface GComment {
  comment: string;
}
export type Kid = GNode | GText | GComment;

export interface GNode {
  tag: string;
  svg: boolean;
  attrs: [string, string][];
  kids: Kid[];
  parent: GNode | null;
  /** an open shadow root: declarative (`<template shadowrootmode>`) or attached by the page script */
  shadow?: { how: 'dsd' | 'script'; kids: Kid[] };
  /** inside some shadow tree (for reports) */
  inShadow: boolean;
  /** directly under a shadow root: `parent` is the host, but no combinator reaches it */
  shadowTop?: boolean;
}

export interface GenPage {
  name: string;
  /** with the embed placeholders {{ENDPOINT}} and {{KEY}}, like the corpus pages */
  html: string;
  /** every element of the model, light and shadow */
  nodes: GNode[];
}

const isNode = (k: Kid): k is GNode => 'tag' in k;

const FLOW = ['div', 'div', 'div', 'section', 'article', 'nav', 'header', 'ul', 'ol', 'p', 'table', 'form', 'label', 'button', 'a', 'span', 'span', 'em', 'b', 'input', 'svg', 'x-card'];
const PHRASING = ['span', 'span', 'a', 'button', 'label', 'input', 'em', 'b', 'svg'];
const SHADOW_HOSTS = new Set(['div', 'section', 'article', 'nav', 'header', 'span', 'p', 'x-card']);
const SVG_LEAVES = ['path', 'path', 'circle', 'rect'];

interface Ctx {
  rng: Rng;
  budget: number;
  nodes: GNode[];
  /** script-built shadow roots, in data-sh order */
  scriptShadows: Kid[][];
  maxDepth: number;
}

/** what may go inside `parent` (keeps the markup parser-stable: what we model is what we get) */
function allowedKids(parent: GNode | null, flags: Flags): string[] {
  const tag = parent?.tag ?? 'div';
  let list: string[];
  if (tag === 'ul' || tag === 'ol') return ['li'];
  if (tag === 'p' || tag === 'span' || tag === 'em' || tag === 'b' || tag === 'label') list = PHRASING;
  else if (tag === 'a' || tag === 'button') list = ['span', 'em', 'b', 'svg'];
  else list = FLOW;
  return list.filter(
    (t) =>
      !(flags.inLink && (t === 'a' || t === 'button' || t === 'input' || t === 'label' || t === 'form')) &&
      !(flags.inLabel && t === 'label') &&
      !(flags.inForm && t === 'form'),
  );
}

function newNode(tag: string, parent: GNode | null, inShadow: boolean, svg = false): GNode {
  return { tag, svg, attrs: [], kids: [], parent, inShadow };
}

function randomAttrs(c: Ctx, n: GNode): void {
  const { rng } = c;
  const set = (k: string, v: string) => {
    if (!n.attrs.some(([a]) => a === k)) n.attrs.push([k, v]);
  };
  if (rng.chance(0.3)) set('id', rng.pick(ID_POOL));
  if (rng.chance(0.6)) {
    const k = 1 + rng.int(3);
    const cls = new Set<string>();
    for (let i = 0; i < k; i++) cls.add(rng.pick(CLASS_POOL));
    // odd whitespace inside class attributes is part of the game
    set('class', [...cls].join(rng.chance(0.15) ? '  \t' : ' '));
  }
  const extra = rng.int(3);
  for (let i = 0; i < extra; i++) {
    const [name, values] = rng.pick(ATTR_POOL);
    set(name, rng.pick(values));
  }
  if (n.tag === 'a' && rng.chance(0.85)) set('href', rng.pick(HREF_POOL));
  if (n.tag === 'input') {
    set('type', rng.pick(INPUT_TYPES));
    if (rng.chance(0.7)) set('name', rng.pick(NAME_POOL));
    if (rng.chance(0.2)) set('checked', '');
  }
  // label[for] forwards its clicks to the element with that id, wherever it is
  if (n.tag === 'label' && rng.chance(0.3)) set('for', rng.pick(ID_POOL));
  if (n.tag === 'button' && rng.chance(0.8)) set('type', rng.pick(BUTTON_TYPES));
  if (n.tag !== 'a' && n.tag !== 'button' && n.tag !== 'input' && rng.chance(0.05)) set('tabindex', rng.pick(['0', '-1']));
  if (rng.chance(0.12)) set('data-act', rng.chance(0.7) ? 'mut' : 'chain');
}

function genSvg(c: Ctx, parent: GNode | null, inShadow: boolean): GNode {
  const { rng } = c;
  const svg = newNode('svg', parent, inShadow, true);
  svg.attrs.push(['viewBox', '0 0 10 10'], ['width', '16'], ['height', '16']);
  if (rng.chance(0.4)) svg.attrs.push(['class', rng.pick(['icon', 'icon x', 'btn'])]);
  c.nodes.push(svg);
  let holder = svg;
  if (rng.chance(0.4)) {
    holder = newNode('g', svg, inShadow, true);
    if (rng.chance(0.5)) holder.attrs.push(['class', 'icon']);
    svg.kids.push(holder);
    c.nodes.push(holder);
  }
  const k = 1 + rng.int(2);
  for (let i = 0; i < k; i++) {
    const leaf = newNode(rng.pick(SVG_LEAVES), holder, inShadow, true);
    if (leaf.tag === 'path') leaf.attrs.push(['d', i ? 'M0 0h6v6H0z' : 'M1 1h8v8H1z']);
    if (leaf.tag === 'circle') leaf.attrs.push(['cx', '5'], ['cy', '5'], ['r', '4']);
    if (leaf.tag === 'rect') leaf.attrs.push(['x', '1'], ['y', '1'], ['width', '8'], ['height', '8']);
    if (rng.chance(0.3)) leaf.attrs.push(['class', rng.pick(['icon', 'x', 'Icon'])]);
    if (rng.chance(0.2)) leaf.attrs.push(['data-role', 'button']);
    holder.kids.push(leaf);
    c.nodes.push(leaf);
  }
  return svg;
}

function genText(rng: Rng): Kid {
  const r = rng.next();
  if (r < 0.7) return { text: rng.pick(WORDS) };
  if (r < 0.85) return { text: '  ' }; // whitespace only: not :empty in Chromium
  return { comment: 'c' };
}

function genTable(c: Ctx, parent: GNode | null, depth: number, inShadow: boolean, flags: Flags): GNode {
  const { rng } = c;
  const table = newNode('table', parent, inShadow);
  randomAttrs(c, table);
  c.nodes.push(table);
  /** a row group, row or cell of the table, under `under` */
  const part = (tag: string, under: GNode, attrs: boolean): GNode => {
    const n = newNode(tag, under, inShadow);
    if (attrs) randomAttrs(c, n);
    under.kids.push(n);
    c.nodes.push(n);
    return n;
  };
  const tbody = part('tbody', table, false);
  const rows = 1 + rng.int(3);
  for (let r = 0; r < rows && c.budget > 0; r++) {
    const tr = part('tr', tbody, true);
    const cells = 1 + rng.int(3);
    for (let k = 0; k < cells && c.budget > 0; k++) {
      const td = part('td', tr, true);
      c.budget--;
      td.kids = genKids(c, td, depth + 3, inShadow, flags);
    }
  }
  return table;
}

interface Flags {
  inLink: boolean;
  inLabel: boolean;
  inForm: boolean;
  /** inside a shadow tree the page script builds */
  scriptShadow: boolean;
}
const NO_FLAGS: Flags = { inLink: false, inLabel: false, inForm: false, scriptShadow: false };

function genElement(c: Ctx, tag: string, parent: GNode | null, depth: number, inShadow: boolean, flags: Flags): GNode {
  if (tag === 'svg') return genSvg(c, parent, inShadow);
  if (tag === 'table') return genTable(c, parent, depth, inShadow, flags);
  const { rng } = c;
  const n = newNode(tag, parent, inShadow);
  randomAttrs(c, n);
  c.nodes.push(n);
  c.budget--;
  if (tag === 'input') return n;
  const sub: Flags = {
    inLink: flags.inLink || tag === 'a' || tag === 'button',
    inLabel: flags.inLabel || tag === 'label',
    inForm: flags.inForm || tag === 'form',
    scriptShadow: flags.scriptShadow,
  };
  // an open shadow root now and then; its tree is generated like any other
  if (SHADOW_HOSTS.has(tag) && depth < c.maxDepth - 2 && rng.chance(0.12)) {
    // a script-built shadow tree comes from innerHTML, where declarative shadow roots do not apply
    const how = rng.chance(0.5) && !flags.scriptShadow ? 'dsd' : 'script';
    const kids = genKids(c, n, depth + 1, true, { ...NO_FLAGS, scriptShadow: flags.scriptShadow || how === 'script' });
    // with a <slot> the light children render (and can be clicked); without, they are hidden
    if (rng.chance(0.6)) kids.splice(rng.int(kids.length + 1), 0, slotNode(c, n));
    for (const k of kids) if (isNode(k)) k.shadowTop = true;
    n.shadow = { how, kids };
    if (how === 'script') {
      n.attrs.push(['data-sh', String(c.scriptShadows.length)]);
      c.scriptShadows.push(kids);
    }
  }
  n.kids = genKids(c, n, depth, inShadow, sub);
  return n;
}

function slotNode(c: Ctx, host: GNode): GNode {
  const s = newNode('slot', host, true);
  c.nodes.push(s);
  return s;
}

function genKids(c: Ctx, parent: GNode, depth: number, inShadow: boolean, flags: Flags): Kid[] {
  const { rng } = c;
  const kids: Kid[] = [];
  if (depth >= c.maxDepth || c.budget <= 0) {
    if (rng.chance(0.7)) kids.push(genText(rng));
    return kids;
  }
  // wide near the top, narrow and deep further down, one spine keeps going
  const n = depth < 2 ? 2 + rng.int(4) : rng.weighted([[3, 0], [4, 1], [3, 2], [2, 3], [1, 4]] as const);
  const allowed = allowedKids(parent, flags);
  for (let i = 0; i < n && c.budget > 0; i++) {
    if (rng.chance(0.25)) kids.push(genText(rng));
    const tag = rng.pick(allowed);
    kids.push(genElement(c, tag, parent, depth + 1, inShadow, flags));
  }
  if (rng.chance(0.3)) kids.push(genText(rng));
  return kids;
}

// ------------------------------------------------------------------ HTML

const escAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
const escText = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function toHtml(kids: Kid[]): string {
  return kids.map(kidHtml).join('');
}

function kidHtml(k: Kid): string {
  if ('text' in k) return escText(k.text);
  if ('comment' in k) return `<!--${k.comment}-->`;
  const attrs = k.attrs.map(([a, v]) => ` ${a}="${escAttr(v)}"`).join('');
  if (k.tag === 'input') return `<input${attrs}>`;
  const shadow = k.shadow?.how === 'dsd' ? `<template shadowrootmode="open">${toHtml(k.shadow.kids)}</template>` : '';
  return `<${k.tag}${attrs}>${shadow}${toHtml(k.kids)}</${k.tag}>`;
}

const STYLE = `
  body { font: 13px sans-serif; margin: 8px; }
  div, section, article, nav, header, form, li, td, x-card, p, label { padding: 2px; margin: 1px; border: 1px solid #ddd; }
  x-card { display: block; }
  span, em, b, a, button, label { padding: 1px 2px; }
  div:empty, span:empty, em:empty, b:empty, li:empty, p:empty, td:empty, a:empty, button:empty, label:empty, section:empty, x-card:empty
    { display: inline-block; min-width: 10px; min-height: 10px; }
  svg { vertical-align: middle; }
`;

export interface PageOptions {
  /** elements per page (before shadow trees) */
  budget?: number;
  maxDepth?: number;
}

export function generatePage(rng: Rng, index: number, o: PageOptions = {}): GenPage {
  const c: Ctx = { rng, budget: o.budget ?? 110, nodes: [], scriptShadows: [], maxDepth: o.maxDepth ?? 12 };
  const body = newNode('body', null, false);
  body.attrs.push(['class', rng.pick(['page', 'page x', 'Page'])], ['data-page', `fuzz-${index}`]);
  const kids: Kid[] = [];
  // a few top-level blocks, so the page is wide at the top and deep somewhere
  while (c.budget > 0 && kids.length < 12) kids.push(genElement(c, rng.pick(['div', 'section', 'ul', 'table', 'form', 'nav', 'p', 'article']), body, 1, false, NO_FLAGS));
  body.kids = kids;
  const config = {
    seed: rng.int(2 ** 31),
    shadows: c.scriptShadows.map(toHtml),
    classes: CLASS_POOL,
    attrs: ATTR_POOL,
    tags: NEW_TAGS,
    words: WORDS,
  };
  const bodyAttrs = body.attrs.map(([a, v]) => ` ${a}="${escAttr(v)}"`).join('');
  const html = `<!doctype html>
<html lang="${rng.pick(['en', 'en-US', 'de'])}">
<head>
<meta charset="utf-8">
<title>Fuzz ${index}</title>
<script src="{{ENDPOINT}}/recorder.js" data-key="{{KEY}}" data-endpoint="{{ENDPOINT}}"></script>
<style>${STYLE}</style>
</head>
<body${bodyAttrs}>
${toHtml(body.kids)}
<script>${PAGE_SCRIPT.replace('__CONFIG__', JSON.stringify(config).replace(/</g, '\\u003c'))}</script>
</body>
</html>
`;
  return { name: `fuzz-${index}`, html, nodes: c.nodes };
}
