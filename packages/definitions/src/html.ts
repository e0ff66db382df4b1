// HTML facts the matcher needs to reproduce what a browser's `Element.matches()` does.
// Shared by the chain matcher and the replay (css-select) path so both agree.

/**
 * Attributes whose values selectors compare ASCII case-insensitively on HTML elements in HTML
 * documents (unless the selector has an `s` flag).
 * @see https://html.spec.whatwg.org/multipage/semantics-other.html#case-sensitivity-of-selectors
 */
export const CASE_INSENSITIVE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'accept', 'accept-charset', 'align', 'alink', 'axis', 'bgcolor', 'charset', 'checked', 'clear',
  'codetype', 'color', 'compact', 'declare', 'defer', 'dir', 'direction', 'disabled', 'enctype',
  'face', 'frame', 'hreflang', 'http-equiv', 'lang', 'language', 'link', 'media', 'method',
  'multiple', 'nohref', 'noresize', 'noshade', 'nowrap', 'readonly', 'rel', 'rev', 'rules',
  'scope', 'scrolling', 'selected', 'shape', 'target', 'text', 'type', 'valign', 'valuetype',
  'vlink',
]);

/**
 * ASCII-only lower-casing. CSS "ASCII case-insensitive" must not fold non-ASCII letters
 * (`'İ'.toLowerCase()` changes length), so String#toLowerCase is not the right tool.
 */
export function asciiLower(s: string): string {
  // fast path: most names are already lower case
  if (!/[A-Z]/.test(s)) return s;
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/** CSS/HTML whitespace for class token splitting (not JS \s: NBSP is part of a class name). */
export const HTML_WHITESPACE = /[ \t\n\f\r]+/;

export function classTokens(value: string): string[] {
  return value.split(HTML_WHITESPACE).filter((t) => t.length > 0);
}

/**
 * The text the `text` condition tests: whitespace collapsed to single spaces, trimmed.
 * JS `\s` (incl. NBSP) on purpose: `Pay&nbsp;now` reads as "Pay now" to the analyst typing it.
 * The recorder must use the same function (it is tiny and dependency-free).
 */
export function collapseText(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * rrweb serializes every tag name lower-cased (`getValidTagName`); the replay DOM restores the
 * camel case the HTML parser gives SVG elements so it reads like the recorder's chains
 * (`localName`). Matching does not depend on it: Chromium compares type selectors ASCII
 * case-insensitively for SVG elements too (`clippath` matches <clipPath>, checked in 156).
 * @see https://html.spec.whatwg.org/multipage/parsing.html#adjust-svg-attributes (tag table)
 */
const SVG_CAMEL_TAGS = [
  'altGlyph', 'altGlyphDef', 'altGlyphItem', 'animateColor', 'animateMotion', 'animateTransform',
  'clipPath', 'feBlend', 'feColorMatrix', 'feComponentTransfer', 'feComposite', 'feConvolveMatrix',
  'feDiffuseLighting', 'feDisplacementMap', 'feDistantLight', 'feDropShadow', 'feFlood', 'feFuncA',
  'feFuncB', 'feFuncG', 'feFuncR', 'feGaussianBlur', 'feImage', 'feMerge', 'feMergeNode',
  'feMorphology', 'feOffset', 'fePointLight', 'feSpecularLighting', 'feSpotLight', 'feTile',
  'feTurbulence', 'foreignObject', 'glyphRef', 'linearGradient', 'radialGradient', 'textPath',
];
const SVG_TAG_CASE = new Map(SVG_CAMEL_TAGS.map((t) => [t.toLowerCase(), t]));

export function svgTagName(lower: string): string {
  return SVG_TAG_CASE.get(lower) ?? lower;
}

/** Serialize a CSS identifier (like `CSS.escape`, which Node lacks) for describeChain. */
export function cssEscapeIdent(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (code === 0) out += '\uFFFD';
    else if ((code >= 1 && code <= 0x1f) || code === 0x7f) out += '\\' + code.toString(16) + ' ';
    else if (i === 0 && code >= 0x30 && code <= 0x39) out += '\\' + code.toString(16) + ' ';
    else if (i === 1 && code >= 0x30 && code <= 0x39 && s[0] === '-') out += '\\' + code.toString(16) + ' ';
    else if (i === 0 && ch === '-' && s.length === 1) out += '\\-';
    else if (code >= 0x80 || ch === '-' || ch === '_' || /[0-9A-Za-z]/.test(ch)) out += ch;
    else out += '\\' + ch;
  }
  return out;
}
