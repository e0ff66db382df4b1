// A short, readable CSS-like label for a chain in the viewer, e.g.
// `form#checkout > button.btn.primary "Pay now"`. Not a unique selector; meant for humans.

import type { ChainElement } from '@hindsight/schema';
import { classTokens, cssEscapeIdent } from './html.js';

const MAX_CLASSES = 3;
const MAX_TEXT = 40;
/** elements worth naming as context even without an id */
const LANDMARKS = new Set(['form', 'nav', 'header', 'footer', 'main', 'aside', 'dialog', 'section', 'table', 'ul', 'ol']);

export function describeElement(e: ChainElement): string {
  let s = e.ns ? e.tag : e.tag.toLowerCase();
  const id = e.attrs.id;
  if (id) s += '#' + cssEscapeIdent(id);
  const classes = classTokens(e.attrs.class ?? '').slice(0, MAX_CLASSES);
  for (const c of classes) s += '.' + cssEscapeIdent(c);
  return s;
}

export function describeChain(chain: ChainElement[] | null | undefined): string {
  if (!chain || chain.length === 0) return '';
  let out = describeElement(chain[0]);
  // nearest ancestor with an id (or a landmark) gives the context an analyst recognizes
  for (let i = 1; i < chain.length && i < 12; i++) {
    const a = chain[i];
    if (a.tag === 'html' || a.tag === 'body') break;
    if (a.attrs.id || LANDMARKS.has(a.tag)) {
      const direct = i === 1 && chain[0].root !== 'shadow';
      out = `${describeElement(a)}${direct ? ' > ' : ' '}${out}`;
      break;
    }
  }
  const text = chain[0].text;
  if (text) {
    const t = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT - 1) + '…' : text;
    out += ` "${t.replace(/"/g, '\\"')}"`;
  }
  return out;
}
