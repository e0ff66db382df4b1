import type { RetentionCohort } from '../api';

/**
 * Retention curve: for each period k, the share of users who returned in period k, over the
 * cohorts whose period k has started by `now` (a cohort cannot have returned in its future yet, so
 * counting it would drag recent periods down). null where no cohort has reached period k.
 */
export function retentionCurve(cohorts: RetentionCohort[], sizeMs: number, now: number): (number | null)[] {
  const periods = cohorts[0]?.returned.length ?? 0;
  const out: (number | null)[] = [];
  for (let k = 0; k < periods; k++) {
    let users = 0;
    let returned = 0;
    for (const c of cohorts) {
      if (c.t + k * sizeMs > now) continue;
      users += c.users;
      returned += c.returned[k];
    }
    out.push(users > 0 ? returned / users : null);
  }
  return out;
}

/** did / didNot per period (null when either side is unknown or the rest retained nobody) */
export function retentionRatio(did: (number | null)[], didNot: (number | null)[]): (number | null)[] {
  return did.map((d, k) => {
    const n = didNot[k];
    return d === null || n === null || n === undefined || n === 0 ? null : d / n;
  });
}
