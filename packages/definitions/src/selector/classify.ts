// Which evaluation path a (validated) selector needs.

import { SelectorType, type Selector } from 'css-what';
import { splitNthOf } from './nth.js';
import type { SelectorAst } from './parse.js';
import { CHAIN_PSEUDOS } from './pseudos.js';

export type SelectorClass = 'chain' | 'dom';

/**
 * 'chain': decidable from the stored chain (the target and its ancestors with attributes and
 * nth indices). 'dom': looks at siblings (`+`, `~`, `of S`), descendants (`:has`, `:empty`) or
 * form/document state, so the recorded DOM has to decide it.
 */
export function classifySelector(ast: SelectorAst): SelectorClass {
  return ast.every((complex) => complex.every(tokenIsChain)) ? 'chain' : 'dom';
}

function tokenIsChain(t: Selector): boolean {
  switch (t.type) {
    case SelectorType.Tag:
    case SelectorType.Universal:
    case SelectorType.Attribute:
    case SelectorType.Descendant:
    case SelectorType.Child:
      return true;
    case SelectorType.Pseudo:
      if (!CHAIN_PSEUDOS.has(t.name)) return false;
      if (Array.isArray(t.data)) return classifySelector(t.data) === 'chain';
      if ((t.name === 'nth-child' || t.name === 'nth-last-child') && typeof t.data === 'string') {
        return splitNthOf(t.data).of === null;
      }
      return true;
    default:
      return false;
  }
}
