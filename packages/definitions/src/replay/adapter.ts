// css-select over the rebuilt replay DOM. css-select has one document-wide case mode, but an
// HTML document has per-element rules (HTML's legacy list of case-insensitive attribute values
// applies to HTML elements only; attribute names are exact-lower-case on HTML elements and
// case-insensitive on SVG/MathML in Chromium). So we run it in xmlMode (everything exact),
// resolve attribute names in the adapter per element, and rewrite type selectors and
// legacy-case-insensitive attribute selectors into per-element tests.

import { chainStateBit } from '@hindsight/schema';
import { compile } from 'css-select';
import type { Options } from 'css-select';
import { AttributeAction, SelectorType, type AttributeSelector, type Selector } from 'css-what';
import { CASE_INSENSITIVE_ATTRIBUTES, asciiLower } from '../html.js';
import { isTraversal } from '../selector/ast.js';
import { attrKeyIn, isHostableCompound } from '../selector/chain.js';
import { nthMatches, parseNth, splitNthOf } from '../selector/nth.js';
import { parseSelector, type SelectorAst } from '../selector/parse.js';
import { composedParent, textContent, type RNode } from './dom.js';

type Adapter<N, E extends N> = NonNullable<Options<N, E>['adapter']>;

const isTag = (n: RNode): n is RNode => n.kind === 'element';

/** Same name rules as the chain matcher (attrKeyIn): exact lower case on HTML elements, ASCII
 * case-insensitive on SVG/MathML. */
function attrKey(el: RNode, name: string): string | undefined {
  return attrKeyIn(el.attrs, el.ns !== 'html', name, asciiLower(name));
}

/*
 * The featureless shadow host (CSS Scoping; what Chromium does, found by the fidelity fuzz): for
 * a subject inside a shadow tree, combinators reach the tree's host as the parent of its top-level
 * elements, and it matches only compounds made of :has() (looking at its light children) and of
 * :is()/:where() lists of those; nothing past it is reachable. So `:has(.light) .star` holds for a
 * star in the shadow tree of a host with a `.light` child, while `* > div`, `x-host div` or
 * `:not(.a) > div` never see the host. `subject` is the element the running test was called on.
 */
let subject: RNode | null = null;
let subjectRoot: RNode | null | undefined;

function featurelessHost(): RNode | null {
  if (!subject) return null;
  if (subjectRoot === undefined) {
    let x = subject;
    while (x.parent) x = x.parent;
    subjectRoot = x.kind === 'shadow-root' ? x : null;
  }
  return subjectRoot ? subjectRoot.host : null;
}

const isFeatureless = (n: RNode): boolean => n.shadowRoot !== null && n === featurelessHost();

/** Runs a compiled test with `el` as the subject (an inner test keeps the outer subject). */
function asSubject(el: RNode, fn: (el: RNode) => boolean): boolean {
  if (subject !== null) return fn(el);
  return asOwnSubject(el, fn);
}

/** Runs `fn` with `el` as the subject whatever runs around it (then `el` has all its features). */
function asOwnSubject(el: RNode, fn: (el: RNode) => boolean): boolean {
  const outer = subject;
  const outerRoot = subjectRoot;
  subject = el;
  subjectRoot = undefined;
  try {
    return fn(el);
  } finally {
    subject = outer;
    subjectRoot = outerRoot;
  }
}

export const replayAdapter: Adapter<RNode, RNode> = {
  isTag,
  getAttributeValue: (el, name) => {
    const k = attrKey(el, name);
    return k === undefined ? undefined : el.attrs[k];
  },
  hasAttrib: (el, name) => attrKey(el, name) !== undefined,
  // light DOM only: outer-tree selectors never see into a shadow tree
  getChildren: (n) => n.children,
  getName: (el) => el.tagName,
  // a shadow child's parent is the (non-element) shadow root, where combinators stop, except
  // in the subject's own tree: there it is the featureless host, the last one reachable
  getParent: (n) => {
    if (isFeatureless(n)) return null;
    const p = n.parent;
    if (p && p.kind === 'shadow-root' && p.host && p.host === featurelessHost()) return p.host;
    return p;
  },
  getSiblings: (n) => (n.parent && !isFeatureless(n) ? n.parent.children : [n]),
  prevElementSibling: (n) => {
    const sibs = n.parent && !isFeatureless(n) ? n.parent.children : [];
    for (let i = sibs.indexOf(n) - 1; i >= 0; i--) if (sibs[i].kind === 'element') return sibs[i];
    return null;
  },
  getText: (n) => textContent(n),
  removeSubsets: (nodes) => {
    const set = new Set(nodes);
    return [...set].filter((n) => {
      for (let p = n.parent; p; p = p.parent) if (set.has(p)) return false;
      return true;
    });
  },
};

