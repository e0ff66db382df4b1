// Selector parsing + validation. css-what does the tokenizing; it reports no positions and
// accepts things Chromium's closest() rejects (jQuery `[a!=b]`, `:contains`, relative
// selectors, ...), so we pre-scan for structural errors and post-validate the AST, pointing
// each error at a character position the viewer can underline.

import { parse, SelectorType, AttributeAction, type Selector } from 'css-what';
import { isTraversal, mentionsPseudo } from './ast.js';
import { parseNth, splitNthOf } from './nth.js';
import {
  CHAIN_PSEUDOS,
  CHROMIUM_ONLY_PSEUDOS,
  DOM_PSEUDOS,
  LIVE_STATE_PSEUDOS,
  SELECTOR_LIST_PSEUDOS,
  STATE_PSEUDOS,
  STRING_ARG_PSEUDOS,
} from './pseudos.js';

export type SelectorAst = Selector[][];

export type ParseResult =
  | { ok: true; ast: SelectorAst }
  | { ok: false; message: string; position: number };

class SelectorError extends Error {
  /**
   * `refused`: Chromium accepts this, we decline on purpose (live state, a pseudo-class we cannot
   * decide). Inside :is()/:where() only the other errors make a member "invalid" and dropped.
   */
  constructor(message: string, readonly position: number, readonly refused = false) {
    super(message);
  }
}

/** Longest selector accepted; real ones are tiny, and this bounds parse/compile work. */
export const MAX_SELECTOR_LENGTH = 4096;

/** Parse and validate one selector (list). Never throws. */
export function parseSelector(s: string): ParseResult {
  if (typeof s === 'string' && s.length > MAX_SELECTOR_LENGTH) {
    return { ok: false, message: `selector longer than ${MAX_SELECTOR_LENGTH} characters`, position: MAX_SELECTOR_LENGTH };
  }
  try {
    const ast = parseOrThrow(s, 0);
    checkLiveState(ast, s);
    return { ok: true, ast };
  } catch (e) {
    if (e instanceof SelectorError) return { ok: false, message: e.message, position: e.position };
    return { ok: false, message: `invalid selector: ${(e as Error).message}`, position: 0 };
  }
}

/** `forgiven`: the caller already rewrote `source` with forgive() (each level is done once). */
function parseOrThrow(source: string, offset: number, forgiven = false): SelectorAst {
  if (typeof source !== 'string' || source.trim() === '') throw new SelectorError('empty selector', offset);
  const s = forgiven ? source : forgive(source, offset);
  scanStructure(s, offset);
  const nthArgs = protectNthArgs(s);
  let ast: SelectorAst;
  try {
    ast = parse(nthArgs.text);
  } catch (e) {
    throw fromCssWhat(s, offset, (e as Error).message);
  }
  restoreNthArgs(ast, nthArgs.args);
  const cursor = { pos: 0 };
  validateList(ast, s, offset, cursor, false);
  return ast;
}

/**
 * Chromium's forgiving selector lists: inside `:is()` and `:where()` a member that is not a valid
 * selector is dropped (`:is(.a, :foo)` is `:is(.a)`), and a list left empty matches nothing
 * (`:not(*)` here). Outside a style rule, the nesting selector `&` is `:scope` (for closest(): the
 * clicked element). Both are rewritten before anything else reads the selector. A member we refuse
 * on purpose although Chromium accepts it (live state, a pseudo-class we cannot decide) still
 * refuses the whole selector: dropping it could change the answer. Error positions after a
 * rewrite point into the rewritten text; without one (the usual case) the text is unchanged.
 */
