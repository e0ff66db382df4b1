// Stable identity of an element chain. The store keeps each distinct chain once under this hash,
// and the definitions engine matches selectors over distinct chains, so the hash must not depend
// on key order (recorders may serialise attrs in any order) and must be identical in every process.
import { createHash } from 'node:crypto';
import type { ChainElement } from '@hindsight/schema';

/** JSON with object keys sorted recursively; `undefined` members dropped like JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  }
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(obj).sort()) {
    const v = obj[key];
    if (v === undefined || typeof v === 'function') continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/** Hex of the first 16 bytes of sha256(canonical JSON); '' when there is no chain. */
export function chainHash(chain: ChainElement[] | undefined | null): string {
  if (!chain || chain.length === 0) return '';
  return createHash('sha256').update(canonicalJson(chain)).digest('hex').slice(0, 32);
}
