// Rules in words, for the tracking plan export (Markdown/CSV read by people who never open the
// viewer): `click on "button.buy" where text contains "Pay" and URL matches /cart$/`.
import type { Rule, StringCond } from '@hindsight/schema';

const OP_WORDS: Record<StringCond['op'], string> = { exact: 'is', contains: 'contains', regex: 'matches' };

function cond(label: string, c: StringCond | string | undefined): string | null {
  if (c === undefined) return null;
  if (typeof c === 'string') return `${label} is "${c}"`;
  return `${label} ${OP_WORDS[c.op]} ${c.op === 'regex' ? `/${c.value}/` : `"${c.value}"`}`;
}

export function describeRule(r: Rule): string {
  const head = r.selector ? `${r.event} on "${r.selector}"` : `any ${r.event}`;
  const conds = [cond('text', r.text), cond('URL', r.url), cond('name', r.name), cond('link', r.href)].filter(
    (x): x is string => x !== null,
  );
  return conds.length ? `${head} where ${conds.join(' and ')}` : head;
}

/** A definition matches when any rule matches, hence "or". */
export function describeRules(rules: Rule[]): string {
  return rules.map(describeRule).join('; or ');
}
