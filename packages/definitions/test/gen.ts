// Random DOM trees and selector grammars shared by the differential tests.

import fc from 'fast-check';
import { createReplayMatcher } from '../src/index.js';
import type { RNode } from '../src/replay/dom.js';
import { Ids, allElements, doc, h, startEvents, t, type SNode } from './helpers.js';

// ---------------------------------------------------------------- random trees

export const HTML_TAGS = ['div', 'span', 'a', 'button', 'li', 'p', 'my-el'];
export const SVG_TAGS = ['g', 'rect', 'clippath', 'path'];
export const CLASSES = ['a', 'b', 'A', 'btn', 'btn-primary', 'md:flex', 'w-1/2'];
export const ATTR_VALUES = ['', 'x', 'X', 'x-y', 'x y', 'en', 'EN-us', 'submit', 'Submit', '1'];

export interface Spec {
  tag: number;
  id: number;
  classes: number[];
  sep: number;
  attrs: [number, number][];
  text: number;
  shadow: boolean;
  kids: Spec[];
}

// explicit depth instead of fc.letrec: bounded trees (≤ 4 levels below <body>)
export function specAt(depth: number): fc.Arbitrary<Spec> {
  return fc.record({
    tag: fc.nat(HTML_TAGS.length + SVG_TAGS.length),
    id: fc.nat(5),
    classes: fc.array(fc.nat(CLASSES.length - 1), { maxLength: 3 }),
    sep: fc.nat(2),
    attrs: fc.array(fc.tuple(fc.nat(4), fc.nat(ATTR_VALUES.length - 1)), { maxLength: 2 }),
    text: fc.nat(3),
    shadow: fc.boolean(),
    kids: depth === 0 ? fc.constant([]) : fc.array(specAt(depth - 1), { maxLength: depth >= 3 ? 2 : 3 }),
  });
}
export const specArb = specAt(4);

export const ATTR_NAMES_HTML = ['type', 'data-k', 'lang', 'title', 'dir'];

export function toSNode(ids: Ids, s: Spec, inSvg: boolean, isShadow: boolean): SNode {
  // the tag index doubles as "enter an <svg>" when it lands past the HTML tags
  const svgStart = !inSvg && s.tag >= HTML_TAGS.length;
  const svg = inSvg || svgStart;
  const tag = svgStart ? 'svg' : svg ? SVG_TAGS[s.tag % SVG_TAGS.length] : HTML_TAGS[s.tag % HTML_TAGS.length];
  const attributes: Record<string, string> = {};
  if (s.id > 0) attributes.id = ['x', 'y', 'X', 'x y', 'cp'][s.id - 1];
  if (s.classes.length) attributes.class = s.classes.map((c) => CLASSES[c]).join([' ', '  ', '\t'][s.sep]);
  for (const [n, v] of s.attrs) {
    const name = svg ? ['viewBox', 'width', 'type', 'lang', 'data-k'][n] : ATTR_NAMES_HTML[n];
    attributes[name] = ATTR_VALUES[v];
  }
  // attachShadow() only works on some elements (not a, button, li)
  const host = !svg && s.shadow && s.kids.length > 0 && ['div', 'span', 'p', 'my-el'].includes(tag);
  const kids: SNode[] = [];
  if (s.text === 1) kids.push(t(ids, ' hi  there '));
  s.kids.forEach((k, i) => kids.push(toSNode(ids, k, svg, host && i % 2 === 0)));
  return h(ids, tag, attributes, kids, { ...(svg ? { isSVG: true } : {}), ...(host ? { isShadowHost: true } : {}), ...(isShadow ? { isShadow: true } : {}) });
}

export function specDocument(spec: Spec): SNode {
  const ids = new Ids();
  const body = h(ids, 'body', {}, [toSNode(ids, spec, false, false)]);
  return doc(ids, h(ids, 'html', {}, [body]));
}

