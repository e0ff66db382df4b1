// Destinations, the delivery queue and backfill jobs in DuckDB (see ../destination-types.ts).
// One process owns the file, so plain upserts and an UPDATE … RETURNING claim are exact.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ProjectId } from '../types.js';
import type { BackfillJob, Delivery, DeliveryCounts, DeliveryQuery, Destination, DestinationStore, NewDelivery } from '../destination-types.js';
import {
  checkDestination,
  clampDeliveryLimit,
  countsOf,
  deliveryRow,
  destinationRow,
  jobRow,
  newDelivery,
  rowToDelivery,
  rowToDestination,
  rowToJob,
} from '../common/destinations.js';
import { Params } from './params.js';

/** rows per INSERT statement (keeps the parameter count moderate) */
const ROWS_PER_INSERT = 200;

export interface DuckDBAccess {
  query(sql: string, p?: Params): Promise<Record<string, unknown>[]>;
  write<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T>;
}

type Row = Record<string, string | number | boolean | null>;

/** INSERT OR REPLACE / OR IGNORE of rows with the same columns; returns the rows inserted or replaced */
async function insertRows(c: DuckDBConnection, table: string, rows: Row[], mode: 'REPLACE' | 'IGNORE'): Promise<number> {
  let changed = 0;
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const part = rows.slice(i, i + ROWS_PER_INSERT);
    const cols = Object.keys(part[0]);
    const p = new Params();
    const values = part.map((r) => `(${cols.map((col) => p.add(r[col])).join(', ')})`).join(', ');
    const res = await c.run(`INSERT OR ${mode} INTO ${table} (${cols.join(', ')}) VALUES ${values}`, p.values, p.types);
    changed += Number(res.rowsChanged);
  }
  return changed;
}

/** one row per (project, id): a statement must not touch the same key twice */
const lastById = <T extends { project_id: string; id: string }>(rows: T[]): T[] => [...new Map(rows.map((r) => [`${r.project_id}\u0000${r.id}`, r])).values()];

export class DuckDBDestinations implements DestinationStore {
  constructor(private readonly db: DuckDBAccess) {}

  async saveDestination(projectId: ProjectId, d: Destination): Promise<void> {
    checkDestination(d);
    await this.db.write((c) => insertRows(c, 'destinations', [destinationRow(projectId, d)], 'REPLACE'));
  }

  async getDestination(projectId: ProjectId, id: string): Promise<Destination | null> {
    const p = new Params();
    const [r] = await this.db.query(`SELECT * FROM destinations WHERE project_id = ${p.add(projectId)} AND id = ${p.add(id)}`, p);
    return r ? rowToDestination(r) : null;
  }

  async listDestinations(projectId: ProjectId): Promise<Destination[]> {
    const p = new Params();
    const rows = await this.db.query(`SELECT * FROM destinations WHERE project_id = ${p.add(projectId)} ORDER BY created_at, id`, p);
    return rows.map(rowToDestination);
  }

  async deleteDestination(projectId: ProjectId, id: string): Promise<boolean> {
    return this.db.write(async (c) => {
      const p = new Params();
      const res = await c.run(`DELETE FROM destinations WHERE project_id = ${p.add(projectId)} AND id = ${p.add(id)}`, p.values);
      return Number(res.rowsChanged) > 0;
    });
  }

  async enqueueDeliveries(projectId: ProjectId, deliveries: NewDelivery[], now: number): Promise<number> {
    if (!deliveries.length) return 0;
    const rows = lastById(deliveries.map((n) => deliveryRow(newDelivery(projectId, n, now))));
    return this.db.write((c) => insertRows(c, 'deliveries', rows, 'IGNORE'));
  }

