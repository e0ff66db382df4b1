// Compile a selector AST into three-valued closures over a stored element chain.
// The AST is walked once at compile time; matching a chain is then a few closure calls per
// element (measured ~millions of evaluations/s, see test/bench.test.ts), which matters because
// every distinct chain in the store is tested against every rule preview.

import { AttributeAction, SelectorType, type AttributeSelector, type Selector } from 'css-what';
import { chainStateBit, LIMITS, type ChainElement } from '@hindsight/schema';
import { CASE_INSENSITIVE_ATTRIBUTES, asciiLower } from '../html.js';
import { isTraversal, mentionsPseudo } from './ast.js';
import { nthMatches, parseNth, splitNthOf } from './nth.js';
import type { SelectorAst } from './parse.js';
import { triNot, type Tri } from './tri.js';

// Local copies of tri.ts's constants: under module runners that rewrite imports into
// namespace-object reads (vitest/vite SSR), an imported constant in these hot closures costs a
// property lookup per use.
const F = 0;
const T = 1;
const U = 2;

/** Tests chain[i] (with chain[i+1..] as its ancestors) against a selector. */
export type ElemTest = (chain: ChainElement[], i: number) => Tri;

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Index of chain[i]'s parent *for selector matching*, or -1. An element directly under a
 * shadow root has no parent element there: combinators never cross the shadow boundary.
 */
export function treeParent(chain: ChainElement[], i: number): number {
  return chain[i].root === 'shadow' || i + 1 >= chain.length ? -1 : i + 1;
}

/**
 * Does the chain end at the document element? The recorder walks to <html>; a chain ending
 * anywhere else was cut (LIMITS.chainDepth), belongs to a detached subtree, or ends inside a
 * shadow root whose host is missing. Its outer ancestors are then unknown, not absent.
 */
export function chainIsComplete(chain: ChainElement[]): boolean {
  const last = chain[chain.length - 1];
  return last !== undefined && last.tag === 'html' && !last.ns && last.root !== 'shadow';
}

/**
 * chain[i] has no recorded tree parent although it may have one: it is the outermost entry
 * of an incomplete chain and not directly under a shadow root (where the tree ends for sure).
 */
function parentMissing(chain: ChainElement[], i: number): boolean {
  if (i !== chain.length - 1) return false;
  const e = chain[i];
  return e.root !== 'shadow' && !(e.tag === 'html' && !e.ns);
}

/** Composed closest over a chain: index of the first match, -1 for none, 'unknown'. */
export function closestInChain(test: ElemTest, chain: ChainElement[]): number | 'unknown' {
  // Each step outwards is exactly what closest() does, and when the walk leaves a shadow
  // tree the search simply continues at the host (the next chain entry).
  for (let i = 0; i < chain.length; i++) {
    const r = test(chain, i);
    if (r === T) return i;
    if (r === U) return 'unknown';
  }
  // nothing recorded matched, but an ancestor beyond a cut might
  return chain.length > 0 && !chainIsComplete(chain) ? 'unknown' : -1;
}

/**
 * Compile any validated selector. For 'chain' selectors the answer is always T or F (or U from
 * a truncated attribute). For 'dom' selectors every part the chain cannot see is U, so a T or F
 * is still exact and only the rest needs the replay: most chains are ruled out right here.
 */
export function compileChainSelector(ast: SelectorAst): ElemTest {
  return compileList(ast);
}

function compileList(list: SelectorAst): ElemTest {
  const tests = list.map(compileComplex);
  if (tests.length === 1) return tests[0];
  return (c, i) => {
    let acc: Tri = F;
    for (const t of tests) {
      const r = t(c, i);
      if (r === T) return T;
      if (r === U) acc = U;
    }
    return acc;
  };
}

