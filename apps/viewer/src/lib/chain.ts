import type { ChainElement } from '@hindsight/schema';

// Elements people click "through": the meaningful thing is the interactive ancestor
// (a click on the <svg> inside `button.add-to-cart` is a click on that button).
const INTERACTIVE = new Set(['a', 'button', 'input', 'select', 'textarea', 'label', 'summary', 'option', 'form']);
const INTERACTIVE_ROLES = new Set(['button', 'link', 'tab', 'menuitem', 'checkbox', 'radio', 'switch', 'option']);
/** how far up we look for an interactive ancestor before describing the target itself */
const MAX_CLIMB = 4;
const MAX_CLASSES = 3;
const MAX_TEXT = 40;

function isInteractive(el: ChainElement): boolean {
  if (INTERACTIVE.has(el.tag.toLowerCase())) return true;
  const role = el.attrs.role;
  return role !== undefined && INTERACTIVE_ROLES.has(role);
}

/** Escapes a CSS identifier (a small CSS.escape that also works outside the browser). */
export function cssIdent(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (/[a-zA-Z_\-]/.test(ch) || code >= 0x80 || (/[0-9]/.test(ch) && i > 0 && !(i === 1 && s[0] === '-'))) {
      out += ch;
    } else if (/[0-9]/.test(ch)) {
      out += `\\${code.toString(16)} `;
    } else {
      out += `\\${ch}`;
    }
  }
  return out;
}

function quoteAttr(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `tag#id.c1.c2[data-testid="x"]` for one chain element. */
export function describeElement(el: ChainElement): string {
  const tag = el.tag;
  let s = tag;
  const id = el.attrs.id;
  if (id) s += `#${cssIdent(id)}`;
  const classes = (el.attrs.class ?? '').split(/\s+/).filter(Boolean);
  for (const c of classes.slice(0, MAX_CLASSES)) s += `.${cssIdent(c)}`;
  // data-testid only when nothing else names the element (keeps labels short)
  const testid = el.attrs['data-testid'];
  if (testid && !id && classes.length === 0) s += `[data-testid=${quoteAttr(testid)}]`;
  const lower = tag.toLowerCase();
  if ((lower === 'input' || lower === 'select' || lower === 'textarea') && !id) {
    if (el.attrs.name) s += `[name=${quoteAttr(el.attrs.name)}]`;
    else if (lower === 'input' && el.attrs.type) s += `[type=${quoteAttr(el.attrs.type)}]`;
  }
  return s;
}

export function shortText(text: string | undefined, max = MAX_TEXT): string {
  const t = (text ?? '').replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  return `${t.slice(0, max - 1)}…`;
}

/**
 * A readable label for an element event, e.g. `button.btn.primary "Pay now"`.
 * When the target sits inside an interactive element (svg in a button, span in a link), the
 * interactive ancestor is described and the target is appended (`button.add "Add to cart" › svg`).
 */
export function describeChain(chain: ChainElement[] | undefined | null): string {
  if (!chain || chain.length === 0) return '(unknown element)';
  const target = chain[0];
  let subject = 0;
  if (!isInteractive(target)) {
    for (let i = 1; i < chain.length && i <= MAX_CLIMB; i++) {
      if (isInteractive(chain[i])) {
        subject = i;
        break;
      }
    }
  }
  const el = chain[subject];
  let s = describeElement(el);
  const tag = el.tag.toLowerCase();
  // never show typed values; inputs get their placeholder/label-ish hints instead of text
  // (masked/cut attributes are listed in `trunc`; their stored value is not worth showing)
  const attr = (name: string) => (el.trunc?.includes(name) ? undefined : el.attrs[name]);
  const text =
    tag === 'input' || tag === 'textarea' || tag === 'select'
      ? shortText(attr('placeholder') ?? attr('aria-label') ?? '')
      : tag === 'form' // a form's text is every label in it: noise
        ? ''
        : shortText(el.text ?? attr('aria-label') ?? attr('title') ?? '');
  if (text) s += ` ${quoteAttr(text)}`;
  if (subject > 0) s += ` › ${target.tag}`;
  return s;
}

/**
 * A starting selector for "define an event from this element": the element people mean
 * (interactive ancestor of the target), by data-testid, id, or tag + classes.
 */
export function suggestSelector(chain: ChainElement[] | undefined | null): string {
  if (!chain || chain.length === 0) return '';
  let el = chain[0];
  if (!isInteractive(el)) {
    for (let i = 1; i < chain.length && i <= MAX_CLIMB; i++) {
      if (isInteractive(chain[i])) {
        el = chain[i];
        break;
      }
    }
  }
  // a masked or cut value is not what the live page had, so a selector on it would match nothing
  const live = (name: string) => (el.trunc?.includes(name) ? undefined : el.attrs[name]);
  const testid = live('data-testid');
  if (testid) return `[data-testid=${quoteAttr(testid)}]`;
  const id = live('id');
  if (id) return `${el.tag}#${cssIdent(id)}`;
  const classes = (live('class') ?? '').split(/\s+/).filter(Boolean).slice(0, MAX_CLASSES);
  return el.tag + classes.map((c) => `.${cssIdent(c)}`).join('');
}
