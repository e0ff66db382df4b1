// Destinations, the delivery queue and backfill jobs in ClickHouse (see ../destination-types.ts).
// Rows are versioned (schema.ts, migration 3): a change inserts a whole new row with a larger
// `ver`, and reads take the latest per id with argMax — exact before merges, on 18.16 and current
// ClickHouse. Several servers may share the database, so a claim is written and then read back:
// only the sender whose claim is the latest sends. Delivery is at-least-once either way (a claim
// race or a crash after sending may repeat a delivery); receivers dedupe on the delivery id.
import { settingsVersion as nextVersion } from '../common/settings.js';
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
import { sqlInList, sqlInt, sqlString } from './escape.js';

export interface ChAccess {
  rows(query: string): Promise<Record<string, unknown>[]>;
  insert(table: string, values: Record<string, unknown>[]): Promise<void>;
}

/** see claimDeliveries */
const CLAIM_SETTLE_MS = 100;
/** ids per existence check */
const ID_BATCH = 2000;

/**
 * Latest row per key. `fixed` columns never change after the first row (grouped by); `mutable`
 * ones are argMax(…, ver). Callers filter on the aliases in an outer query only: inside this
 * SELECT an alias would replace the column in WHERE.
 */
const latest = (table: string, fixed: string[], mutable: string[], where: string): string =>
  `SELECT ${fixed.join(', ')}, ${mutable.map((c) => `argMax(${c}, ver) AS ${c}`).join(', ')}
   FROM ${table} WHERE ${where} GROUP BY ${fixed.join(', ')}`;

const DEST_FIXED = ['project_id', 'id', 'created_at'];
const DEST_MUTABLE = ['name', 'url', 'secret', 'definitions', 'enabled', 'deleted', 'updated_at'];
const DELIVERY_FIXED = ['project_id', 'destination_id', 'id', 'definition_id', 'definition_name', 'event_id', 'job_id', 'created_at'];
const DELIVERY_MUTABLE = ['state', 'attempts', 'next_at', 'last_status', 'last_error', 'owner', 'updated_at'];
const JOB_FIXED = ['project_id', 'destination_id', 'id', 'definition_id', 'created_at'];
const JOB_MUTABLE = ['state', 'total', 'enqueued', 'skipped', 'error', 'updated_at'];

const latestDestinations = (where: string) => latest('destinations', DEST_FIXED, DEST_MUTABLE, where);
const latestDeliveries = (where: string) => latest('deliveries', DELIVERY_FIXED, DELIVERY_MUTABLE, where);

/** a delivery row as stored here: no NULLs (see schema.ts) */
const chDelivery = (d: Delivery, ver: number, owner = '') => {
  const r = deliveryRow(d, owner);
  return { ...r, last_status: r.last_status ?? 0, last_error: r.last_error ?? '', ver };
};

export class ClickHouseDestinations implements DestinationStore {
  constructor(private readonly ch: ChAccess) {}

  async saveDestination(projectId: ProjectId, d: Destination): Promise<void> {
    checkDestination(d);
    const r = destinationRow(projectId, d);
    await this.ch.insert('destinations', [{ ...r, enabled: r.enabled ? 1 : 0, deleted: 0, ver: nextVersion() }]);
  }

  async getDestination(projectId: ProjectId, id: string): Promise<Destination | null> {
    const [r] = await this.ch.rows(
      `SELECT * FROM (${latestDestinations(`project_id = ${sqlString(projectId)} AND id = ${sqlString(id)}`)}) WHERE deleted = 0`,
    );
    return r ? rowToDestination(r) : null;
  }

  async listDestinations(projectId: ProjectId): Promise<Destination[]> {
    const rows = await this.ch.rows(
      `SELECT * FROM (${latestDestinations(`project_id = ${sqlString(projectId)}`)}) WHERE deleted = 0 ORDER BY created_at, id`,
    );
    return rows.map(rowToDestination);
  }

  async deleteDestination(projectId: ProjectId, id: string): Promise<boolean> {
    const d = await this.getDestination(projectId, id);
    if (!d) return false;
    const r = destinationRow(projectId, d);
    await this.ch.insert('destinations', [{ ...r, enabled: 0, deleted: 1, updated_at: Date.now(), ver: nextVersion() }]);
    return true;
  }

  async enqueueDeliveries(projectId: ProjectId, deliveries: NewDelivery[], now: number): Promise<number> {
    const unique = [...new Map(deliveries.map((n) => [n.id, n])).values()];
    let inserted = 0;
    for (let i = 0; i < unique.length; i += ID_BATCH) {
      const part = unique.slice(i, i + ID_BATCH);
      const have = new Set(
        (await this.ch.rows(`SELECT DISTINCT id FROM deliveries WHERE project_id = ${sqlString(projectId)} AND ${sqlInList('id', part.map((n) => n.id))}`)).map(
          (r) => String(r.id),
        ),
      );
      const fresh = part.filter((n) => !have.has(n.id));
      // ver 0: any later state change outranks it, so a racing second enqueue can never
      // turn a delivered row back into a pending one
      await this.ch.insert('deliveries', fresh.map((n) => chDelivery(newDelivery(projectId, n, now), 0)));
      inserted += fresh.length;
    }
    return inserted;
  }

