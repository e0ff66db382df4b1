// A minimal mutable DOM rebuilt from rrweb events, without a browser. Only what selector
// matching needs: tree shape (with shadow roots as separate trees), tag names in their real
// case, attributes as the page had them, text, and live form state (checked/value/selected).
// Replay data is untrusted: nothing here evaluates anything from the recording.

import { asciiLower, svgTagName } from '../html.js';

/** rrweb-snapshot NodeType */
export const SN = { Document: 0, DocumentType: 1, Element: 2, Text: 3, CDATA: 4, Comment: 5 } as const;
/** rrweb EventType */
export const EV = { DomContentLoaded: 0, Load: 1, FullSnapshot: 2, IncrementalSnapshot: 3, Meta: 4, Custom: 5, Plugin: 6 } as const;
/** rrweb IncrementalSource (the ones that change what selectors see) */
export const SRC = { Mutation: 0, Input: 5 } as const;

export type NodeKind = 'document' | 'doctype' | 'element' | 'text' | 'cdata' | 'comment' | 'shadow-root';

export interface RNode {
  /** rrweb node id; -1 for shadow roots (rrweb does not serialize them as nodes) */
  id: number;
  kind: NodeKind;
  /** elements: lower case for HTML, real case for SVG (`clipPath`) */
  tagName: string;
  ns: 'html' | 'svg' | 'math';
  /** attribute names as in the DOM (lower case on HTML elements) */
  attrs: Record<string, string>;
  parent: RNode | null;
  /** light-DOM children (a host's shadow tree hangs off `shadowRoot`, never here) */
  children: RNode[];
  shadowRoot: RNode | null;
  /** for shadow roots: the host element */
  host: RNode | null;
  /** iframe elements: the document inside (a separate tree, never a child) */
  contentDocument: RNode | null;
  /** text, CDATA and comment data */
  data: string;
  /** rrweb's `isCustom`: custom element defined when serialized */
  isCustom: boolean;
  /** live form state (rrweb serializes it into attributes and updates it with Input events) */
  checked: boolean;
  selected: boolean;
  value: string | null;
  /** set once the user changed the state: content-attribute changes no longer reset it */
  dirty: boolean;
  /**
   * ChainElement.state of this node's chain entry while an event's chain is laid over the DOM
   * (ReplayMatcher.withChainAttributes); undefined otherwise: the recording has no live state
   */
  liveState?: number;
}

type SerializedNode = {
  id: number;
  type: number;
  tagName?: string;
  attributes?: Record<string, unknown>;
  childNodes?: SerializedNode[];
  textContent?: string;
  isSVG?: boolean;
  isShadow?: boolean;
  isCustom?: boolean;
};

function newNode(id: number, kind: NodeKind): RNode {
  return {
    id, kind, tagName: '', ns: 'html', attrs: Object.create(null) as Record<string, string>,
    parent: null, children: [], shadowRoot: null, host: null, contentDocument: null, data: '',
    isCustom: false, checked: false, selected: false, value: null, dirty: false,
  };
}

/** The next node outwards for a composed walk: parent element, or the host past a shadow root. */
export function composedParent(n: RNode): RNode | null {
  const p = n.parent;
  if (!p) return null;
  if (p.kind === 'element') return p;
  if (p.kind === 'shadow-root') return p.host;
  return null; // document (incl. an iframe's): closest() stops there
}

/** rrweb stores replay-only data under these names; they were never attributes of the page. */
export function isReplayOnlyAttribute(name: string): boolean {
  return name === '_cssText' || name.startsWith('rr_');
}

/**
 * Our recorder keeps the authored value of an attribute rrweb made absolute (href, src, srcset, …)
 * as `rr_raw_<name>` (packages/recorder/build.mjs, patch 6): the page's selectors saw that one.
 */
const RAW_PREFIX = 'rr_raw_';

