// Selector suggestions for "define from replay": the analyst picks an element in the rebuilt
// replay document and we propose selectors that will match the same element on the *live* page,
// most robust first. Pure: takes any Element-shaped object, so tests need no DOM.
import { cssIdent } from './chain';

/** The part of `Element` we read (a real DOM Element satisfies it). */
export interface ElementLike {
  readonly localName: string;
  getAttribute(name: string): string | null;
  readonly parentElement: ElementLike | null;
  readonly children: ArrayLike<ElementLike>;
  /** in document order; only read for `data-*` narrowing */
  readonly attributes?: ArrayLike<{ name: string; value: string }>;
}

export type SuggestionKind = 'testid' | 'attribute' | 'id' | 'name' | 'aria-label' | 'class' | 'path';

export interface Suggestion {
  selector: string;
  kind: SuggestionKind;
}

export interface SuggestOptions {
  /** identifier escaping; defaults to `CSS.escape` in browsers, a compatible fallback elsewhere */
  escape?: (s: string) => string;
}

/** Attributes test suites put on elements on purpose: the most stable hooks a page has. */
const TEST_ATTRS = ['data-testid', 'data-test-id', 'data-test', 'data-cy', 'data-qa'];
const MAX_CLASSES = 3;
/** other `data-*` attributes offered to narrow a shared test id (`[data-testid=add][data-product=mug]`) */
const MAX_DATA_ATTRS = 2;
const MAX_DATA_VALUE = 64;
const INTERACTIVE = new Set(['a', 'button', 'input', 'select', 'textarea', 'label', 'summary', 'option']);
const INTERACTIVE_ROLES = new Set(['button', 'link', 'tab', 'menuitem', 'checkbox', 'radio', 'switch', 'option']);
/** how far up the hovered element we look for the control people mean */
const MAX_CLIMB = 4;

// Classes that describe a momentary state, not the element: a selector with them stops matching as
// soon as the menu closes or the tab changes.
const STATE_WORDS = new Set([
  'active', 'open', 'opened', 'closed', 'selected', 'focus', 'focused', 'hover', 'hovered', 'disabled',
  'enabled', 'checked', 'expanded', 'collapsed', 'visible', 'hidden', 'show', 'shown', 'current',
  'loading', 'loaded', 'pressed', 'invalid', 'valid', 'error', 'dirty', 'touched', 'pristine', 'in', 'fade',
]);

/** rrweb's own marks on the rebuilt DOM (`rr_src`, `rr-block`, the `:hover` class it emulates). */
export function isReplayArtifact(token: string): boolean {
  return /^rr[-_]/i.test(token) || token.startsWith(':') || /^rrweb/i.test(token);
}

export function isStateClass(c: string): boolean {
  const lower = c.toLowerCase();
  if (STATE_WORDS.has(lower)) return true;
  if (/^(is|has|was|not)-/.test(lower)) return true;
  if (/^mui-/.test(lower) || /^ng-(touched|untouched|valid|invalid|pristine|dirty|pending|submitted)$/.test(lower)) return true;
  // BEM / utility modifiers: `tab--active`, `menu-open`, `router-link-active`
  const last = lower.split(/--|__|-|_/).pop() ?? '';
  return lower !== last && STATE_WORDS.has(last);
}

/** Tokens a build tool or framework generated: they change with every deploy or render. */
export function looksGenerated(token: string): boolean {
  if (/^(css|sc|jsx|emotion|styled|svelte|astro|ember|tw|chakra)-/i.test(token) && /\d/.test(token)) return true;
  if (/:r[0-9a-z]*:/i.test(token)) return true; // React useId
  if (/\d{4,}/.test(token)) return true;
  if (/[0-9a-f]{8,}/i.test(token) && /\d/.test(token)) return true; // hashes, uuids
  if (/__[A-Za-z0-9_-]{5,}$/.test(token) && /\d/.test(token.split('__').pop() ?? '')) return true; // CSS modules
  if (/^_[A-Za-z0-9]{4,}/.test(token) && /\d/.test(token)) return true;
  // a run of letters and digits with several digits and no separators (`a1b2c3`, `x7kq92`)
  if (/^[A-Za-z0-9]{5,}$/.test(token) && (token.match(/\d/g)?.length ?? 0) >= 2 && /[A-Za-z]/.test(token)) return true;
  return false;
}

export function stableClasses(el: ElementLike): string[] {
  return (el.getAttribute('class') ?? '')
    .split(/\s+/)
    .filter((c) => c && !isReplayArtifact(c) && !isStateClass(c) && !looksGenerated(c));
}