function forgive(s: string, offset: number): string {
  if (!s.includes('&') && !LIST_FN.test(s)) return s;
  let out = '';
  let last = 0;
  eachCode(s, (i) => {
    if (s[i] === '&') {
      out += s.slice(last, i) + ':scope';
      last = i + 1;
      return;
    }
    const arg = fnArgAt(s, i, LIST_FN_AT);
    if (!arg) return;
    if (arg.end < 0) return s.length; // unbalanced: scanStructure reports it
    let changed = false;
    const kept: string[] = [];
    for (const m of splitList(s.slice(arg.start, arg.end))) {
      const at = offset + arg.start + m.at;
      const text = forgive(m.text, at);
      changed ||= text !== m.text;
      try {
        // nested lists are done (just above): check only this member's own structure, or
        // deep nesting would be parsed once per level
        parseOrThrow(withoutLists(text), at, true);
        kept.push(text);
      } catch (e) {
        if (e instanceof SelectorError && e.refused) throw e;
        changed = true; // invalid in Chromium too: dropped
      }
    }
    if (changed) {
      out += s.slice(last, i) + (kept.length ? `${s.slice(i, arg.start)}${kept.join(',')})` : ':not(*)');
      last = arg.end + 1;
    }
    return arg.end;
  });
  return last === 0 ? s : out + s.slice(last);
}

const LIST_FN = /:(?:is|where)\(/i;
const LIST_FN_AT = /:(?:is|where)\(/iy;

/** `s` with each outermost `:is(…)`/`:where(…)` emptied to `:is(*)`. */
function withoutLists(s: string): string {
  if (!LIST_FN.test(s)) return s;
  let out = '';
  let last = 0;
  eachCode(s, (i) => {
    const arg = fnArgAt(s, i, LIST_FN_AT);
    if (!arg) return;
    if (arg.end < 0) return s.length;
    out += s.slice(last, i) + ':is(*)';
    last = arg.end + 1;
    return arg.end;
  });
  return out + s.slice(last);
}

/**
 * Calls `visit(i)` for each index of `s` outside strings, escapes and comments; `visit` may return
 * the index to go on after.
 */
function eachCode(s: string, visit: (i: number) => number | void): void {
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (quote) {
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      continue;
    }
    if (ch === '/' && s[i + 1] === '*') {
      const close = s.indexOf('*/', i + 2);
      i = close < 0 ? s.length : close + 1;
      continue;
    }
    const next = visit(i);
    if (next !== undefined) i = next;
  }
}

/** A functional pseudo `fn` (sticky regexp ending in `(`) at `i`: its argument's bounds (end -1: unclosed). */
function fnArgAt(s: string, i: number, fn: RegExp): { start: number; end: number } | null {
  if (s[i] !== ':') return null;
  fn.lastIndex = i;
  if (!fn.test(s)) return null;
  return { start: fn.lastIndex, end: closingParen(s, fn.lastIndex) };
}

/** The top-level comma-separated members of a selector list (strings, escapes, nesting kept). */
function splitList(s: string): { text: string; at: number }[] {
  const out: { text: string; at: number }[] = [];
  let depth = 0;
  let quote: string | null = null;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\') i++;
    else if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      out.push({ text: s.slice(from, i), at: from });
      from = i + 1;
    }
  }
  out.push({ text: s.slice(from), at: from });
  return out;
}

/**
 * Balanced () and [], terminated strings and escapes, no empty list entries. These are the
 * errors people make most and css-what's messages for them carry no position.
 */
