// Storage of destinations (webhooks that receive matches of definitions), their durable delivery
// queue and backfill jobs. The store only persists; the server decides what to send and when
// (apps/server/src/destinations/*). Every store keeps the same rows, so the contract suite
// (test/destinations-contract.ts) checks both.
import type { DeliveryCounts } from '@hindsight/schema';
import type { ProjectId } from './types.js';

/** 'all' = every definition of the project, including ones created later */
export type DestinationDefinitions = 'all' | string[];

export interface Destination {
  id: string;
  name: string;
  /** http(s) URL the deliveries are POSTed to */
  url: string;
  /** HMAC key of the X-Hindsight-Signature header; shown to the admin so receivers can verify */
  secret: string;
  definitions: DestinationDefinitions;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export type DeliveryState = 'pending' | 'delivered' | 'dead';

/** one (destination, definition, event) to send; the id is deterministic, so it is enqueued once */
export interface NewDelivery {
  id: string;
  destinationId: string;
  definitionId: string;
  /** the definition's name when the match was found (the payload carries it) */
  definitionName: string;
  eventId: string;
  /** the backfill job that enqueued it; null for live matches */
  jobId: string | null;
}

export interface Delivery extends NewDelivery {
  projectId: ProjectId;
  state: DeliveryState;
  /** attempts made so far */
  attempts: number;
  /** epoch ms: when a pending delivery is due (or its claim expires) */
  nextAt: number;
  /** HTTP status of the last attempt; null before any or on a network error */
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

export type { DeliveryCounts };

/** running: enqueuing past matches; enqueued: all enqueued (progress comes from the deliveries) */
export type BackfillState = 'running' | 'enqueued' | 'failed';

export interface BackfillJob {
  id: string;
  destinationId: string;
  definitionId: string;
  state: BackfillState;
  /** past matches found when the job started */
  total: number;
  /** deliveries this job added */
  enqueued: number;
  /** matches that already had a delivery to this destination (sent live or by an earlier job) */
  skipped: number;
  error: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface DeliveryQuery {
  destinationId: string;
  state?: DeliveryState;
  /** only these delivery ids */
  ids?: string[];
  /** default 100, at most 1000 */
  limit?: number;
}

export interface DestinationStore {
  /** creates or replaces the destination (the server makes ids and secrets) */
  saveDestination(projectId: ProjectId, d: Destination): Promise<void>;
  getDestination(projectId: ProjectId, id: string): Promise<Destination | null>;
  /** oldest first */
  listDestinations(projectId: ProjectId): Promise<Destination[]>;
  /** false when it did not exist; its deliveries are never claimed again */
  deleteDestination(projectId: ProjectId, id: string): Promise<boolean>;

  /** Stores the deliveries whose id is not stored yet (as pending, due at `now`); returns how many. */
  enqueueDeliveries(projectId: ProjectId, deliveries: NewDelivery[], now: number): Promise<number>;
  /**
   * Pending deliveries due at `now` of existing, enabled destinations of every project, oldest due
   * first; each is claimed (nextAt = now + leaseMs) so another sender does not take it meanwhile.
   */
  claimDeliveries(opts: { now: number; limit: number; leaseMs: number; owner: string }): Promise<Delivery[]>;
  /** writes the deliveries' state (after an attempt, or to retry a dead letter) */
  saveDeliveries(deliveries: Delivery[]): Promise<void>;
  /** newest first */
  listDeliveries(projectId: ProjectId, q: DeliveryQuery): Promise<Delivery[]>;
  /** per state, of one destination, or of one backfill job of it */
  deliveryCounts(projectId: ProjectId, q: { destinationId: string; jobId?: string }): Promise<DeliveryCounts>;

  saveBackfillJob(projectId: ProjectId, job: BackfillJob): Promise<void>;
  getBackfillJob(projectId: ProjectId, id: string): Promise<BackfillJob | null>;
  /** newest first */
  listBackfillJobs(projectId: ProjectId, destinationId: string): Promise<BackfillJob[]>;
}
