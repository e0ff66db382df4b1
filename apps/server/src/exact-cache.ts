// Results of the exact replay path, per (rule, session). Rebuilding a session's DOM is the
// expensive part of matching, so a result is reused while the session's candidate events are
// unchanged; a session that gains events (a late batch) or a new session is evaluated anew —
// the incremental part. Only complete answers are kept: when an event's replay position lies past
// the stored replay (its chunks have not arrived yet), the session is evaluated again next time.
import { createHash } from 'node:crypto';

export class ExactCache {
  private readonly map = new Map<string, { sig: string; ids: string[] }>();
  constructor(private readonly max = 20_000) {}

  static key(projectId: string, ruleKey: string, sessionId: string): string {
    return createHash('sha256').update(projectId).update('\0').update(ruleKey).update('\0').update(sessionId).digest('base64url');
  }

  static signature(eventIds: string[]): string {
    const h = createHash('sha256');
    for (const id of [...eventIds].sort()) h.update(id).update(',');
    return h.digest('base64url');
  }

  get(key: string, sig: string): string[] | undefined {
    const hit = this.map.get(key);
    if (!hit || hit.sig !== sig) return undefined;
    // least-recently-used order: re-insert on every hit
    this.map.delete(key);
    this.map.set(key, hit);
    return hit.ids;
  }

  set(key: string, sig: string, ids: string[]): void {
    this.map.delete(key);
    this.map.set(key, { sig, ids });
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }

  get size(): number {
    return this.map.size;
  }
}
