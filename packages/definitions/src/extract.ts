// Extracted properties: a value read from the element a definition's rule matched, decided from a
// stored chain (so it works retroactively over all history, like the matching itself).
import type { ChainElement, PropertySpec } from '@hindsight/schema';
import type { CompiledRule } from './rule.js';
import { closestInChain } from './selector/chain.js';

/**
 * The property's value for an event with this chain: from the first rule whose chain part
 * matches, on the element its selector's `closest()` found (the target without a selector); an
 * absent attribute is ''. null when no rule decides the chain (no match, or only the replay could
 * tell which element matched).
 */
export function extractFromChain(rules: CompiledRule[], prop: PropertySpec, chain: ChainElement[] | null | undefined): string | null {
  if (!chain || chain.length === 0) return null;
  for (const rule of rules) {
    if (rule.matchChain(chain) !== true) continue;
    let at = 0;
    if (rule.selector) {
      const i = closestInChain(rule.selector.chainTest, chain);
      if (typeof i !== 'number' || i < 0) continue;
      at = i;
    }
    const el = chain[at];
    return prop.text ? (el.text ?? '') : (el.attrs[prop.attr ?? ''] ?? '');
  }
  return null;
}