export function buildTree(spec: Spec): RNode[] {
  const document = specDocument(spec);
  const m = createReplayMatcher(startEvents(document)).at(2);
  return allElements(m.dom.document!);
}

// ---------------------------------------------------------------- random selectors

export const tagSel = fc.constantFrom('div', 'DIV', 'span', 'a', 'li', 'p', 'my-el', 'MY-EL', 'svg', 'SVG', 'g', 'rect', 'clipPath', 'clippath', 'path', 'body', 'html', '*');
export const classSel = fc.constantFrom('.a', '.b', '.A', '.btn', '.btn-primary', '.md\\:flex', '.w-1\\/2', '#x', '#X', '#cp', '#y');
export const attrName = fc.constantFrom('type', 'TYPE', 'data-k', 'lang', 'title', 'dir', 'viewBox', 'viewbox', 'width', 'id', 'class');
export const attrSel = fc
  .tuple(attrName, fc.constantFrom('', '=', '~=', '|=', '^=', '$=', '*='), fc.constantFrom(...ATTR_VALUES, 'x-', 'A', 'a', 'btn', 'pri'), fc.constantFrom('', ' i', ' I'))
  .map(([n, op, v, f]) => (op === '' ? `[${n}]` : `[${n}${op}"${v}"${f}]`));
export const nthSel = fc.constantFrom(
  ':first-child', ':last-child', ':only-child', ':first-of-type', ':last-of-type', ':only-of-type',
  ':nth-child(2)', ':nth-child(2n+1)', ':nth-child(-n+2)', ':nth-last-child(odd)', ':nth-of-type(even)',
  ':nth-last-of-type(1)', ':nth-child(3n)', ':visited',
);

export const compoundArb = fc
  .tuple(fc.option(tagSel, { nil: undefined }), fc.array(fc.oneof(classSel, attrSel, nthSel), { maxLength: 2 }))
  .map(([tag, rest]) => (tag ?? '') + rest.join('') || '*');

export const complexArb = fc
  .array(fc.tuple(compoundArb, fc.constantFrom(' ', ' > ')), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.map(([c, comb], i) => (i === 0 ? c : comb + c)).join(''));

export function selectorAt(depth: number): fc.Arbitrary<string> {
  if (depth === 0) return complexArb;
  const inner = selectorAt(depth - 1);
  return fc.oneof(
    complexArb,
    complexArb,
    fc.tuple(compoundArb, fc.constantFrom(':not', ':is', ':where'), inner).map(([c, p, i]) => `${c === '*' ? '' : c}${p}(${i})`),
    fc.tuple(inner, complexArb).map(([a, b]) => `${a}, ${b}`),
  );
}
export const selectorArb = selectorAt(2);

// selectors mixing in parts only the DOM can decide
export const domBit = fc.constantFrom(
  ':has(> .a)',
  ':has(.b)',
  ':has(span)',
  ':empty',
  ':not(:empty)',
  ':nth-child(1 of .a)',
  ':nth-last-child(2 of div)',
  ':root',
  ':not(:has(*))',
  // with a combinator: the first compound lies strictly below the subject, even when the subject matches it
  ':has(.a .b)',
  ':has(.a > span)',
  ':has(div span, .a)',
  ':has(~ .b span)',
  ':has(:is(.a) > .b)',
);
export const domCompound = fc.tuple(compoundArb, fc.option(domBit, { nil: undefined })).map(([c, d]) => (c === '*' && d ? d : c + (d ?? '')));
export const domSelectorArb = fc
  .array(fc.tuple(domCompound, fc.constantFrom(' ', ' > ', ' + ', ' ~ ')), { minLength: 1, maxLength: 3 })
  .chain((parts) =>
    fc.tuple(fc.constant(parts.map(([c, comb], i) => (i === 0 ? c : comb + c)).join('')), fc.option(complexArb, { nil: undefined })),
  )
  .map(([a, b]) => (b ? `${a}, ${b}` : a));

