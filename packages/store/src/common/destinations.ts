// Rows of the destinations, deliveries and backfill_jobs tables: the same columns in DuckDB and
// ClickHouse (ClickHouse adds `ver`, and `deleted` for destinations), mapped here once.
import { StoreError, type ProjectId } from '../types.js';
import type { BackfillJob, Delivery, Destination, NewDelivery } from '../destination-types.js';

export const DEFAULT_DELIVERY_LIMIT = 100;
export const MAX_DELIVERY_LIMIT = 1000;

export const clampDeliveryLimit = (n: number | undefined): number =>
  Math.max(1, Math.min(MAX_DELIVERY_LIMIT, Math.trunc(n ?? DEFAULT_DELIVERY_LIMIT) || DEFAULT_DELIVERY_LIMIT));

const num = (v: unknown): number => Number(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function checkDestination(d: Destination): void {
  if (!d || typeof d.id !== 'string' || d.id === '') throw new StoreError('bad_input', 'destination id is required');
  if (typeof d.url !== 'string' || !/^https?:\/\//i.test(d.url)) throw new StoreError('bad_input', 'destination url must be http(s)');
  if (d.definitions !== 'all' && !(Array.isArray(d.definitions) && d.definitions.every((x) => typeof x === 'string'))) {
    throw new StoreError('bad_input', "destination definitions must be 'all' or a list of ids");
  }
}

export function destinationRow(projectId: ProjectId, d: Destination) {
  return {
    project_id: projectId,
    id: d.id,
    name: d.name,
    url: d.url,
    secret: d.secret,
    definitions: JSON.stringify(d.definitions),
    enabled: d.enabled,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
}

export function rowToDestination(r: Record<string, unknown>): Destination {
  return {
    id: String(r.id),
    name: String(r.name),
    url: String(r.url),
    secret: String(r.secret),
    definitions: JSON.parse(String(r.definitions)) as Destination['definitions'],
    enabled: Boolean(Number(r.enabled)),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export function newDelivery(projectId: ProjectId, n: NewDelivery, now: number): Delivery {
  return { ...n, projectId, state: 'pending', attempts: 0, nextAt: now, lastStatus: null, lastError: null, createdAt: now, updatedAt: now };
}

/** `owner` is the sender holding the claim ('' when none) */
export function deliveryRow(d: Delivery, owner = '') {
  return {
    project_id: d.projectId,
    id: d.id,
    destination_id: d.destinationId,
    definition_id: d.definitionId,
    definition_name: d.definitionName,
    event_id: d.eventId,
    job_id: d.jobId ?? '',
    state: d.state,
    attempts: d.attempts,
    next_at: d.nextAt,
    last_status: d.lastStatus,
    last_error: d.lastError,
    owner,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
}

export function rowToDelivery(r: Record<string, unknown>): Delivery {
  return {
    projectId: String(r.project_id),
    id: String(r.id),
    destinationId: String(r.destination_id),
    definitionId: String(r.definition_id),
    definitionName: String(r.definition_name),
    eventId: String(r.event_id),
    jobId: r.job_id ? String(r.job_id) : null,
    state: String(r.state) as Delivery['state'],
    attempts: num(r.attempts),
    nextAt: num(r.next_at),
    // ClickHouse keeps 0 / '' for "none" (see its schema)
    lastStatus: r.last_status === null || r.last_status === undefined || num(r.last_status) === 0 ? null : num(r.last_status),
    lastError: strOrNull(r.last_error) || null,
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export function jobRow(projectId: ProjectId, j: BackfillJob) {
  return {
    project_id: projectId,
    id: j.id,
    destination_id: j.destinationId,
    definition_id: j.definitionId,
    state: j.state,
    total: j.total,
    enqueued: j.enqueued,
    skipped: j.skipped,
    error: j.error,
    created_at: j.createdAt,
    updated_at: j.updatedAt,
  };
}

export function rowToJob(r: Record<string, unknown>): BackfillJob {
  return {
    id: String(r.id),
    destinationId: String(r.destination_id),
    definitionId: String(r.definition_id),
    state: String(r.state) as BackfillJob['state'],
    total: num(r.total),
    enqueued: num(r.enqueued),
    skipped: num(r.skipped),
    error: strOrNull(r.error) || null,
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

/** { pending, delivered, dead } from (state, n) rows */
export function countsOf(rows: Record<string, unknown>[]) {
  const out = { pending: 0, delivered: 0, dead: 0 };
  for (const r of rows) {
    const s = String(r.state);
    if (s === 'pending' || s === 'delivered' || s === 'dead') out[s] = Number(r.n);
  }
  return out;
}
