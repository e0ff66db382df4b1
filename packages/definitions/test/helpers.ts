// Test helpers: build rrweb serialized trees by hand, and derive element chains from a rebuilt
// DOM exactly as the recorder does (attrs, nth indices, collapsed text, shadow marks).

import type { ChainElement } from '@hindsight/schema';
import { collapseText } from '../src/html.js';
import { composedParent } from '../src/replay/dom.js';
import { textContent, type RNode } from '../src/replay/dom.js';

export interface SNode {
  id: number;
  type: number;
  tagName?: string;
  attributes?: Record<string, string | boolean | number>;
  childNodes?: SNode[];
  textContent?: string;
  isSVG?: boolean;
  isShadowHost?: boolean;
  isShadow?: boolean;
}

export class Ids {
  next = 1;
  take(): number {
    return this.next++;
  }
}

export function doc(ids: Ids, html: SNode): SNode {
  return { id: ids.take(), type: 0, childNodes: [{ id: ids.take(), type: 1 } as SNode, html] };
}

export function h(
  ids: Ids,
  tag: string,
  attributes: Record<string, string | boolean | number> = {},
  children: SNode[] = [],
  extra: Partial<SNode> = {},
): SNode {
  return { id: ids.take(), type: 2, tagName: tag, attributes, childNodes: children, ...extra };
}

export function t(ids: Ids, text: string): SNode {
  return { id: ids.take(), type: 3, textContent: text };
}

/** [Meta, FullSnapshot] like the start of every recording */
export function startEvents(document: SNode): unknown[] {
  return [
    { type: 4, data: { href: 'https://shop.test/', width: 1000, height: 800 }, timestamp: 1 },
    { type: 2, data: { node: document, initialOffset: { top: 0, left: 0 } }, timestamp: 2 },
  ];
}

export function mutation(data: {
  adds?: { parentId: number; nextId: number | null; node: SNode }[];
  removes?: { parentId: number; id: number; isShadow?: boolean }[];
  attributes?: { id: number; attributes: Record<string, string | null | Record<string, unknown>> }[];
  texts?: { id: number; value: string | null }[];
}): unknown {
  return {
    type: 3,
    data: { source: 0, adds: data.adds ?? [], removes: data.removes ?? [], attributes: data.attributes ?? [], texts: data.texts ?? [] },
    timestamp: 3,
  };
}

function elementSiblings(n: RNode): RNode[] {
  return n.parent ? n.parent.children.filter((c) => c.kind === 'element') : [n];
}

/** The chain a recorder would store for a click on `n`. */
export function chainOf(n: RNode): ChainElement[] {
  const out: ChainElement[] = [];
  for (let x: RNode | null = n; x; x = composedParent(x)) {
    const sibs = elementSiblings(x);
    const same = sibs.filter((s) => s.tagName === x!.tagName && s.ns === x!.ns);
    const i = sibs.indexOf(x);
    const j = same.indexOf(x);
    const e: ChainElement = {
      tag: x.tagName,
      attrs: { ...x.attrs },
      nth: [i + 1, j + 1, sibs.length - i, same.length - j],
    };
    if (x.ns !== 'html') e.ns = x.ns;
    const text = collapseText(textContent(x));
    if (text) e.text = text;
    if (x.parent && x.parent.kind === 'shadow-root') e.root = 'shadow';
    // like the recorder: live state captured on the target (a page nobody hovers or focuses)
    if (!out.length) e.state = 0;
    out.push(e);
  }
  return out;
}

/** All elements of a rebuilt DOM (including shadow trees), document order. */
export function allElements(root: RNode): RNode[] {
  const out: RNode[] = [];
  const walk = (n: RNode): void => {
    if (n.kind === 'element') out.push(n);
    if (n.shadowRoot) n.shadowRoot.children.forEach(walk);
    n.children.forEach(walk);
  };
  walk(root);
  return out;
}

/** Quick chain element for table tests. */
export function ce(
  tag: string,
  attrs: Record<string, string> = {},
  more: Partial<ChainElement> = {},
): ChainElement {
  return { tag, attrs, nth: [1, 1, 1, 1], ...more };
}