  async claimDeliveries(o: { now: number; limit: number; leaseMs: number; owner: string }): Promise<Delivery[]> {
    // Find due ones on a reader first: the sender asks every second, and an idle queue should not
    // cost a write transaction each time.
    const p = new Params();
    const due = await this.db.query(
      `SELECT d.project_id, d.id FROM deliveries d
       JOIN destinations t ON t.project_id = d.project_id AND t.id = d.destination_id
       WHERE d.state = 'pending' AND d.next_at <= ${p.add(o.now)} AND t.enabled
       ORDER BY d.next_at, d.id LIMIT ${p.add(Math.max(1, Math.trunc(o.limit)))}`,
      p,
    );
    if (!due.length) return [];
    const w = new Params();
    const keys = due.map((r) => `(${w.add(String(r.project_id))}, ${w.add(String(r.id))})`).join(', ');
    // the conditions again: the state may have changed since the read
    const sql = `UPDATE deliveries SET next_at = ${w.add(o.now + o.leaseMs)}, owner = ${w.add(o.owner)}
      FROM (VALUES ${keys}) due(pid, did)
      WHERE deliveries.project_id = due.pid AND deliveries.id = due.did
        AND deliveries.state = 'pending' AND deliveries.next_at <= ${w.add(o.now)}
      RETURNING deliveries.*`;
    const rows = await this.db.write(async (c) => (await c.runAndReadAll(sql, w.values, w.types)).getRowObjectsJS() as Record<string, unknown>[]);
    return rows.map(rowToDelivery).sort((a, b) => a.nextAt - b.nextAt || (a.id < b.id ? -1 : 1));
  }

  async saveDeliveries(deliveries: Delivery[]): Promise<void> {
    if (!deliveries.length) return;
    const rows = lastById(deliveries.map((d) => deliveryRow(d)));
    await this.db.write((c) => insertRows(c, 'deliveries', rows, 'REPLACE'));
  }

  async listDeliveries(projectId: ProjectId, q: DeliveryQuery): Promise<Delivery[]> {
    const p = new Params();
    const conds = [`project_id = ${p.add(projectId)}`, `destination_id = ${p.add(q.destinationId)}`];
    if (q.state) conds.push(`state = ${p.add(q.state)}`);
    if (q.ids) conds.push(p.inList('id', q.ids));
    const rows = await this.db.query(
      `SELECT * FROM deliveries WHERE ${conds.join(' AND ')} ORDER BY updated_at DESC, id LIMIT ${p.add(clampDeliveryLimit(q.limit))}`,
      p,
    );
    return rows.map(rowToDelivery);
  }

  async deliveryCounts(projectId: ProjectId, q: { destinationId: string; jobId?: string }): Promise<DeliveryCounts> {
    const p = new Params();
    const job = q.jobId !== undefined ? `AND job_id = ${p.add(q.jobId)}` : '';
    const rows = await this.db.query(
      `SELECT state, count(*) AS n FROM deliveries
       WHERE project_id = ${p.add(projectId)} AND destination_id = ${p.add(q.destinationId)} ${job} GROUP BY state`,
      p,
    );
    return countsOf(rows);
  }

  async saveBackfillJob(projectId: ProjectId, job: BackfillJob): Promise<void> {
    await this.db.write((c) => insertRows(c, 'backfill_jobs', [jobRow(projectId, job)], 'REPLACE'));
  }

  async getBackfillJob(projectId: ProjectId, id: string): Promise<BackfillJob | null> {
    const p = new Params();
    const [r] = await this.db.query(`SELECT * FROM backfill_jobs WHERE project_id = ${p.add(projectId)} AND id = ${p.add(id)}`, p);
    return r ? rowToJob(r) : null;
  }

  async listBackfillJobs(projectId: ProjectId, destinationId: string): Promise<BackfillJob[]> {
    const p = new Params();
    const rows = await this.db.query(
      `SELECT * FROM backfill_jobs WHERE project_id = ${p.add(projectId)} AND destination_id = ${p.add(destinationId)}
       ORDER BY created_at DESC, id DESC`,
      p,
    );
    return rows.map(rowToJob);
  }
}
