import type { Rule, StringCond, StringOp } from '@hindsight/schema';

/** The rule editor's editable state: every field a plain string, empty meaning "not set". */
export interface RuleDraft {
  event: string;
  selector: string;
  textOp: StringOp;
  text: string;
  urlOp: StringOp;
  url: string;
  nameOp: StringOp;
  name: string;
}

export const emptyDraft = (): RuleDraft => ({
  event: 'click',
  selector: '',
  textOp: 'contains',
  text: '',
  urlOp: 'contains',
  url: '',
  nameOp: 'exact',
  name: '',
});

export function draftToRule(d: RuleDraft): Rule {
  const r: Rule = { event: d.event };
  if (d.selector.trim()) r.selector = d.selector.trim();
  if (d.text !== '') r.text = { op: d.textOp, value: d.text };
  if (d.url !== '') r.url = { op: d.urlOp, value: d.url };
  if (d.name !== '') r.name = { op: d.nameOp, value: d.name };
  return r;
}

export function ruleToDraft(r: Rule): RuleDraft {
  const d = emptyDraft();
  d.event = r.event;
  d.selector = r.selector ?? '';
  if (r.text) [d.textOp, d.text] = [r.text.op, r.text.value];
  if (r.url) [d.urlOp, d.url] = [r.url.op, r.url.value];
  if (typeof r.name === 'string') [d.nameOp, d.name] = ['exact', r.name];
  else if (r.name) [d.nameOp, d.name] = [r.name.op, r.name.value];
  return d;
}

function cond(label: string, c: StringCond | string | undefined): string | null {
  if (c === undefined) return null;
  if (typeof c === 'string') return `${label} = "${c}"`;
  const op = c.op === 'exact' ? '=' : c.op === 'contains' ? 'contains' : '~';
  return `${label} ${op} ${c.op === 'regex' ? `/${c.value}/` : `"${c.value}"`}`;
}

/** `click on button.checkout · text contains "Pay" · url ~ /cart$/` */
export function summarizeRule(r: Rule): string {
  const parts = [r.selector ? `${r.event} on ${r.selector}` : r.event];
  for (const p of [cond('text', r.text), cond('url', r.url), cond('name', r.name), cond('href', r.href)]) if (p) parts.push(p);
  return parts.join(' · ');
}

export function summarizeRules(rules: Rule[]): string {
  return rules.map(summarizeRule).join('  or  ');
}