function compileComplex(tokens: Selector[]): ElemTest {
  const compounds: Selector[][] = [[]];
  const combinators: SelectorType[] = [];
  for (const t of tokens) {
    if (isTraversal(t)) {
      combinators.push(t.type);
      compounds.push([]);
    } else compounds[compounds.length - 1].push(t);
  }
  let m = compileCompound(compounds[0]);
  // To its own shadow tree a host is a featureless parent of the top level, matched only by a
  // compound of :has() (and :is()/:where() of such), and nothing is past it (replay/adapter.ts).
  // The chain cannot decide :has(): a first compound like that leaves such a step unknown.
  const hostMayMatch = compounds.length > 1 && mayMatchFeaturelessHost(compounds[0]);
  for (let k = 1; k < compounds.length; k++) {
    const left = m;
    const cur = compileCompound(compounds[k]);
    const comb = combinators[k - 1];
    const atHost: Tri = k === 1 && hostMayMatch ? U : F;
    if (comb === SelectorType.Child) {
      m = (c, i) => {
        const r = cur(c, i);
        if (r === F) return F;
        const p = treeParent(c, i);
        if (p < 0) return parentMissing(c, i) ? U : c[i].root === 'shadow' ? atHost : F;
        const l = left(c, p);
        return l === F ? F : r === T && l === T ? T : U;
      };
    } else if (comb === SelectorType.Descendant) {
      m = (c, i) => {
        const r = cur(c, i);
        if (r === F) return F;
        let acc: Tri = F;
        let last = i;
        for (let p = treeParent(c, i); p >= 0; p = treeParent(c, p)) {
          const l = left(c, p);
          if (l === T) {
            acc = T;
            break;
          }
          if (l === U) acc = U;
          last = p;
        }
        // ran off a cut chain: the unrecorded ancestors might match the left side
        if (acc === F && parentMissing(c, last)) acc = U;
        if (acc === F && c[last].root === 'shadow') acc = atHost;
        return acc === F ? F : r === T && acc === T ? T : U;
      };
    } else {
      // `+` / `~`: the left part is about a sibling the chain does not store. The answer is
      // unknown unless the right compound already fails (three-valued logic keeps it sound).
      m = (c, i) => (cur(c, i) === F ? F : U);
    }
  }
  return m;
}

const HOST_PSEUDOS = new Set(['has', 'is', 'where', 'matches', 'host', 'host-context']);

/**
 * Can this compound match a featureless shadow host at all: made only of :has(), :is()/:where()
 * (whose own members then decide) and `*`, with at least one of those pseudo-classes.
 */
export function isHostableCompound(compound: Selector[]): boolean {
  return (
    compound.some((t) => t.type === SelectorType.Pseudo && HOST_PSEUDOS.has(t.name)) &&
    compound.every((t) => t.type === SelectorType.Universal || (t.type === SelectorType.Pseudo && HOST_PSEUDOS.has(t.name)))
  );
}

const REPLAY_HOST_PSEUDOS: ReadonlySet<string> = new Set(['has', 'host', 'host-context']);

/** Hostable with a :has() or :host somewhere in it: only the replay can tell. */
function mayMatchFeaturelessHost(compound: Selector[]): boolean {
  return isHostableCompound(compound) && mentionsPseudo([compound], REPLAY_HOST_PSEUDOS);
}

/** Cheap, selective tests first: tag, then id/class, then the rest. */
function rank(t: Selector): number {
  if (t.type === SelectorType.Tag) return 0;
  if (t.type === SelectorType.Attribute && (t.name === 'id' || t.name === 'class')) return 1;
  if (t.type === SelectorType.Attribute) return 2;
  return 3;
}

function compileCompound(tokens: Selector[]): ElemTest {
  const tests = [...tokens].sort((a, b) => rank(a) - rank(b)).map(compileSimple).filter((t) => t !== null);
  if (tests.length === 0) return () => T;
  if (tests.length === 1) return tests[0];
  if (tests.length === 2) {
    const [a, b] = tests;
    return (c, i) => {
      const x = a(c, i);
      if (x === F) return F;
      const y = b(c, i);
      return y === F ? F : x === T && y === T ? T : U;
    };
  }
  return (c, i) => {
    let acc: Tri = T;
    for (const t of tests) {
      const r = t(c, i);
      if (r === F) return F;
      if (r === U) acc = U;
    }
    return acc;
  };
}