function scanStructure(s: string, offset: number): void {
  // raw: inside the argument of :nth-*() / :lang(), which is not selector syntax
  const stack: { ch: string; pos: number; raw: boolean }[] = [];
  let quote: string | null = null;
  let quotePos = 0;
  let lastCommaOrOpen = -1; // position of the last ',' or '(' at which a list entry began
  let entryHasContent = false;
  let escapeEnd = -1; // index right after the last escape: a digit there continues a name
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
      else if (ch === '\n') throw new SelectorError('unterminated string', offset + quotePos);
      continue;
    }
    if (ch === '\\') {
      if (i === s.length - 1) throw new SelectorError('escape at end of selector', offset + i);
      // a hex escape eats up to 6 hex digits and one whitespace (`#\31 23` is id "123")
      const hex = /^[0-9a-fA-F]{1,6}[ \t\n\f\r]?/.exec(s.slice(i + 1));
      i += hex ? hex[0].length : 1;
      escapeEnd = i + 1;
      entryHasContent = true;
      continue;
    }
    if (ch === '/' && s[i + 1] === '*') {
      const end = s.indexOf('*/', i + 2);
      if (end < 0) throw new SelectorError('unterminated comment', offset + i);
      i = end + 1;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      quotePos = i;
      entryHasContent = true;
    } else if (ch === '(' || ch === '[') {
      // any functional pseudo but the selector-list ones takes a non-selector argument
      const fn = ch === '(' ? /:([\w-]+)$/.exec(s.slice(0, i)) : null;
      const raw = fn !== null && !/^(?:not|is|where|matches|has|host|host-context)$/i.test(fn[1]);
      stack.push({ ch, pos: i, raw });
      if (ch === '[' && !/^\s*(?:[A-Za-z_\u0080-\uFFFF*|\\]|-[A-Za-z_\u0080-\uFFFF\\-])/.test(s.slice(i + 1))) {
        throw new SelectorError("'[' must be followed by an attribute name", offset + i);
      }
      if (ch === '(') {
        lastCommaOrOpen = i;
        entryHasContent = false;
      }
    } else if (ch === ')' || ch === ']') {
      const open = stack.pop();
      const want = ch === ')' ? '(' : '[';
      if (!open) throw new SelectorError(`unmatched '${ch}'`, offset + i);
      if (open.ch !== want) {
        throw new SelectorError(`'${open.ch}' at ${offset + open.pos} closed by '${ch}'`, offset + i);
      }
      if (ch === ')' && !open.raw && !entryHasContent) {
        if (s[lastCommaOrOpen] === ',') throw new SelectorError('empty selector in list', offset + lastCommaOrOpen);
        throw new SelectorError('empty argument list', offset + open.pos);
      }
      entryHasContent = true;
    } else if (stack.length > 0 && (stack[stack.length - 1].raw || stack[stack.length - 1].ch === '[')) {
      // attribute internals and An+B arguments: css-what validates those
      if (!/\s/.test(ch)) entryHasContent = true;
    } else if (/[!@$%^&=;/?{}`<]/.test(ch)) {
      // css-what would read these as part of a type selector name (`a !x` → tag "!x")
      throw new SelectorError(`unexpected '${ch}'`, offset + i);
    } else if (/[0-9]/.test(ch) && i !== escapeEnd && (i === 0 || /[\s>+~,(]/.test(s[i - 1]))) {
      throw new SelectorError('a type selector cannot start with a digit', offset + i);
    } else if (ch === '-' && /[0-9]/.test(s[i + 1] ?? '') && (i === 0 || /[\s>+~,(]/.test(s[i - 1]))) {
      throw new SelectorError('a type selector cannot start with -digit', offset + i);
    } else if ((ch === '#' || ch === '.')) {
      // `#1a` / `.1a` are not identifiers: Chromium throws, css-what would accept them
      const rest = s.slice(i + 1);
      if (!/^(?:-?(?:[A-Za-z_\u0080-\uFFFF]|\\)|--)/.test(rest)) {
        throw new SelectorError(
          `'${ch}' must be followed by a name (one starting with a digit must be escaped, e.g. ${ch}\\31 23)`,
          offset + i,
        );
      }
      entryHasContent = true;
    } else if (ch === ',') {
      const top = stack[stack.length - 1];
      if (!top || top.ch === '(') {
        if (!entryHasContent) throw new SelectorError('empty selector in list', offset + i);
        lastCommaOrOpen = i;
        entryHasContent = false;
      }
    } else if (!/\s/.test(ch)) {
      entryHasContent = true;
    }
  }
  if (quote) throw new SelectorError('unterminated string', offset + quotePos);
  if (stack.length > 0) {
    const open = stack[stack.length - 1];
    throw new SelectorError(`unclosed '${open.ch}'`, offset + open.pos);
  }
  if (!entryHasContent && lastCommaOrOpen >= 0) {
    throw new SelectorError('empty selector in list', offset + lastCommaOrOpen);
  }
}