/** Put the authored values of `serialized` (an rrweb attribute map) over the stored ones. */
function applyAuthored(n: RNode, serialized: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(serialized)) {
    if (typeof v !== 'string' || !k.startsWith(RAW_PREFIX)) continue;
    const name = n.ns === 'html' ? asciiLower(k.slice(RAW_PREFIX.length)) : k.slice(RAW_PREFIX.length);
    if (name in n.attrs) n.attrs[name] = v;
  }
}

function attrValue(v: unknown): string | null {
  if (v === null || v === undefined || v === false) return null;
  if (v === true) return ''; // rrweb writes live `checked`/`selected` as boolean true
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return null;
}

export class ReplayDom {
  readonly nodes = new Map<number, RNode>();
  document: RNode | null = null;

  reset(): void {
    this.nodes.clear();
    this.document = null;
  }

  get(id: number): RNode | undefined {
    return this.nodes.get(id);
  }

  /** FullSnapshot: a whole new tree (periodic checkouts included) */
  fullSnapshot(node: unknown): void {
    this.reset();
    const sn = node as SerializedNode;
    if (!sn || typeof sn !== 'object') return;
    this.document = this.build(sn, null);
  }

  private build(sn: SerializedNode, parent: RNode | null, before: RNode | null = null): RNode {
    const existing = this.nodes.get(sn.id);
    if (existing && parent && isMove(existing, sn, parent)) return this.move(existing, sn, parent, before);
    if (existing) this.remove(existing);
    let n: RNode;
    switch (sn.type) {
      case SN.Document:
        n = newNode(sn.id, 'document');
        break;
      case SN.DocumentType:
        n = newNode(sn.id, 'doctype');
        break;
      case SN.Text:
        n = newNode(sn.id, 'text');
        n.data = typeof sn.textContent === 'string' ? sn.textContent : '';
        break;
      case SN.CDATA:
        n = newNode(sn.id, 'cdata');
        n.data = typeof sn.textContent === 'string' ? sn.textContent : '';
        break;
      case SN.Comment:
        n = newNode(sn.id, 'comment');
        n.data = typeof sn.textContent === 'string' ? sn.textContent : '';
        break;
      default: {
        n = newNode(sn.id, 'element');
        const lower = asciiLower(String(sn.tagName ?? 'div'));
        const parentNs = parent && parent.kind === 'element' ? parent.ns : 'html';
        // rrweb flags SVG elements but not MathML; MathML is `math` and its descendants
        // (HTML inside <foreignObject>/<annotation-xml> is flagged isSVG=false by rrweb too)
        n.ns = sn.isSVG ? 'svg' : lower === 'math' || (parentNs === 'math' && parent?.tagName !== 'annotation-xml') ? 'math' : 'html';
        n.tagName = n.ns === 'svg' ? svgTagName(lower) : lower;
        n.isCustom = sn.isCustom === true;
        setAttributes(n, sn);
      }
    }
    if (sn.id !== undefined && sn.id !== null) this.nodes.set(sn.id, n);
    if (parent) this.insert(parent, n, sn.isShadow === true, before);
    for (const c of sn.childNodes ?? []) {
      if (c && typeof c === 'object') this.build(c, n);
    }
    return n;
  }

  /**
   * An add of a node we already have is a move (rrweb sends a moved node, and each node of its
   * subtree, as adds again; they may come before the add of the node itself). Like the
   * Replayer, keep the node with its children and shadow tree and only re-insert it. Its
   * attributes and text come from the add: rrweb leaves out attribute changes of added nodes.
   */
  private move(n: RNode, sn: SerializedNode, parent: RNode, before: RNode | null): RNode {
    const p = n.parent;
    if (p) {
      const i = p.children.indexOf(n);
      if (i >= 0) p.children.splice(i, 1);
      n.parent = null;
    }
    if (n.kind === 'element') setAttributes(n, sn);
    else n.data = typeof sn.textContent === 'string' ? sn.textContent : '';
    this.insert(parent, n, sn.isShadow === true, before);
    for (const c of sn.childNodes ?? []) {
      if (c && typeof c === 'object') this.build(c, n);
    }
    return n;
  }