const TEXT_CONTROL_TYPES = new Set([
  'text', 'search', 'url', 'tel', 'email', 'password', 'date', 'month', 'week', 'time',
  'datetime-local', 'number',
]);

function inputType(el: RNode): string {
  return asciiLower(el.attrs.type ?? 'text');
}

function isDisabledControl(el: RNode): boolean {
  return 'disabled' in el.attrs;
}

/** :read-write per HTML: mutable text controls and editing hosts; :read-only is the rest. */
function isReadWrite(el: RNode): boolean {
  if (el.ns !== 'html') return false;
  if (el.tagName === 'input') {
    const t = 'type' in el.attrs ? inputType(el) : 'text';
    return (TEXT_CONTROL_TYPES.has(t) || !isKnownInputType(t)) && !('readonly' in el.attrs) && !isDisabledControl(el);
  }
  if (el.tagName === 'textarea') return !('readonly' in el.attrs) && !isDisabledControl(el);
  for (let n: RNode | null = el; n && n.kind === 'element'; n = n.parent) {
    const ce = n.attrs.contenteditable;
    if (ce !== undefined) {
      const v = asciiLower(ce);
      return v === '' || v === 'true' || v === 'plaintext-only';
    }
  }
  return false;
}

const KNOWN_INPUT_TYPES = new Set([
  ...TEXT_CONTROL_TYPES, 'hidden', 'datetime', 'color', 'checkbox', 'radio', 'file', 'submit',
  'image', 'reset', 'button', 'range',
]);
function isKnownInputType(t: string): boolean {
  return KNOWN_INPUT_TYPES.has(t);
}

/** Hindsight-specific pseudos; names start with `_hs-` so no user selector can reach them. */
const PSEUDOS: Options<RNode, RNode>['pseudos'] = {
  '_hs-html': (el: RNode) => el.ns === 'html',
  '_hs-never': (_el: RNode) => false,
  // on every compound a featureless host must not match (markFeatured)
  '_hs-real': (el: RNode) => !isFeatureless(el),
  // :host without an argument: the featureless host itself
  '_hs-host': (el: RNode) => isFeatureless(el),
  // type selectors are ASCII case-insensitive for every element in Chromium (SVG included)
  '_hs-tag': (el: RNode, name?: string | null) => asciiLower(el.tagName) === asciiLower(name ?? ''),
  // css-select's :root is "no parent element", which a shadow root's child also satisfies
  '_hs-root': (el: RNode) => el.parent !== null && el.parent.kind === 'document',
  // live state (snapshot + Input events), not the `checked` content attribute
  '_hs-checked': (el: RNode) =>
    el.ns === 'html' &&
    ((el.tagName === 'input' && (inputType(el) === 'checkbox' || inputType(el) === 'radio') && el.checked) ||
      (el.tagName === 'option' && el.selected)),
  '_hs-placeholder-shown': (el: RNode) =>
    el.ns === 'html' && (el.tagName === 'input' || el.tagName === 'textarea') && 'placeholder' in el.attrs &&
    (el.value ?? '') === '',
  '_hs-defined': (el: RNode) => el.ns !== 'html' || !el.tagName.includes('-') || el.isCustom,
  // Chromium follows Selectors 3: any non-empty text node (whitespace too) is content;
  // comments and empty text nodes are not. css-select ignores whitespace-only text (the
  // Selectors 4 draft, which no browser ships).
  '_hs-empty': (el: RNode) => el.children.every((c) => c.kind !== 'element' && ((c.kind !== 'text' && c.kind !== 'cdata') || c.data === '')),
  '_hs-read-write': (el: RNode) => isReadWrite(el),
  '_hs-read-only': (el: RNode) => !isReadWrite(el),
  // :hover, :focus, ...: bit `data` of the state captured in the event's chain (only elements of
  // the chain are ever tested for it: see parse.ts checkLiveState and exact.ts matchInReplay)
  '_hs-state': (el: RNode, bit?: string | null) => (((el.liveState ?? 0) >> Number(bit)) & 1) === 1,
};

const OVERRIDDEN = new Set(['root', 'checked', 'empty', 'placeholder-shown', 'defined', 'read-write', 'read-only']);

function pseudo(name: string, data: Selector[][] | string | null): Selector {
  return { type: SelectorType.Pseudo, name, data };
}

type PseudoFns = Record<string, (el: RNode) => boolean>;
let ofCounter = 0;

/**
 * Rewrite the per-element case rules into css-select tokens (see the file comment).
 * `extra` collects per-selector pseudos (the compiled `of S` filters).
 */
function rewrite(ast: SelectorAst, extra: PseudoFns): SelectorAst {
  return ast.map((complex) => complex.flatMap((t) => rewriteToken(t, extra)));
}

