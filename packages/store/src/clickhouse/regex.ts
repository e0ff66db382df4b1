// Makes a user's RE2 pattern behave the same in ClickHouse as in DuckDB and re2js.
//
// 1. ClickHouse compiles match() patterns with dot_nl on; RE2's default (and JS's) is off.
// 2. ClickHouse's OptimizedRegularExpression (at least 18.16) pulls a required literal out of the
//    pattern to prefilter rows, and ignores a leading `(?i)` while doing so:
//    match('Signed Up', '(?i)^signed') = 0. Inside a group it gives up on the literal.
// Wrapping as `(?-s:PATTERN)` fixes both. The wrapper must not change the pattern's structure,
// so a pattern whose parentheses close below depth 0 (`a)|(b` would become a valid, different
// regex) is rejected, as RE2 itself would reject it.
import { StoreError } from '../types.js';

/** true when every `)` closes a `(` of the pattern itself (escapes, classes and \Q..\E respected) */
export function parensBalanced(pattern: string): boolean {
  let depth = 0;
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i];
    if (ch === '\\') {
      if (pattern[i + 1] === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        if (end < 0) return depth === 0; // quoted to the end: no more structure
        i = end + 2;
        continue;
      }
      i += 2;
      continue;
    }
    if (ch === '[') {
      // a class: `]` right after `[` or `[^` is a literal member
      i++;
      if (pattern[i] === '^') i++;
      if (pattern[i] === ']') i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
    i++;
  }
  return depth === 0;
}

export function clickhouseRegex(pattern: string): string {
  if (!parensBalanced(pattern)) throw new StoreError('bad_input', `invalid regular expression: unbalanced parentheses in ${JSON.stringify(pattern)}`);
  return `(?-s:${pattern})`;
}
