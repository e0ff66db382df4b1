// Rule compilation: validate once, precompile every condition into closures, and expose the
// pieces the store needs (event types for SQL, whether chains are needed, which path decides).

import { ELEMENT_EVENT_TYPES, type ChainElement, type Rule, type StringCond } from '@hindsight/schema';
import { classifySelector, type SelectorClass } from './selector/classify.js';
import { chainAttrPresence, chainIsComplete, closestInChain, compileChainSelector, type ElemTest } from './selector/chain.js';
import { parseSelector, type SelectorAst } from './selector/parse.js';
import { mentionsPseudo } from './selector/ast.js';
import { LIVE_STATE_PSEUDOS } from './selector/pseudos.js';
import type { Tri } from './selector/tri.js';

// local on purpose (see selector/chain.ts): matchChain is a hot path
const F = 0;
const T = 1;
const U = 2;
import { compileStringCond, testTruncatedText, type StringTest } from './strings.js';

export type ChainAnswer = true | false | 'unknown';

export interface CompiledCond {
  cond: StringCond;
  test: StringTest;
}

export interface CompiledSelector {
  source: string;
  ast: SelectorAst;
  kind: SelectorClass;
  /**
   * three-valued test on chains; for 'dom' selectors the parts the chain cannot see are
   * unknown, so T/F answers are exact and U means "ask the replay"
   */
  chainTest: ElemTest;
}

export interface CompiledRule {
  rule: Rule;
  /** raw event types this rule can match (SQL `type IN (...)`) */
  eventTypes: string[];
  /** selector, text or href present: the event's chain (or replay) decides part of the rule */
  needsChain: boolean;
  /** how the selector is decided: from the chain, from the recorded DOM, or no selector */
  mode: 'chain' | 'dom' | 'none';
  /**
   * the selector tests live state (:hover, :focus, ...), which exists only in the event's chain
   * (hasLiveState): decided from the chain, or on the replay path with that state laid over the
   * DOM; an event without it never matches (nothing proves it did)
   */
  liveState: boolean;
  selector?: CompiledSelector;
  text?: CompiledCond;
  url?: CompiledCond;
  name?: CompiledCond;
  href?: CompiledCond;
  /** selector + text + href against a stored chain; 'unknown' means: ask the replay */
  matchChain(chain: ChainElement[] | undefined | null): ChainAnswer;
  /** `name` condition (true when the rule has none) */
  matchName(name: string | undefined | null): boolean;
  /** `url` condition (true when the rule has none) */
  matchUrl(url: string | undefined | null): boolean;
  /** `text` condition on collapsed text (true when the rule has none) */
  matchText(text: string): boolean;
  /** `href` condition on an href value (true when the rule has none) */
  matchHref(href: string | null): boolean;
}

export class RuleError extends Error {
  constructor(
    message: string,
    /** dotted path inside the rule, e.g. `selector`, `text.value` */
    readonly path: string,
    /** character position inside the offending string, when known */
    readonly position?: number,
  ) {
    super(message);
  }
}

const ELEMENT_TYPES: ReadonlySet<string> = new Set(ELEMENT_EVENT_TYPES);

export type CompileRuleResult = { ok: true; rule: CompiledRule } | { ok: false; error: RuleError };

/** Compile a rule; throws RuleError on invalid input. */
export function compileRule(rule: Rule): CompiledRule {
  const r = tryCompileRule(rule);
  if (!r.ok) throw r.error;
  return r.rule;
}

export function tryCompileRule(input: unknown): CompileRuleResult {
  try {
    return { ok: true, rule: build(input) };
  } catch (e) {
    if (e instanceof RuleError) return { ok: false, error: e };
    return { ok: false, error: new RuleError((e as Error).message, '') };
  }
}

function cond(value: unknown, path: string): CompiledCond | undefined {
  if (value === undefined || value === null) return undefined;
  const c = compileStringCond(value);
  if (!c.ok) {
    const isRegex = typeof value === 'object' && (value as { op?: unknown }).op === 'regex';
    throw new RuleError(c.message, isRegex && c.position !== undefined ? `${path}.value` : path, c.position);
  }
  return { cond: c.cond, test: c.test };
}