  private insert(parent: RNode, n: RNode, isShadow: boolean, before: RNode | null): void {
    let container = parent;
    if (n.kind === 'document' && parent.kind === 'element') {
      // an iframe's document: its own tree, reachable only through the iframe
      parent.contentDocument = n;
      n.parent = null;
      return;
    }
    if (isShadow && parent.kind === 'element') {
      if (!parent.shadowRoot) {
        const root = newNode(-1, 'shadow-root');
        root.host = parent;
        parent.shadowRoot = root;
      }
      container = parent.shadowRoot;
    }
    n.parent = container;
    const at = before && before.parent === container ? container.children.indexOf(before) : -1;
    if (at >= 0) container.children.splice(at, 0, n);
    else container.children.push(n);
  }

  /** Detach a node and forget its whole subtree (ids may be reused by later adds). */
  remove(n: RNode): void {
    const p = n.parent;
    if (p) {
      const i = p.children.indexOf(n);
      if (i >= 0) p.children.splice(i, 1);
    } else {
      for (const other of this.nodes.values()) if (other.contentDocument === n) other.contentDocument = null;
    }
    n.parent = null;
    const stack = [n];
    while (stack.length) {
      const x = stack.pop()!;
      if (x.id >= 0 && this.nodes.get(x.id) === x) this.nodes.delete(x.id);
      stack.push(...x.children);
      if (x.shadowRoot) stack.push(...x.shadowRoot.children);
      if (x.contentDocument) stack.push(x.contentDocument);
    }
    if (this.document === n) this.document = null;
  }

  /**
   * Is `n` still where a remove says it is (`parentId`, in its shadow root when `isShadow`)?
   * rrweb records each shadow root with its own MutationObserver, so a node moved between the
   * document and a shadow tree arrives as an add from one observer and a remove from the other,
   * in either order. A remove arriving after the add names the old parent: the node is alive at
   * its new place (the Replayer's `parent.removeChild` fails there, too). A remove without a
   * parent id, or of a node without a parent, applies as given.
   */
  private isChildOf(n: RNode, parentId: unknown, isShadow: boolean): boolean {
    if (parentId === undefined || parentId === null || !n.parent) return true;
    const p = n.parent;
    const inShadow = p.kind === 'shadow-root';
    const pid = inShadow ? p.host?.id : p.id;
    return pid === Number(parentId) && inShadow === isShadow;
  }

  /** IncrementalSource.Mutation, applied in the Replayer's order: removes, adds, texts, attributes. */
  mutation(d: Record<string, unknown>): void {
    for (const r of asArray(d.removes)) {
      const { id, parentId, isShadow } = r as { id?: unknown; parentId?: unknown; isShadow?: unknown };
      const n = this.nodes.get(Number(id));
      if (n && this.isChildOf(n, parentId, isShadow === true)) this.remove(n);
    }
    // An add may reference a parent or next sibling added later in the same batch: retry
    // until no progress, like the Replayer's missing-node queue.
    let pending = asArray(d.adds) as { parentId?: unknown; nextId?: unknown; node?: unknown }[];
    while (pending.length) {
      const later: typeof pending = [];
      for (const a of pending) {
        const sn = a.node as SerializedNode | undefined;
        if (!sn || typeof sn !== 'object') continue;
        const parent = this.nodes.get(Number(a.parentId));
        const nextId = a.nextId === null || a.nextId === undefined || a.nextId === -1 ? null : Number(a.nextId);
        const next = nextId === null ? null : this.nodes.get(nextId) ?? null;
        if (!parent || (nextId !== null && !next)) {
          later.push(a);
          continue;
        }
        // rrweb sends an add's children as adds of their own (skipChild); if a producer
        // inlines them anyway, build() takes them, replacing any node with the same id
        this.build(sn, parent, next);
      }
      if (later.length === pending.length) break; // parents never arrived: drop, as rrweb does
      pending = later;
    }
    for (const t of asArray(d.texts)) {
      const { id, value } = t as { id?: unknown; value?: unknown };
      const n = this.nodes.get(Number(id));
      if (n) n.data = typeof value === 'string' ? value : '';
    }
    for (const a of asArray(d.attributes)) {
      const { id, attributes } = a as { id?: unknown; attributes?: unknown };
      const n = this.nodes.get(Number(id));
      if (!n || n.kind !== 'element' || !attributes || typeof attributes !== 'object') continue;
      for (const [rawName, v] of Object.entries(attributes as Record<string, unknown>)) {
        if (isReplayOnlyAttribute(rawName)) continue;
        const name = n.ns === 'html' ? asciiLower(rawName) : rawName;
        if (v !== null && typeof v === 'object' && name === 'style') {
          n.attrs.style = applyStyleObject(n.attrs.style ?? '', v as Record<string, unknown>);
          continue;
        }
        const val = attrValue(v);
        if (val === null) delete n.attrs[name];
        else n.attrs[name] = val;
        // content attributes drive the live state until the user touches the control
        if (!n.dirty) {
          if (name === 'checked') n.checked = val !== null;
          if (name === 'selected') n.selected = val !== null;
          if (name === 'value') n.value = val;
        }
      }
      applyAuthored(n, attributes as Record<string, unknown>);
    }
  }