function defaultEscape(s: string): string {
  const css = (globalThis as { CSS?: { escape?: (s: string) => string } }).CSS;
  return css?.escape ? css.escape(s) : cssIdent(s);
}

/** A CSS string literal: `"…"` with `\` and `"` escaped, newlines as `\a `. */
export function cssString(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\a ').replace(/\r/g, '\\d ')}"`;
}

function isInteractive(el: ElementLike): boolean {
  if (INTERACTIVE.has(el.localName.toLowerCase())) return true;
  const role = el.getAttribute('role');
  return role !== null && INTERACTIVE_ROLES.has(role);
}

/**
 * The element people mean when they point at something: the button around the hovered `<svg>`, the
 * link around a `<span>`. Rules match with `closest()`, so a selector for the button also counts
 * clicks on anything inside it.
 */
export function meaningfulElement<E extends ElementLike>(el: E): E {
  if (isInteractive(el)) return el;
  let cur = el.parentElement;
  for (let i = 0; cur && i < MAX_CLIMB; i++, cur = cur.parentElement) {
    if (isInteractive(cur)) return cur as E;
  }
  return el;
}

function sameTypeSiblings(el: ElementLike): { index: number; count: number } {
  const parent = el.parentElement;
  if (!parent) return { index: 1, count: 1 };
  let index = 0;
  let count = 0;
  for (let i = 0; i < parent.children.length; i++) {
    const c = parent.children[i];
    if (c.localName === el.localName) {
      count++;
      if (c === el) index = count;
    }
  }
  return { index: index || 1, count: Math.max(count, 1) };
}

function usableId(el: ElementLike): string | null {
  const id = el.getAttribute('id');
  return id && !/\s/.test(id) && !isReplayArtifact(id) && !looksGenerated(id) ? id : null;
}

/**
 * `tag:nth-of-type` steps from the nearest ancestor with a usable id (or from `body`): one element
 * by construction. nth-of-type rather than nth-child because rrweb rebuilds `<script>` as
 * `<noscript>`, which would shift child positions between the replay and the live page.
 */
export function structuralPath(el: ElementLike, escape: (s: string) => string = defaultEscape): string {
  const steps: string[] = [];
  let cur: ElementLike | null = el;
  while (cur) {
    const tag = cur.localName.toLowerCase();
    if (tag === 'html') {
      steps.unshift('html');
      break;
    }
    if (tag === 'body') {
      steps.unshift('body');
      break;
    }
    const id = cur !== el ? usableId(cur) : null;
    if (id) {
      steps.unshift(`#${escape(id)}`);
      break;
    }
    const { index, count } = sameTypeSiblings(cur);
    steps.unshift(count > 1 ? `${cur.localName}:nth-of-type(${index})` : cur.localName);
    cur = cur.parentElement;
  }
  return steps.join(' > ');
}

/** Selectors for `el`, most robust first, without duplicates. */
export function suggestSelectors(el: ElementLike, opts: SuggestOptions = {}): Suggestion[] {
  const escape = opts.escape ?? defaultEscape;
  const tag = el.localName;
  const out: Suggestion[] = [];
  const add = (selector: string, kind: SuggestionKind) => {
    if (!out.some((s) => s.selector === selector)) out.push({ selector, kind });
  };
  let testSel = '';
  for (const a of TEST_ATTRS) {
    const v = el.getAttribute(a);
    if (v) {
      add(`[${a}=${cssString(v)}]`, 'testid');
      testSel ||= `[${a}=${cssString(v)}]`;
    }
  }
  // a test id is often shared by every card's button; a data attribute can single one out
  if (testSel && el.attributes) {
    let n = 0;
    for (let i = 0; i < el.attributes.length && n < MAX_DATA_ATTRS; i++) {
      const { name: a, value: v } = el.attributes[i];
      if (!/^data-/.test(a) || TEST_ATTRS.includes(a) || isReplayArtifact(a.slice(5))) continue;
      if (!v || v.length > MAX_DATA_VALUE || looksGenerated(v)) continue;
      add(`${testSel}[${a}=${cssString(v)}]`, 'attribute');
      n++;
    }
  }
  const id = usableId(el);
  if (id) add(`#${escape(id)}`, 'id');
  const name = el.getAttribute('name');
  if (name) add(`${tag}[name=${cssString(name)}]`, 'name');
  const label = el.getAttribute('aria-label');
  if (label) add(`${tag}[aria-label=${cssString(label)}]`, 'aria-label');
  const classes = stableClasses(el);
  if (classes.length > 0) add(tag + classes.slice(0, MAX_CLASSES).map((c) => `.${escape(c)}`).join(''), 'class');
  add(structuralPath(el, escape), 'path');
  return out;
}
