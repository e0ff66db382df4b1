// Element chains (see ChainElement in @hindsight/schema). Must stay cheap: it runs inside the
// click handler, so no layout (textContent, never innerText) and early exits on long text.
import type { ChainElement } from '@hindsight/schema';
import { CHAIN_STATES, LIMITS } from '@hindsight/schema';
import { isSensitive, redact } from './redact';
import { cap } from './log';
import { closest, matches } from './native';

export interface ChainOptions {
  /** composed-closest match → the event is not recorded at all */
  ignore: string;
  /** text under these elements is never copied into a chain */
  mask: string;
}

const MASK = '***';
// attributes kept on sensitive fields: they identify the field, never its content
const SAFE_ON_SENSITIVE = /^(id|class|name|type|autocomplete|role|required|disabled|readonly|tabindex|form|for)$/;
// <input> types whose value attribute is page-defined (a label or a constant), not user data
const PAGE_VALUE_TYPES = /^(submit|button|reset|image|checkbox|radio)$/;
const NS: Record<string, 'svg' | 'math'> = {
  'http://www.w3.org/2000/svg': 'svg',
  'http://www.w3.org/1998/Math/MathML': 'math',
};

/**
 * [nth-child, nth-of-type, nth-last-child, nth-last-of-type] among the parent node's element
 * children (document and shadow roots included). Sibling pointers, not parent.children:
 * ~6× faster on long lists, and a click on row 1500 of 3000 must stay cheap.
 */
export function nthOf(el: Element): [number, number, number, number] {
  let before = 0;
  let beforeType = 0;
  let after = 0;
  let afterType = 0;
  const ln = el.localName;
  const ns = el.namespaceURI;
  for (let s = el.previousElementSibling; s; s = s.previousElementSibling) {
    before++;
    if (s.localName === ln && s.namespaceURI === ns) beforeType++;
  }
  for (let s = el.nextElementSibling; s; s = s.nextElementSibling) {
    after++;
    if (s.localName === ln && s.namespaceURI === ns) afterType++;
  }
  return [before + 1, beforeType + 1, after + 1, afterType + 1];
}

/**
 * Whitespace-collapsed, trimmed textContent, skipping masked subtrees. Stops walking once
 * enough text is collected, so clicking inside a huge <body> stays O(cap), not O(page).
 */
export function textOf(el: Element, mask: string): { text: string; cut: boolean } {
  if (el.localName === 'textarea' || closestComposed(el, mask)) return { text: '', cut: !!el.textContent };
  let raw = '';
  let cut = false;
  // a subtree of many elements and little text (icon grids, big tables) would be walked whole
  // for every ancestor: past this many nodes the rest is left out (and the text marked cut)
  let budget = 2000;
  const w = el.ownerDocument.createTreeWalker(el, 5 /* SHOW_ELEMENT | SHOW_TEXT */, {
    acceptNode: (n) =>
      --budget < 0
        ? ((cut = true), 2 /* REJECT */)
        : n.nodeType === 3
          ? 1
          : matches(n as Element, mask, true) // masked when undecidable
            ? ((cut = cut || !!n.textContent), 2)
            : 3 /* SKIP */,
  });
  // a little slack past the cap so a card number straddling the cut is still recognised
  const want = LIMITS.text + 40;
  for (let n = w.nextNode(); n; n = w.nextNode()) {
    raw += (n as Text).data;
    if (raw.length > want) {
      raw = raw.replace(/\s+/g, ' ').replace(/^ /, '');
      if (raw.length > want) {
        cut = true;
        break;
      }
    }
  }
  let text = raw.replace(/\s+/g, ' ').trim();
  const red = redact(text);
  if (red !== text) cut = true;
  if (red.length > LIMITS.text) cut = true;
  text = cap(red, LIMITS.text);
  return { text, cut };
}

/** el.closest(sel), continued from shadow hosts outwards: a masked host masks its shadow tree */
export function closestComposed(el: Element | null, sel: string): Element | null {
  for (; el; el = (el.getRootNode() as ShadowRoot).host || null) {
    const m = closest(el, sel, el); // masked when undecidable
    if (m) return m;
  }
  return null;
}

function describe(el: Element, o: ChainOptions): ChainElement {
  // no prototype: attributes named __proto__ or constructor are plain keys (and a page that froze
  // Object.prototype cannot make the assignment throw)
  const attrs: Record<string, string> = Object.create(null);
  const trunc: string[] = [];
  const sensitive = isSensitive(el);
  const maskValue = el.localName === 'input' && !PAGE_VALUE_TYPES.test((el.getAttribute('type') || '').toLowerCase());
  const list = el.attributes;
  for (let i = 0; i < list.length; i++) {
    const { name, value } = list[i];
    // the server rejects names > 256 chars and trunc lists > 64 entries: pathological markup
    // must not cost the whole event
    if (name.length > 256) continue;
    if (i >= LIMITS.attrsPerElement) {
      if (trunc.length < LIMITS.attrsPerElement) trunc.push(name); // present, value not stored
      continue;
    }
    let v = value;
    if ((sensitive && !SAFE_ON_SENSITIVE.test(name)) || (maskValue && name === 'value')) v = MASK;
    else v = redact(v);
    v = cap(v, LIMITS.attrValue);
    if (v !== value && trunc.length < LIMITS.attrsPerElement) trunc.push(name);
    attrs[name] = v;
  }
  const c: ChainElement = { tag: el.localName, attrs, nth: nthOf(el) };
  const ns = NS[el.namespaceURI || ''];
  if (ns) c.ns = ns;
  if (trunc.length) c.trunc = trunc;
  const t = sensitive ? { text: '', cut: !!el.textContent } : textOf(el, o.mask);
  if (t.text) c.text = t.text;
  if (t.cut) c.textTrunc = true;
  return c;
}

/**
 * ChainElement.state: which CHAIN_STATES pseudo-classes `el` matches right now. matches() reads
 * state flags, no style or layout; a pseudo this browser does not know throws and stays unset.
 */
export function stateOf(el: Element): number {
  let s = 0;
  CHAIN_STATES.forEach((p, i) => matches(el, ':' + p, false) && (s |= 1 << i));
  return s;
}

/**
 * Target first, then ancestors up to <html>, crossing open shadow roots to their host.
 * Returns null when the target sits inside an ignored element.
 */
export function chainOf(target: Element, o: ChainOptions): ChainElement[] | null {
  const out: ChainElement[] = [];
  let el: Element | null = target;
  while (el && out.length < LIMITS.chainDepth) {
    if (matches(el, o.ignore, false)) return null;
    const c = describe(el, o);
    // on the target always (it says "state was captured"), elsewhere only when something holds
    const s = stateOf(el);
    if (s || !out.length) c.state = s;
    out.push(c);
    const p: Node | null = el.parentNode;
    if (p && p.nodeType === 11 && (p as ShadowRoot).host) {
      c.root = 'shadow';
      el = (p as ShadowRoot).host;
    } else el = p && p.nodeType === 1 ? (p as Element) : null;
  }
  return out;
}