  async claimDeliveries(o: { now: number; limit: number; leaseMs: number; owner: string }): Promise<Delivery[]> {
    const enabled = `SELECT project_id, id FROM (${latestDestinations('1')}) WHERE enabled = 1 AND deleted = 0`;
    // Prefilter on raw rows: the latest row of a due delivery is itself pending and due, and once
    // merged a delivered or dead delivery keeps no such row, so this skips most of the history.
    const candidates = `(project_id, destination_id, id) IN (
      SELECT project_id, destination_id, id FROM deliveries WHERE state = 'pending' AND next_at <= ${sqlInt(o.now)})`;
    const due = (
      await this.ch.rows(`
        SELECT * FROM (${latestDeliveries(candidates)})
        WHERE state = 'pending' AND next_at <= ${sqlInt(o.now)} AND (project_id, destination_id) IN (${enabled})
        ORDER BY next_at, id LIMIT ${sqlInt(Math.max(1, o.limit))}`)
    ).map(rowToDelivery);
    if (!due.length) return [];
    const claimed = due.map((d) => ({ ...d, nextAt: o.now + o.leaseMs }));
    const ver = nextVersion();
    await this.ch.insert('deliveries', claimed.map((d) => chDelivery(d, ver, o.owner)));
    // A sender that read the same due rows inserts its claim within milliseconds; waiting a moment
    // lets both read back the same latest claim, so exactly one of them sends.
    await new Promise((r) => setTimeout(r, CLAIM_SETTLE_MS));
    const tuples = claimed.map((d) => `(${sqlString(d.projectId)}, ${sqlString(d.destinationId)}, ${sqlString(d.id)})`).join(', ');
    const owners = await this.ch.rows(`
      SELECT project_id, id, argMax(owner, ver) AS owner FROM deliveries
      WHERE (project_id, destination_id, id) IN (${tuples}) GROUP BY project_id, id`);
    const mine = new Set(owners.filter((r) => r.owner === o.owner).map((r) => `${r.project_id}\u0000${r.id}`));
    return claimed.filter((d) => mine.has(`${d.projectId}\u0000${d.id}`));
  }

  async saveDeliveries(deliveries: Delivery[]): Promise<void> {
    if (!deliveries.length) return;
    const ver = nextVersion();
    await this.ch.insert('deliveries', deliveries.map((d) => chDelivery(d, ver)));
  }

  async listDeliveries(projectId: ProjectId, q: DeliveryQuery): Promise<Delivery[]> {
    const where = [`project_id = ${sqlString(projectId)}`, `destination_id = ${sqlString(q.destinationId)}`];
    if (q.ids) where.push(sqlInList('id', q.ids));
    const rows = await this.ch.rows(`
      SELECT * FROM (${latestDeliveries(where.join(' AND '))})
      ${q.state ? `WHERE state = ${sqlString(q.state)}` : ''}
      ORDER BY updated_at DESC, id LIMIT ${sqlInt(clampDeliveryLimit(q.limit))}`);
    return rows.map(rowToDelivery);
  }

  async deliveryCounts(projectId: ProjectId, q: { destinationId: string; jobId?: string }): Promise<DeliveryCounts> {
    const where = [`project_id = ${sqlString(projectId)}`, `destination_id = ${sqlString(q.destinationId)}`];
    if (q.jobId !== undefined) where.push(`job_id = ${sqlString(q.jobId)}`);
    const rows = await this.ch.rows(`
      SELECT s AS state, count() AS n FROM (
        SELECT id, argMax(state, ver) AS s FROM deliveries WHERE ${where.join(' AND ')} GROUP BY id
      ) GROUP BY s`);
    return countsOf(rows);
  }

  async saveBackfillJob(projectId: ProjectId, job: BackfillJob): Promise<void> {
    await this.ch.insert('backfill_jobs', [{ ...jobRow(projectId, job), error: job.error ?? '', ver: nextVersion() }]);
  }

  async getBackfillJob(projectId: ProjectId, id: string): Promise<BackfillJob | null> {
    const [r] = await this.ch.rows(latest('backfill_jobs', JOB_FIXED, JOB_MUTABLE, `project_id = ${sqlString(projectId)} AND id = ${sqlString(id)}`));
    return r ? rowToJob(r) : null;
  }

  async listBackfillJobs(projectId: ProjectId, destinationId: string): Promise<BackfillJob[]> {
    const rows = await this.ch.rows(`
      SELECT * FROM (${latest('backfill_jobs', JOB_FIXED, JOB_MUTABLE, `project_id = ${sqlString(projectId)} AND destination_id = ${sqlString(destinationId)}`)})
      ORDER BY created_at DESC, id DESC`);
    return rows.map(rowToJob);
  }
}