function build(input: unknown): CompiledRule {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new RuleError('rule must be an object', '');
  const rule = input as Rule;
  if (typeof rule.event !== 'string' || rule.event.trim() === '' || rule.event.length > 64) {
    throw new RuleError('event must be a non-empty event type such as "click" or "pageview"', 'event');
  }
  const known = new Set(['event', 'selector', 'text', 'url', 'name', 'href']);
  for (const k of Object.keys(rule)) if (!known.has(k)) throw new RuleError(`unknown rule field "${k}"`, k);

  let selector: CompiledSelector | undefined;
  if (rule.selector !== undefined && rule.selector !== null) {
    if (typeof rule.selector !== 'string') throw new RuleError('selector must be a string', 'selector');
    const p = parseSelector(rule.selector);
    if (!p.ok) throw new RuleError(`invalid selector: ${p.message} (at ${p.position})`, 'selector', p.position);
    const kind = classifySelector(p.ast);
    selector = { source: rule.selector, ast: p.ast, kind, chainTest: compileChainSelector(p.ast) };
  }
  const text = cond(rule.text, 'text');
  const url = cond(rule.url, 'url');
  const name = cond(rule.name, 'name');
  const href = cond(rule.href, 'href');
  const needsChain = !!(selector || text || href);
  if (needsChain && !ELEMENT_TYPES.has(rule.event)) {
    const field = selector ? 'selector' : text ? 'text' : 'href';
    throw new RuleError(
      `${field} only applies to element events (${[...ELEMENT_TYPES].join(', ')}), not "${rule.event}"`,
      field,
    );
  }
  const mode: CompiledRule['mode'] = selector ? selector.kind : 'none';
  const chainTest = selector?.chainTest;
  const liveState = !!selector && mentionsPseudo(selector.ast, LIVE_STATE_PSEUDOS);

  const matchChain = (chain: ChainElement[] | undefined | null): ChainAnswer => {
    if (!needsChain) return true;
    if (!chain || chain.length === 0) return false;
    // The replay decides what the chain cannot (a cut or masked attribute) with the live state
    // laid over it from this chain. Without captured state nothing can: no match, nothing proves it.
    const unknown: ChainAnswer = liveState && !hasLiveState(chain) ? false : 'unknown';
    let at = 0;
    if (chainTest) {
      const r = closestInChain(chainTest, chain);
      if (r === 'unknown') return unknown;
      if (r < 0) return false;
      at = r;
    }
    let acc: Tri = T;
    if (text) {
      const e = chain[at];
      const t = testTruncatedText(text.cond, text.test, e.text ?? '', e.textTrunc === true);
      if (t === F) return false;
      if (t === U) acc = U;
    }
    if (href) {
      const h = hrefInChain(chain, at, href.test);
      if (h === F) return false;
      if (h === U) acc = U;
    }
    return acc === T ? true : unknown;
  };

  return {
    rule,
    eventTypes: [rule.event],
    liveState,
    needsChain,
    mode,
    ...(selector ? { selector } : {}),
    ...(text ? { text } : {}),
    ...(url ? { url } : {}),
    ...(name ? { name } : {}),
    ...(href ? { href } : {}),
    matchChain,
    matchName: (n) => !name || (typeof n === 'string' && name.test(n)),
    matchUrl: (u) => !url || (typeof u === 'string' && url.test(u)),
    matchText: (t) => !text || text.test(t),
    matchHref: (h) => !href || (h !== null && href.test(h)),
  };
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The `href` of the nearest `a[href]` at or above chain[from], walking outwards like
 * closest('a[href]') does (continuing at shadow hosts). No such link: the condition fails.
 */
function hrefInChain(chain: ChainElement[], from: number, test: StringTest): Tri {
  for (let i = from; i < chain.length; i++) {
    const e = chain[i];
    if (e.tag !== 'a') continue;
    if (hasOwn.call(e.attrs, 'href')) {
      if (e.trunc?.includes('href')) return U;
      return test(e.attrs.href) ? T : F;
    }
    // href beyond the per-element attribute cap: present, value unknown (or maybe present)
    if (chainAttrPresence(e, 'href') !== F) return U;
  }
  // the nearest link may be an ancestor beyond a cut chain
  return chainIsComplete(chain) ? F : U;
}

export type ValidateResult = { ok: true } | { ok: false; message: string; path: string; position?: number };

/** Validate a definition's rules for the API's 400 responses. */
export function validateRules(rules: unknown): ValidateResult {
  if (!Array.isArray(rules)) return { ok: false, message: 'rules must be an array', path: 'rules' };
  if (rules.length === 0) return { ok: false, message: 'a definition needs at least one rule', path: 'rules' };
  if (rules.length > 100) return { ok: false, message: 'at most 100 rules', path: 'rules' };
  for (let i = 0; i < rules.length; i++) {
    const r = tryCompileRule(rules[i]);
    if (!r.ok) {
      const path = r.error.path ? `rules[${i}].${r.error.path}` : `rules[${i}]`;
      return {
        ok: false,
        message: `${path}: ${r.error.message}`,
        path,
        ...(r.error.position !== undefined ? { position: r.error.position } : {}),
      };
    }
  }
  return { ok: true };
}

/** did the recorder capture live state for this chain (ChainElement.state on the target)? */
export function hasLiveState(chain: ChainElement[] | null | undefined): boolean {
  return !!chain && chain.length > 0 && chain[0].state !== undefined && chainIsComplete(chain);
}

