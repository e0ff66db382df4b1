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

/**
 * Hashes by plain JSON text. Chains repeat heavily (the same button, clicked thousands of times)
 * and JSON.stringify is native, while the canonical form + sha256 cost ~3× more per event at
 * ingest. Equal text means an equal chain, so the cached hash is the same one; the same chain
 * with its keys in another order is only a miss. Bounded in characters (chains come from anyone
 * holding a write key, and one can be ~100 kB): forgetting costs one recomputation.
 */
const byText = new Map<string, string>();
const MAX_CACHED_CHARS = 8_000_000;
const MAX_CACHED_TEXT = 8_000;
let cachedChars = 0;

/** Hex of the first 16 bytes of sha256(canonical JSON); '' when there is no chain. */
export function chainHash(chain: ChainElement[] | undefined | null): string {
  if (!chain || chain.length === 0) return '';
  const text = JSON.stringify(chain);
  let hash = byText.get(text);
  if (hash === undefined) {
    hash = createHash('sha256').update(canonicalJson(chain)).digest('hex').slice(0, 32);
    if (text.length <= MAX_CACHED_TEXT) {
      if (cachedChars + text.length > MAX_CACHED_CHARS) {
        byText.clear();
        cachedChars = 0;
      }
      byText.set(text, hash);
      cachedChars += text.length;
    }
  }
  return hash;
}