  /** IncrementalSource.Input: the user's value / checkedness. */
  input(d: Record<string, unknown>): void {
    const n = this.nodes.get(Number(d.id));
    if (!n || n.kind !== 'element') return;
    n.dirty = true;
    if (typeof d.isChecked === 'boolean') n.checked = d.isChecked;
    if (typeof d.text === 'string') n.value = d.text;
    if (n.tagName === 'select' && typeof d.text === 'string') {
      const multiple = 'multiple' in n.attrs;
      let found = false;
      const stack = [...n.children];
      while (stack.length) {
        const o = stack.shift()!;
        if (o.kind !== 'element') continue;
        if (o.tagName === 'option') {
          const v = o.attrs.value ?? textContent(o).replace(/\s+/g, ' ').trim();
          o.selected = v === d.text && (multiple || !found);
          found = found || o.selected;
          o.dirty = true;
        } else stack.unshift(...o.children);
      }
    }
  }
}

const KIND_OF_TYPE: Record<number, NodeKind> = { [SN.Element]: 'element', [SN.Text]: 'text', [SN.CDATA]: 'cdata', [SN.Comment]: 'comment' };

/** Is an add of `sn` the node `n` we have, moved (same kind and tag, not into its own subtree)? */
function isMove(n: RNode, sn: SerializedNode, parent: RNode): boolean {
  if (KIND_OF_TYPE[sn.type] !== n.kind) return false;
  if (n.kind === 'element' && asciiLower(String(sn.tagName ?? '')) !== asciiLower(n.tagName)) return false;
  for (let x: RNode | null = parent; x; x = x.kind === 'shadow-root' ? x.host : x.parent) if (x === n) return false;
  return true;
}

