// Nesting depth of JSON values, shared by the zod schema and the fast batch check.

/** levels of objects/arrays in v (0 for a scalar), counted up to `cap + 1` at most */
export function depthOf(v: unknown, cap: number): number {
  if (v === null || typeof v !== 'object') return 0;
  if (cap < 0) return 1;
  let max = 0;
  for (const c of Array.isArray(v) ? v : Object.values(v)) {
    if (c !== null && typeof c === 'object') max = Math.max(max, depthOf(c, cap - 1));
    if (max > cap) break;
  }
  return 1 + max;
}

