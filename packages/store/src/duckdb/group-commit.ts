// Group commit. Every append is one transaction, and a transaction has a fixed cost (staging,
// set-based inserts, the WAL write at COMMIT) that dominates small batches: with hundreds of
// recorders each sending a few events, one transaction per request caps ingest at a few hundred
// events per second. So appends that arrive while a write is running wait, and the next write
// takes all of them (per project, up to a cap) in ONE transaction. Each caller still resolves
// only after that commit, with its own inserted/duplicate counts (credited from the ids the insert
// returned, to the first caller that carried each id).
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ReplayChunk } from '@hindsight/schema';
import type { AppendResult, ProjectId, StoredEvent } from '../types.js';
import { wellFormed } from '../common/rows.js';
import { appendBatch, type KnownChains } from './append.js';

interface Pending {
  projectId: ProjectId;
  events: StoredEvent[];
  chunks: ReplayChunk[];
  resolve: (r: AppendResult) => void;
  reject: (e: unknown) => void;
}

/** events per merged transaction; bigger batches gain little and hold the writer longer */
const MAX_GROUP_EVENTS = 50_000;

export class GroupCommit {
  private pending: Pending[] = [];

  constructor(
    /** runs fn on the serialized writer connection */
    private readonly write: <T>(fn: (c: DuckDBConnection) => Promise<T>) => Promise<T>,
    private readonly known: KnownChains,
  ) {}

  append(projectId: ProjectId, events: StoredEvent[], chunks: ReplayChunk[]): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ projectId, events, chunks, resolve, reject });
      // Every append schedules one write; a write that finds its requests already taken by an
      // earlier (merged) write does nothing. A write that cannot even start (the store is closed
      // or reopening after a fatal error) fails the requests still waiting, or they would hang.
      this.write((c) => this.drain(c)).catch((e) => {
        const waiting = this.pending;
        this.pending = [];
        for (const p of waiting) p.reject(e);
      });
    });
  }

  private async drain(conn: DuckDBConnection): Promise<void> {
    if (!this.pending.length) return;
    const projectId = this.pending[0].projectId;
    const group: Pending[] = [];
    const rest: Pending[] = [];
    let size = 0;
    for (const p of this.pending) {
      if (p.projectId === projectId && (group.length === 0 || size + p.events.length <= MAX_GROUP_EVENTS)) {
        group.push(p);
        size += p.events.length;
      } else rest.push(p);
    }
    this.pending = rest;
    if (group.length === 1) return this.single(conn, group[0]);
    try {
      const r = await appendBatch(
        conn,
        projectId,
        group.flatMap((p) => p.events),
        group.flatMap((p) => p.chunks),
        this.known,
      );
      const claimed = new Set<string>();
      const claimedChunks = new Set<string>();
      for (const p of group) {
        let inserted = 0;
        for (const e of p.events) {
          const id = wellFormed(e.id); // as stored
          if (r.insertedIds.has(id) && !claimed.has(id)) {
            claimed.add(id);
            inserted++;
          }
        }
        let chunks = 0;
        for (const c of p.chunks) {
          const id = wellFormed(c.id);
          if (r.insertedChunkIds.has(id) && !claimedChunks.has(id)) {
            claimedChunks.add(id);
            chunks++;
          }
        }
        p.resolve({ inserted, duplicates: p.events.length - inserted, chunks });
      }
    } catch {
      // One bad request must not fail the others: retry each alone (the merged one rolled back).
      for (const p of group) await this.single(conn, p);
    }
  }

  private async single(conn: DuckDBConnection, p: Pending): Promise<void> {
    try {
      const r = await appendBatch(conn, p.projectId, p.events, p.chunks, this.known);
      p.resolve({ inserted: r.inserted, duplicates: r.duplicates, chunks: r.chunks });
    } catch (e) {
      p.reject(e);
    }
  }
}