function rewriteToken(t: Selector, extra: PseudoFns): Selector[] {
  if (t.type === SelectorType.Tag) return [pseudo('_hs-tag', t.name)];
  if (t.type === SelectorType.Attribute) {
    // `[a~=""]` never matches (Selectors 4), but css-select's token regex matches anything
    if (t.action === AttributeAction.Element && t.value === '') return [pseudo('_hs-never', null)];
    if (t.ignoreCase === null && t.action !== AttributeAction.Exists && CASE_INSENSITIVE_ATTRIBUTES.has(asciiLower(t.name))) {
      const ci: AttributeSelector = { ...t, ignoreCase: true };
      const cs: AttributeSelector = { ...t, ignoreCase: false };
      return [pseudo('is', [
        [pseudo('_hs-html', null), ci],
        [pseudo('not', [[pseudo('_hs-html', null)]]), cs],
      ])];
    }
    // 'quirks' (class/id) is exact in a no-quirks document
    if (t.ignoreCase === 'quirks') return [{ ...t, ignoreCase: false }];
    return [t];
  }
  if (t.type !== SelectorType.Pseudo) return [t];
  // css-select consults its own aliases (:checked, :read-only, ...) before user pseudos, so
  // our overrides live under private names
  if (OVERRIDDEN.has(t.name)) return [pseudo(`_hs-${t.name}`, null)];
  const bit = chainStateBit(t.name);
  if (bit >= 0) return [pseudo('_hs-state', String(bit))];
  // css-select turns every selector of a list without :scope into ":scope <it>" once a context is
  // given (querySelector semantics), which is wrong for closest(): `a:scope, a` must still match an
  // <a> ancestor. So :scope is our own pseudo, bound to closest()'s receiver per call.
  if (t.name === 'scope') return [pseudo('_hs-scope', null)];
  if (t.name === 'host' && t.data == null) return [pseudo('_hs-host', null)];
  if ((t.name === 'host' || t.name === 'host-context') && Array.isArray(t.data)) {
    // the argument is about the host as an ordinary element (or, for -context, an ancestor)
    const sTest = compileDomSelector(t.data, false);
    const context = t.name === 'host-context';
    const name = `_hs-host-${ofCounter++}`;
    extra[name] = (el) => {
      if (!isFeatureless(el)) return false;
      for (let x: RNode | null = el; x; x = context ? composedParent(x) : null) if (asOwnSubject(x, sTest)) return true;
      return false;
    };
    return [pseudo(name, null)];
  }
  if (Array.isArray(t.data)) {
    const data = rewrite(t.data, extra);
    return [{ ...t, data: t.name === 'has' ? strictlyBelow(isolateSubselects(data, extra)) : data }];
  }
  if (NTH_PSEUDOS.has(t.name) && typeof t.data === 'string') {
    const { nth, of } = splitNthOf(t.data);
    const an = parseNth(nth);
    // An+B that holds for every position (`n`, `n-2`): css-select then skips counting and asks
    // for a parent *element*, so <html> and children of a shadow root never matched, where
    // Chromium (Selectors 4) matches them. `n+1` means the same and is counted.
    if (of === null && an && an.a === 1 && an.b <= 1) return [{ ...t, data: 'n+1' }];
    if (of !== null && an && (t.name === 'nth-child' || t.name === 'nth-last-child')) {
      // css-select would parse S itself, bypassing the case rewrites: compile S here instead
      const p = parseSelector(of);
      if (!p.ok) throw new Error(`invalid selector in :${t.name}(): ${p.message}`);
      const sTest = compileDomSelector(p.ast);
      const fromEnd = t.name === 'nth-last-child';
      const name = `_hs-of-${ofCounter++}`;
      extra[name] = (el) => {
        if (!sTest(el)) return false;
        const sibs = el.parent ? el.parent.children : [el];
        let pos = 0;
        for (let i = fromEnd ? sibs.length - 1 : 0; fromEnd ? i >= 0 : i < sibs.length; fromEnd ? i-- : i++) {
          const x = sibs[i];
          if (x.kind !== 'element' || !sTest(x)) continue;
          pos++;
          if (x === el) break;
        }
        return nthMatches(an, pos);
      };
      return [pseudo(name, null)];
    }
  }
  return [t];
}

/**
 * css-select compiles the argument of a :has() with a combinator against the :has() subject as
 * context, and its :is()/:where()/:not() hand that context on to their own argument, which is
 * then absolutized like a querySelector: `.b` turns into `:scope .b`, "a descendant of the
 * subject". Right for children, wrong for siblings: `:has(~ :not(.b))` held for any sibling and
 * `:has(+ [type=x])` (our case rewrite is an :is()) never did. Inside :has() each of them is
 * therefore a pseudo of ours, compiled on its own like a plain `:is()` (found by the fidelity fuzz).
 */
