// Least-recently-used eviction for the replay cache, as a pure function so it is table-tested
// without IndexedDB (replay-cache.ts applies the plan).

export interface CacheEntry {
  key: string;
  /** approximate size (JSON text length) */
  bytes: number;
  /** last read or write, epoch ms */
  usedAt: number;
}

/**
 * Keys to delete so the total size fits in maxBytes, least recently used first (ties: the larger
 * entry first, then by key, so the plan is deterministic). Keys in `keep` (what the page is
 * showing right now) are never chosen, even when they alone exceed the budget.
 */
export function planEviction(entries: readonly CacheEntry[], maxBytes: number, keep: ReadonlySet<string> = new Set()): string[] {
  let total = 0;
  for (const e of entries) total += Math.max(0, e.bytes);
  if (total <= maxBytes) return [];
  const victims = entries
    .filter((e) => !keep.has(e.key))
    .sort((a, b) => a.usedAt - b.usedAt || b.bytes - a.bytes || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const out: string[] = [];
  for (const e of victims) {
    if (total <= maxBytes) break;
    out.push(e.key);
    total -= Math.max(0, e.bytes);
  }
  return out;
}