/** An element's attributes from its serialized form; live form state follows until touched. */
function setAttributes(n: RNode, sn: SerializedNode): void {
  const attrs = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(sn.attributes ?? {})) {
    if (isReplayOnlyAttribute(k)) continue;
    const val = attrValue(v);
    if (val !== null) attrs[n.ns === 'html' ? asciiLower(k) : k] = val;
  }
  n.attrs = attrs;
  if (sn.attributes) applyAuthored(n, sn.attributes);
  if (n.dirty) return;
  n.checked = 'checked' in attrs;
  n.selected = 'selected' in attrs;
  n.value = attrs.value ?? null;
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** rrweb's styleOMValue: {prop: value | [value, priority] | false} applied to a style string. */
function applyStyleObject(style: string, obj: Record<string, unknown>): string {
  const decls = new Map<string, string>();
  for (const part of style.split(';')) {
    const i = part.indexOf(':');
    if (i > 0) decls.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  for (const [k, v] of Object.entries(obj)) {
    if (v === false || v === null) decls.delete(k);
    else if (typeof v === 'string') decls.set(k, v);
    else if (Array.isArray(v)) decls.set(k, v[1] ? `${v[0]} !${v[1]}` : String(v[0]));
  }
  return [...decls].map(([k, v]) => `${k}: ${v};`).join(' ');
}

/** DOM textContent: light-DOM text descendants only (shadow trees and comments excluded). */
export function textContent(n: RNode): string {
  if (n.kind === 'text' || n.kind === 'cdata') return n.data;
  if (n.kind === 'comment' || n.kind === 'doctype') return '';
  let out = '';
  const stack: RNode[] = [n];
  // iterative, document order
  while (stack.length) {
    const x = stack.pop()!;
    if (x.kind === 'text' || x.kind === 'cdata') out += x.data;
    else if (x.kind === 'element' || x.kind === 'document' || x.kind === 'shadow-root') {
      for (let i = x.children.length - 1; i >= 0; i--) stack.push(x.children[i]);
    }
  }
  return out;
}

function isHtmlInput(n: RNode, type: string): boolean {
  return n.kind === 'element' && n.ns === 'html' && n.tagName === 'input' && asciiLower(n.attrs.type ?? '') === type;
}

/** The root of the node's tree: a document, a shadow root, or a detached subtree's top. */
function treeRoot(n: RNode): RNode {
  let x = n;
  while (x.parent) x = x.parent;
  return x;
}

function* treeElements(root: RNode): Generator<RNode> {
  // light DOM of one tree, document order: shadow trees and iframe documents are other trees
  const stack = [root];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.kind === 'element') yield x;
    else if (x !== root) continue;
    for (let i = x.children.length - 1; i >= 0; i--) stack.push(x.children[i]);
  }
}

/**
 * HTML's form owner: the `form` attribute's target (by id, in the same tree; none if that is
 * not a form), else the nearest form ancestor in the same tree. The parser's form-element
 * pointer for misnested markup is not recorded and not modelled.
 */
function formOwner(el: RNode, root: RNode): RNode | null {
  const ref = el.attrs.form;
  if (ref !== undefined) {
    if (ref === '') return null;
    for (const x of treeElements(root)) {
      if (x.attrs.id === ref) return x.ns === 'html' && x.tagName === 'form' ? x : null;
    }
    return null;
  }
  for (let p = el.parent; p && p.kind === 'element'; p = p.parent) {
    if (p.ns === 'html' && p.tagName === 'form') return p;
  }
  return null;
}

/**
 * A click's checkedness change, applied the way the browser applies it *before* dispatching
 * the click event (HTML "legacy-pre-activation behavior"): a checkbox toggles; a radio becomes
 * checked and the other radios of its group (same non-empty name, same form owner, same tree)
 * unchecked. In rrweb's own order the new state arrives only with the Input event after the
 * click, so the replay DOM at the click's position still shows the old one (see
 * ReplayMatcher.withClickActivation for when it is applied). Returns the undo list.
 */
export function applyClickCheckedness(el: RNode): [RNode, boolean][] {
  const undo: [RNode, boolean][] = [];
  if (isHtmlInput(el, 'checkbox')) {
    undo.push([el, el.checked]);
    el.checked = !el.checked;
  } else if (isHtmlInput(el, 'radio')) {
    undo.push([el, el.checked]);
    el.checked = true;
    const name = el.attrs.name;
    if (name) {
      const root = treeRoot(el);
      const owner = formOwner(el, root);
      for (const x of treeElements(root)) {
        if (x === el || !x.checked || !isHtmlInput(x, 'radio') || x.attrs.name !== name) continue;
        if (formOwner(x, root) !== owner) continue;
        undo.push([x, x.checked]);
        x.checked = false;
      }
    }
  }
  return undo;
}