/**
 * css-what hands the argument of `:nth-child()` / `:nth-last-child()` over unescaped and ends it
 * at the first `)`, quoted or not: `of .md\:flex` arrived as `of .md:flex` (an unknown pseudo),
 * `of .a\.b` as `of .a.b` (two classes: a wrong answer), `of [x="a)"]` not at all. `of S` is a
 * selector of its own, parsed later from this text, so such arguments (an `of` part with an
 * escape or a quote) are swapped for same-length placeholders (positions stay right) and their
 * source text is put back into the AST afterwards.
 */
function protectNthArgs(s: string): { text: string; args: string[] } {
  const args: string[] = [];
  let text = s;
  let unclosed = false;
  eachCode(s, (i) => {
    const arg = fnArgAt(s, i, NTH_FN_AT);
    if (!arg) return;
    if (arg.end < 0) {
      unclosed = true;
      return s.length;
    }
    const raw = s.slice(arg.start, arg.end);
    const placeholder = `_${args.length}_`;
    if (/\sof\s/i.test(raw) && /[\\"']/.test(raw) && placeholder.length <= raw.length) {
      args.push(raw);
      text = text.slice(0, arg.start) + placeholder.padEnd(raw.length) + text.slice(arg.end);
    }
    return arg.end;
  });
  return unclosed ? { text: s, args: [] } : { text, args };
}

const NTH_FN_AT = /:nth-(?:last-)?child\(/iy;

/** Index of the `)` closing a parenthesis opened right before `from` (strings, escapes, nesting). */
function closingParen(s: string, from: number): number {
  let depth = 1;
  let quote: string | null = null;
  for (let i = from; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\') i++;
    else if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

function restoreNthArgs(ast: SelectorAst, args: string[]): void {
  if (args.length === 0) return;
  for (const complex of ast) {
    for (const t of complex) {
      if (t.type !== SelectorType.Pseudo) continue;
      if (Array.isArray(t.data)) restoreNthArgs(t.data, args);
      else if (typeof t.data === 'string' && (t.name === 'nth-child' || t.name === 'nth-last-child')) {
        const m = /^_(\d+)_\s*$/.exec(t.data);
        if (m && args[Number(m[1])] !== undefined) t.data = args[Number(m[1])];
      }
    }
  }
}

function fromCssWhat(s: string, offset: number, msg: string): SelectorError {
  const rest = /^(?:Unmatched selector|Expected name, found):? (.*)$/s.exec(msg);
  if (rest) return new SelectorError(`unexpected '${rest[1].slice(0, 20)}'`, offset + s.length - rest[1].length);
  if (/successive traversals/.test(msg)) {
    const m = /[>+~]\s*[>+~]/.exec(s);
    return new SelectorError('two combinators in a row', offset + (m ? m.index : 0));
  }
  if (/Empty sub-selector/.test(msg)) {
    const m = /\(\s*\)/.exec(s);
    return new SelectorError('empty argument list', offset + (m ? m.index : 0));
  }
  return new SelectorError(msg.charAt(0).toLowerCase() + msg.slice(1), offset);
}

/** Find the next occurrence of a token at or after cursor, to point errors at it. */
function locate(s: string, offset: number, cursor: { pos: number }, re: RegExp): number {
  const g = new RegExp(re.source, 'gi');
  g.lastIndex = cursor.pos;
  const m = g.exec(s) ?? (((g.lastIndex = 0), g.exec(s)));
  if (!m) return offset + cursor.pos;
  cursor.pos = m.index + 1;
  return offset + m.index;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function validateList(
  ast: SelectorAst,
  s: string,
  offset: number,
  cursor: { pos: number },
  relative: boolean,
): void {
  for (const complex of ast) {
    if (complex.length === 0) throw new SelectorError('empty selector', offset + cursor.pos);
    const first = complex[0];
    const last = complex[complex.length - 1];
    if (isTraversal(first) && !relative) {
      throw new SelectorError(
        'selector starts with a combinator (relative selectors are only allowed inside :has())',
        locate(s, offset, cursor, /[>+~]/),
      );
    }
    if (isTraversal(last)) {
      throw new SelectorError('selector ends with a combinator', offset + s.trimEnd().length - 1);
    }
    for (const tok of complex) validateToken(tok, s, offset, cursor);
    checkHostCompounds(complex, s, offset);
  }
}

/**
 * Beside :host, Chromium reads :has() against the shadow tree (not the host's light children, as
 * everywhere else) and `*` never matches; neither is modelled, so both are declined.
 */
function checkHostCompounds(complex: Selector[], s: string, offset: number): void {
  let compound: Selector[] = [];
  for (const t of [...complex, null]) {
    if (t && !isTraversal(t)) {
      compound.push(t);
      continue;
    }
    const host = compound.some((x) => x.type === SelectorType.Pseudo && (x.name === 'host' || x.name === 'host-context'));
    if (host && compound.some((x) => x.type === SelectorType.Universal || (x.type === SelectorType.Pseudo && x.name === 'has'))) {
      const at = s.search(/:host/i);
      throw new SelectorError('`*` and :has() beside :host are not supported', offset + Math.max(0, at), true);
    }
    compound = [];
  }
}

function validateToken(tok: Selector, s: string, offset: number, cursor: { pos: number }): void {
  switch (tok.type) {
    case SelectorType.Parent:
    case SelectorType.ColumnCombinator:
      throw new SelectorError('unsupported combinator', locate(s, offset, cursor, /<|\|\|/));
    case SelectorType.Tag:
    case SelectorType.Universal:
      // Without an @namespace rule (closest() has none) `x` already means "x in any namespace":
      // `*|x` is the same selector. `|x` (no namespace) is valid too, but a recording does not
      // keep namespaces; any other prefix is invalid in Chromium.
      if (tok.namespace === '*') tok.namespace = null;
      if (tok.namespace != null) {
        throw new SelectorError('namespace prefixes are not supported', locate(s, offset, cursor, /\|/), tok.namespace === '');
      }
      return;
    case SelectorType.Attribute: {
      const pos = () => locate(s, offset, cursor, new RegExp(`\\[\\s*(?:[\\w-]*\\|)?${escapeRe(tok.name)}`));
      if (tok.namespace != null) {
        throw new SelectorError('namespace prefixes are not supported', pos(), tok.namespace === '*' || tok.namespace === '');
      }
      if (tok.action === AttributeAction.Not) throw new SelectorError("'!=' is not a CSS attribute operator", pos());
      // Chromium (156) rejects the `s` flag; accepting it would define events no page can have
      if (tok.ignoreCase === false) {
        throw new SelectorError("the 's' attribute flag is not supported by browsers", locate(s, offset, cursor, /\s[sS]\s*\]/) + 1);
      }
      return;
    }
    case SelectorType.PseudoElement:
      throw new SelectorError(
        `pseudo-element ::${tok.name} can never be what closest() returns`,
        locate(s, offset, cursor, new RegExp(`::?${escapeRe(tok.name)}`)),
      );
    case SelectorType.Pseudo:
      validatePseudo(tok, s, offset, cursor);
      return;
    default:
      return;
  }
}

function validatePseudo(
  tok: Extract<Selector, { type: SelectorType.Pseudo }>,
  s: string,
  offset: number,
  cursor: { pos: number },
): void {
  const at = locate(s, offset, cursor, new RegExp(`:${escapeRe(tok.name)}(?![\\w-])`));
  // Chromium's alias of :any-link (the same selector there); the engine only knows :any-link
  if (tok.name === '-webkit-any-link') tok.name = 'any-link';
  if (tok.name === '-webkit-autofill') tok.name = 'autofill';
  const name = tok.name;
  if (STATE_PSEUDOS.has(name)) {
    throw new SelectorError(
      `:${name} depends on live browser/user state that the recorder does not capture ` +
        '(validity would reveal what was typed in masked fields); use attributes or classes the page sets instead',
      at,
      true,
    );
  }
  if (name === 'matches') throw new SelectorError(':matches() is not supported by browsers; use :is()', at);
  if (!CHAIN_PSEUDOS.has(name) && !DOM_PSEUDOS.has(name)) {
    throw new SelectorError(`unknown or unsupported pseudo-class :${name}`, at, CHROMIUM_ONLY_PSEUDOS.has(name));
  }
  const takesList = SELECTOR_LIST_PSEUDOS.has(name);
  const takesString = STRING_ARG_PSEUDOS.has(name);
  if (name === 'host' && tok.data == null) return;
  if (takesList) {
    if (!Array.isArray(tok.data)) throw new SelectorError(`:${name}() needs a selector argument`, at);
    if (name === 'host' || name === 'host-context') {
      // one compound selector, as in Chromium (a list, a combinator or :has() there throws)
      if (tok.data.length !== 1 || tok.data[0].some(isTraversal) || mentionsPseudo(tok.data, HAS)) {
        throw new SelectorError(`:${name}() takes one compound selector without :has()`, at);
      }
    }
    if (name === 'has' && mentionsPseudo(tok.data, HAS)) throw new SelectorError(':has() cannot be nested', at);
    validateList(tok.data, s, offset, cursor, name === 'has');
    return;
  }
  if (takesString) {
    if (typeof tok.data !== 'string' || tok.data.trim() === '') {
      throw new SelectorError(`:${name}() needs an argument`, at);
    }
    if (name === 'lang') return;
    const { nth, of } = name === 'nth-child' || name === 'nth-last-child'
      ? splitNthOf(tok.data)
      : { nth: tok.data, of: null };
    if (!parseNth(nth)) throw new SelectorError(`invalid An+B '${nth.trim()}' in :${name}()`, at);
    if (of !== null) {
      // position of the `of S` part inside the source, for nested errors
      const inner = s.indexOf(of, at - offset);
      parseOrThrow(of, offset + Math.max(0, inner));
    }
    return;
  }
  if (tok.data != null) throw new SelectorError(`:${name} takes no argument`, at);
}

const HAS: ReadonlySet<string> = new Set(['has']);

/**
 * Live state (:hover, :focus, ...) is known for the target and its ancestors only: the recorder
 * captured it in the chain at the event. So it may only be asked of elements the composed
 * closest() walk tests: not inside :has() (descendants), :nth-child(… of S) (siblings),
 * :host()/:host-context(), nor in a compound left of `+` or `~` (a sibling of the path).
 */
function checkLiveState(ast: SelectorAst, s: string): void {
  const name = liveStateOffPath(ast, true);
  if (name === null) return;
  throw new SelectorError(
    `:${name} is decided from the state captured for the clicked element and its ancestors, so it ` +
      'cannot be used inside :has(), :host() or :nth-child(… of S), nor before + or ~',
    Math.max(0, s.search(new RegExp(`:${escapeRe(name)}(?![\\w-])`, 'i'))),
    true,
  );
}

/** the first live-state pseudo-class that would be tested off the target's ancestor path */
function liveStateOffPath(ast: SelectorAst, onPath: boolean): string | null {
  for (const complex of ast) {
    // right to left: a compound stays on the path while only ` ` and `>` lie to its right
    let path = onPath;
    for (let i = complex.length - 1; i >= 0; i--) {
      const t = complex[i];
      if (t.type === SelectorType.Sibling || t.type === SelectorType.Adjacent) path = false;
      if (t.type !== SelectorType.Pseudo) continue;
      if (LIVE_STATE_PSEUDOS.has(t.name) && !path) return t.name;
      let inner: SelectorAst | null = Array.isArray(t.data) ? t.data : null;
      if (typeof t.data === 'string' && (t.name === 'nth-child' || t.name === 'nth-last-child')) {
        const of = splitNthOf(t.data).of;
        if (of !== null) inner = parse(of);
      }
      const innerPath = path && (t.name === 'is' || t.name === 'where' || t.name === 'not');
      const found = inner && liveStateOffPath(inner, innerPath);
      if (found) return found;
    }
  }
  return null;
}
