// String conditions (text, url, name, href). Regexes use RE2 semantics everywhere (re2js here,
// RE2 inside DuckDB/ClickHouse), so a pattern means the same thing in every store and none
// can backtrack catastrophically: `(a+)+$` on a long input is linear time.

import { RE2JS } from 're2js';
import type { StringCond } from '@hindsight/schema';
import { F, T, U, type Tri } from './selector/tri.js';

export type StringTest = (s: string) => boolean;

export type CondResult =
  | { ok: true; test: StringTest; cond: StringCond }
  | { ok: false; message: string; position?: number };

/** Longest accepted pattern/value; keeps compiled programs (and SQL) small. */
export const MAX_COND_LENGTH = 2048;

export function compileStringCond(cond: unknown): CondResult {
  if (typeof cond === 'string') cond = { op: 'exact', value: cond };
  if (cond === null || typeof cond !== 'object') return { ok: false, message: 'must be {op, value}' };
  const { op, value } = cond as { op?: unknown; value?: unknown };
  if (op !== 'exact' && op !== 'contains' && op !== 'regex') {
    return { ok: false, message: `op must be exact, contains or regex (got ${JSON.stringify(op)})` };
  }
  if (typeof value !== 'string') return { ok: false, message: 'value must be a string' };
  if (value.length > MAX_COND_LENGTH) return { ok: false, message: `value longer than ${MAX_COND_LENGTH} characters` };
  const c: StringCond = { op, value };
  if (op === 'exact') return { ok: true, cond: c, test: (s) => s === value };
  if (op === 'contains') return { ok: true, cond: c, test: (s) => s.includes(value) };
  const re = compileRegex(value);
  if (!re.ok) return re;
  const r = re.re;
  return { ok: true, cond: c, test: (s) => r.test(s) };
}

export function compileRegex(
  pattern: string,
): { ok: true; re: RE2JS } | { ok: false; message: string; position?: number } {
  try {
    return { ok: true, re: RE2JS.compile(pattern) };
  } catch (e) {
    const err = e as { error?: string; input?: string | null; message?: string };
    const fragment = typeof err.input === 'string' ? err.input : null;
    const at = fragment ? pattern.indexOf(fragment) : -1;
    const what = err.error ?? err.message ?? 'invalid regular expression';
    return {
      ok: false,
      message: `invalid regular expression (RE2 syntax): ${what}${fragment ? ` at '${fragment}'` : ''}`,
      ...(at >= 0 ? { position: at } : {}),
    };
  }
}

/**
 * A text condition against stored chain text, which may be a prefix (`textTrunc`): answer only
 * what the prefix proves. The prefix is the first LIMITS.text characters of the collapsed text.
 */
export function testTruncatedText(cond: StringCond, test: StringTest, text: string, truncated: boolean): Tri {
  if (!truncated) return test(text) ? T : F;
  if (cond.op === 'contains') return text.includes(cond.value) ? T : U;
  if (cond.op === 'exact') {
    // the full text is longer than and starts with the stored prefix (modulo the trailing space
    // the cut may have trimmed)
    const prefix = text.trimEnd();
    return cond.value.length > prefix.length && cond.value.startsWith(prefix) ? U : F;
  }
  return U;
}
