// Small questions about css-what selector tokens, shared by the parser, the chain compiler and
// the replay adapter.
import { SelectorType, type Selector } from 'css-what';

/** A combinator token (descendant, child, sibling, ...) rather than part of a compound. */
export function isTraversal(t: Selector): boolean {
  return (
    t.type === SelectorType.Descendant || t.type === SelectorType.Child || t.type === SelectorType.Adjacent || t.type === SelectorType.Sibling ||
    t.type === SelectorType.Parent || t.type === SelectorType.ColumnCombinator
  );
}

/** Whether any of `names` appears as a pseudo-class in `list`, at any depth of nested lists. */
export function mentionsPseudo(list: Selector[][], names: ReadonlySet<string>): boolean {
  return list.some((c) => c.some((t) => t.type === SelectorType.Pseudo && (names.has(t.name) || (Array.isArray(t.data) && mentionsPseudo(t.data, names)))));
}