function compileSimple(t: Selector): ElemTest | null {
  switch (t.type) {
    case SelectorType.Universal:
      return null;
    case SelectorType.Tag: {
      // ASCII case-insensitive for every element, SVG/MathML included: Chromium matches
      // `clippath`, `CLIPPATH` and `clipPath` alike against <clipPath> (verified in
      // Chromium 156; see html.ts). HTML tags are stored lower case already.
      const lower = asciiLower(t.name);
      return (c, i) => {
        const e = c[i];
        return (e.ns ? asciiLower(e.tag) === lower : e.tag === lower) ? T : F;
      };
    }
    case SelectorType.Attribute:
      return compileAttribute(t);
    case SelectorType.Pseudo:
      return compilePseudo(t.name, t.data);
    default:
      return () => U;
  }
}

const WS = /[ \t\n\f\r]/;

function isWs(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 12 || code === 13;
}

/** Whitespace-separated token test without allocating (the `.class` hot path). */
export function hasToken(list: string, token: string): boolean {
  const n = token.length;
  let from = 0;
  for (;;) {
    const at = list.indexOf(token, from);
    if (at < 0) return false;
    const end = at + n;
    if ((at === 0 || isWs(list.charCodeAt(at - 1))) && (end === list.length || isWs(list.charCodeAt(end)))) {
      return true;
    }
    from = at + 1;
  }
}

/** The CSS attribute operators on an already case-normalized value. */
export function attrOp(action: AttributeAction, want: string): (v: string) => boolean {
  switch (action) {
    case AttributeAction.Exists:
      return () => true;
    case AttributeAction.Equals:
      return (v) => v === want;
    case AttributeAction.Element:
      // `~=` with an empty or whitespace-containing value never matches (Selectors 4 §6.1)
      if (want === '' || WS.test(want)) return () => false;
      return (v) => hasToken(v, want);
    case AttributeAction.Hyphen:
      return (v) => v === want || (v.length > want.length && v.charCodeAt(want.length) === 45 && v.startsWith(want));
    case AttributeAction.Start:
      if (want === '') return () => false;
      return (v) => v.startsWith(want);
    case AttributeAction.End:
      if (want === '') return () => false;
      return (v) => v.endsWith(want);
    case AttributeAction.Any:
      if (want === '') return () => false;
      return (v) => v.includes(want);
    default:
      throw new Error(`attribute operator ${action} is not supported`);
  }
}

/**
 * The stored attribute name a selector name refers to, or undefined. HTML elements: the
 * selector name lower-cased, compared exactly (stored names are lower case). SVG/MathML:
 * ASCII case-insensitive (`[viewbox]` matches `viewBox` in Chromium).
 */
export function attrKeyIn(attrs: Record<string, string>, ns: boolean, name: string, lname: string): string | undefined {
  if (!ns) return hasOwn.call(attrs, lname) ? lname : undefined;
  if (hasOwn.call(attrs, name)) return name;
  for (const k in attrs) if (hasOwn.call(attrs, k) && asciiLower(k) === lname) return k;
  return undefined;
}

/** Longest attribute name the recorder stores (packages/recorder/src/chain.ts). */
const MAX_RECORDED_NAME = 256;
/** The recorder stops listing names in `trunc` at this many entries. */
const TRUNC_CAP = LIMITS.attrsPerElement;

/** Is `lname` (lower case) listed in `trunc`? SVG/MathML names compare ASCII case-insensitively. */
function truncLists(trunc: readonly string[], ns: boolean, lname: string): boolean {
  for (const k of trunc) if (k === lname || (ns && asciiLower(k) === lname)) return true;
  return false;
}

/**
 * An attribute missing from `attrs`. Named in `trunc`, it is one the recorder saw but did not
 * store (beyond LIMITS.attrsPerElement): present, value unknown. A full `trunc` list may have
 * dropped names, so absence is then unknown too.
 */
function absentAttr(trunc: readonly string[], ns: boolean, lname: string, exists: boolean, unrecordable: boolean): Tri {
  if (truncLists(trunc, ns, lname)) return exists ? T : U;
  return unrecordable || trunc.length >= TRUNC_CAP ? U : F;
}

/**
 * Is the attribute `lname` present on a chain element? T (stored or listed in `trunc`), F, or
 * U (the element's attribute list is incomplete). For lookups outside compiled selectors.
 */
