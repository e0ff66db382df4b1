// Event-name conventions of the tracking plan (snake_case or Title Case). Pure and dependency-free:
// the server enforces them on save and the viewer checks (and fixes) names before saving, so both
// must agree exactly; that is why there is one module.
import type { NamingConvention } from '@hindsight/schema';

export const NAMING_CONVENTION_LABELS: Record<NamingConvention, string> = {
  none: 'None',
  snake_case: 'snake_case',
  title_case: 'Title Case',
};

const EXAMPLES: Record<Exclude<NamingConvention, 'none'>, string> = {
  snake_case: 'checkout_started',
  title_case: 'Checkout Started',
};

// Unicode-aware so "Grüße senden" and CJK names are words too. Letters without case (CJK \p{Lo},
// modifier letters \p{Lm} such as "ʼ", capitals with no small form such as "ϒ") count as either
// case: snake_case is letters and digits that lower-casing leaves as they are.
const SNAKE_SHAPE = /^[\p{L}\p{N}]+(?:_[\p{L}\p{N}]+)*$/u;
// \p{Lm}: upper-casing a few letters yields a modifier first ("ŉ" → "ʼN").
const TITLE = /^[\p{Lu}\p{Lt}\p{Lo}\p{Lm}\p{N}][\p{L}\p{N}]*(?: [\p{Lu}\p{Lt}\p{Lo}\p{Lm}\p{N}][\p{L}\p{N}]*)*$/u;

/**
 * The words of a name, case kept: splits on anything that is not a letter or digit and at
 * camelCase / acronym boundaries ("addToCart" → add To Cart, "HTMLParser" → HTML Parser, but
 * "3D" stays one word).
 * Apostrophes vanish instead of splitting ("Don't" → Dont).
 */
export function nameWords(name: string): string[] {
  return name
    .replace(/['’]/g, '')
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{N})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** lower-casing may add combining marks (e.g. "İ" → "i̇"); keep letters and digits only */
const clean = (w: string): string => w.replace(/[^\p{L}\p{N}]+/gu, '');

export function toSnakeCase(name: string): string {
  return nameWords(name)
    .map((w) => clean(w.toLowerCase()))
    .filter(Boolean)
    .join('_');
}

export function toTitleCase(name: string): string {
  return nameWords(name)
    .map((w) => {
      // an all-caps word of 2+ letters is an acronym (SKU, URL): keep it
      if (w.length > 1 && w === w.toUpperCase() && w !== w.toLowerCase()) return w;
      return clean(w.charAt(0).toUpperCase() + w.slice(1).toLowerCase());
    })
    .filter(Boolean)
    .join(' ');
}

export function conformsTo(name: string, convention: NamingConvention): boolean {
  if (convention === 'none') return true;
  return convention === 'snake_case' ? SNAKE_SHAPE.test(name) && name === name.toLowerCase() : TITLE.test(name);
}

/** The name rewritten to the convention ('' when the name has no letters or digits). */
export function fixName(name: string, convention: NamingConvention): string {
  if (convention === 'none') return name;
  return convention === 'snake_case' ? toSnakeCase(name) : toTitleCase(name);
}

export type NameCheck = { ok: true } | { ok: false; message: string; suggestion: string | null };

/** Whether `name` follows the convention; if not, a readable message and the fixed name. */
export function checkName(name: string, convention: NamingConvention): NameCheck {
  const trimmed = name.trim();
  if (conformsTo(trimmed, convention)) return { ok: true };
  const c = convention as Exclude<NamingConvention, 'none'>;
  const fixed = fixName(trimmed, c);
  const suggestion = fixed && conformsTo(fixed, c) ? fixed : null;
  const rule = `this project names events in ${NAMING_CONVENTION_LABELS[c]} (like "${EXAMPLES[c]}")`;
  const message = suggestion
    ? `"${trimmed}" does not follow the naming convention: ${rule}. Use "${suggestion}".`
    : `"${trimmed}" does not follow the naming convention: ${rule}; it needs letters or digits.`;
  return { ok: false, message, suggestion };
}
