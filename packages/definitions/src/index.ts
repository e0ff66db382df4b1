// @hindsight/definitions: selector parsing/classification, the chain matcher, safe regexes,
// and the exact replay-based matcher. Runs in Node and in browsers (no Node APIs).

export { parseSelector, MAX_SELECTOR_LENGTH, type ParseResult, type SelectorAst } from './selector/parse.js';
export { classifySelector, type SelectorClass } from './selector/classify.js';
export {
  compileChainSelector,
  closestInChain,
  chainIsComplete,
  treeParent,
  hasToken,
  type ElemTest,
} from './selector/chain.js';
export { parseNth, nthMatches, type Nth } from './selector/nth.js';
export { CHAIN_PSEUDOS, DOM_PSEUDOS, STATE_PSEUDOS } from './selector/pseudos.js';
export { F, T, U, type Tri } from './selector/tri.js';
export {
  compileStringCond,
  compileRegex,
  testTruncatedText,
  MAX_COND_LENGTH,
  type StringTest,
  type CondResult,
} from './strings.js';
export {
  compileRule,
  tryCompileRule,
  validateRules,
  RuleError,
  type CompiledRule,
  type CompiledCond,
  type CompiledSelector,
  type ChainAnswer,
  type CompileRuleResult,
  type ValidateResult,
} from './rule.js';
export { describeChain, describeElement } from './describe.js';
export { evaluateRulesExact, matchInReplay, assembleRecording, type ExactEvent } from './exact.js';
export { createReplayMatcher, type ReplayMatcher } from './replay/matcher.js';
export { ReplayDom, composedParent, textContent, isReplayOnlyAttribute, type RNode, type NodeKind } from './replay/dom.js';
export { compileDomSelector, replayAdapter, type DomTest } from './replay/adapter.js';
export { collapseText, asciiLower, cssEscapeIdent, CASE_INSENSITIVE_ATTRIBUTES } from './html.js';
export { describeRule, describeRules } from './describe-rule.js';
export { extractFromChain } from './extract.js';
export {
  checkName,
  conformsTo,
  fixName,
  nameWords,
  toSnakeCase,
  toTitleCase,
  NAMING_CONVENTION_LABELS,
  type NameCheck,
} from './naming.js';