function isolateSubselects(ast: SelectorAst, extra: PseudoFns): SelectorAst {
  return ast.map((complex) =>
    complex.map((t) => {
      if (t.type !== SelectorType.Pseudo || !Array.isArray(t.data) || !SUBSELECTS.has(t.name)) return t;
      const list = t.data;
      const negate = t.name === 'not';
      let test: ((el: RNode) => boolean) | null = null;
      const name = `_hs-sub-${ofCounter++}`;
      // compiled on first use: `extra` is complete by then (it is filled while rewriting)
      extra[name] = (el) => {
        test ??= compile<RNode, RNode>(list, { ...BASE_OPTIONS, pseudos: { ...PSEUDOS, ...extra } });
        return test(el) !== negate;
      };
      return pseudo(name, null);
    }),
  );
}

const SUBSELECTS = new Set(['is', 'where', 'matches', 'not']);
const NTH_PSEUDOS = new Set(['nth-child', 'nth-last-child', 'nth-of-type', 'nth-last-of-type']);

/**
 * In a :has() argument, a selector that starts without a combinator has an implied descendant one:
 * its first compound lies strictly below the :has() subject. css-select 7, once any selector of
 * the argument has a combinator, turns that implied one into "the subject or below", so
 * `div:has(.icon > span)` held for a div.icon with a span child and `div.c:has(.a b, .c)` for a
 * div.c with no .c inside (found by the fidelity fuzz, seed 34). With an explicit descendant
 * combinator in front it keeps ours and puts its "or self" one before it: strictly below again.
 */
function strictlyBelow(ast: SelectorAst): SelectorAst {
  if (!ast.some((complex) => complex.some(isTraversal))) return ast; // compiled as plain descendants
  return ast.map((complex) => (complex.length && isTraversal(complex[0]) ? complex : [{ type: SelectorType.Descendant }, ...complex]));
}

/** Arguments not about the element itself: :has() (descendants), :host()/:host-context() (the host as an ordinary element). */
const OWN_CONTEXT = new Set(['has', 'host', 'host-context']);

/**
 * Appends `_hs-real` to every compound that is not made only of :has()/:is()/:where() (and `*`),
 * so the featureless host fails it; the lists inside :is()/:where()/:not() get the same
 * treatment (:has() arguments look at descendants, never at the host).
 */
function markFeatured(ast: SelectorAst): SelectorAst {
  return ast.map((complex) => {
    const out: Selector[] = [];
    let compound: Selector[] = [];
    const close = () => {
      out.push(...compound);
      if (compound.length && !isHostableCompound(compound)) out.push(pseudo('_hs-real', null));
      compound = [];
    };
    for (const t of complex) {
      if (isTraversal(t)) {
        close();
        out.push(t);
      } else if (t.type === SelectorType.Pseudo && Array.isArray(t.data) && !OWN_CONTEXT.has(t.name)) {
        compound.push({ ...t, data: markFeatured(t.data) });
      } else compound.push(t);
    }
    close();
    return out;
  });
}

export type DomTest = (el: RNode, scope?: RNode) => boolean;

const BASE_OPTIONS: Options<RNode, RNode> = {
  adapter: replayAdapter,
  xmlMode: true,
  lowerCaseTags: false,
  lowerCaseAttributeNames: false,
  // the DOM changes between queries: css-select's result caches would go stale
  cacheResults: false,
  pseudos: PSEUDOS,
};

function usesScope(ast: SelectorAst): boolean {
  return ast.some((c) => c.some((t) => t.type === SelectorType.Pseudo && (t.name === 'scope' || (Array.isArray(t.data) && usesScope(t.data)))));
}

/**
 * Compile a validated selector for the replay DOM. `:scope` in closest() is the element
 * closest() was called on, so a selector using it is recompiled per call with that context.
 * `featureless`: whether the featureless shadow host applies (not inside :host()'s argument).
 */
export function compileDomSelector(ast: SelectorAst, featureless = true): DomTest {
  const holder: { scope: RNode | null } = { scope: null };
  const extra: PseudoFns = { '_hs-scope': (el) => el === holder.scope };
  const rewritten = rewrite(featureless ? markFeatured(ast) : ast, extra);
  const options = { ...BASE_OPTIONS, pseudos: { ...PSEUDOS, ...extra } };
  const fn = compile<RNode, RNode>(rewritten, options);
  if (usesScope(ast)) {
    return (el, scope) => {
      holder.scope = scope ?? el;
      return asSubject(el, fn);
    };
  }
  return (el) => asSubject(el, fn);
}