export function chainAttrPresence(e: ChainElement, lname: string): Tri {
  if (attrKeyIn(e.attrs, !!e.ns, lname, lname) !== undefined) return T;
  return e.trunc === undefined ? (lname.length > MAX_RECORDED_NAME ? U : F) : absentAttr(e.trunc, !!e.ns, lname, true, lname.length > MAX_RECORDED_NAME);
}

function compileAttribute(t: AttributeSelector): ElemTest {
  const name = t.name;
  const lname = asciiLower(name);
  // null flag: HTML's legacy list is case-insensitive on HTML elements only;
  // 'quirks' (class/id): case-sensitive, as in every no-quirks document.
  const mode = t.ignoreCase === true ? 'always' : t.ignoreCase === null && CASE_INSENSITIVE_ATTRIBUTES.has(lname) ? 'html' : 'never';
  const exact = attrOp(t.action, t.value);
  const folded = attrOp(t.action, asciiLower(t.value));
  const exists = t.action === AttributeAction.Exists;
  // hot path: HTML elements and a name that cannot hit an Object.prototype member
  // (`[constructor]` must not see a function), so a plain property read is safe
  const plain = !(lname in Object.prototype);
  // the recorder drops attributes with longer names entirely (not even listed in `trunc`)
  const unrecordable = lname.length > MAX_RECORDED_NAME;
  return (c, i) => {
    const e = c[i];
    let key: string | undefined;
    if (!e.ns && plain) key = e.attrs[lname] !== undefined ? lname : undefined;
    else key = attrKeyIn(e.attrs, !!e.ns, name, lname);
    if (key === undefined) {
      const tr = e.trunc;
      if (tr === undefined) return unrecordable ? U : F;
      return absentAttr(tr, !!e.ns, lname, exists, unrecordable);
    }
    if (exists) return T;
    // a cut or masked value is not the live one: only the replay can tell
    if (e.trunc !== undefined && e.trunc.includes(key)) return U;
    const v = e.attrs[key];
    if (typeof v !== 'string') return F;
    const fold = mode === 'always' || (mode === 'html' && !e.ns);
    return (fold ? folded(asciiLower(v)) : exact(v)) ? T : F;
  };
}

const NTH_INDEX: Record<string, number> = {
  'nth-child': 0,
  'nth-of-type': 1,
  'nth-last-child': 2,
  'nth-last-of-type': 3,
};

function compilePseudo(name: string, data: Selector[][] | string | null): ElemTest {
  const bit = chainStateBit(name);
  if (bit >= 0) {
    // live state captured at the event; a chain without it (no `state` on the target) cannot say
    const mask = 1 << bit;
    return (c, i) => (c[0].state === undefined ? U : (c[i].state ?? 0) & mask ? T : F);
  }
  switch (name) {
    case 'first-child':
      return (c, i) => (c[i].nth[0] === 1 ? T : F);
    case 'last-child':
      return (c, i) => (c[i].nth[2] === 1 ? T : F);
    case 'only-child':
      return (c, i) => (c[i].nth[0] === 1 && c[i].nth[2] === 1 ? T : F);
    case 'first-of-type':
      return (c, i) => (c[i].nth[1] === 1 ? T : F);
    case 'last-of-type':
      return (c, i) => (c[i].nth[3] === 1 ? T : F);
    case 'only-of-type':
      return (c, i) => (c[i].nth[1] === 1 && c[i].nth[3] === 1 ? T : F);
    case 'nth-child':
    case 'nth-last-child':
    case 'nth-of-type':
    case 'nth-last-of-type': {
      const split = splitNthOf(String(data));
      const nth = parseNth(split.nth);
      if (!nth) throw new Error(`invalid :${name}(${data})`);
      // `of S` counts siblings matching S, which the chain does not store
      if (split.of !== null) return () => U;
      const k = NTH_INDEX[name];
      return (c, i) => (nthMatches(nth, c[i].nth[k]) ? T : F);
    }
    case 'visited':
      return () => F;
    case 'not': {
      const inner = compileList(data as SelectorAst);
      return (c, i) => triNot(inner(c, i));
    }
    case 'is':
    case 'where':
      return compileList(data as SelectorAst);
    case 'host':
    case 'host-context':
      // only the featureless host matches, never a chain entry (see compileComplex)
      return () => F;
    default:
      // :has(), :empty, :checked, ...: need the recorded DOM
      return () => U;
  }
}
