// Shapes of /api/destinations (docs/destinations.md).
import type { DeliveryCounts } from '@hindsight/schema';

export type { DeliveryCounts };

export interface Destination {
  id: string;
  name: string;
  url: string;
  /** HMAC-SHA256 key of X-Hindsight-Signature; give it to the receiver */
  secret: string;
  /** 'all' = every definition, including ones created later */
  definitions: 'all' | string[];
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
  deliveries: DeliveryCounts;
}

export interface DestinationInput {
  name: string;
  url: string;
  definitions?: 'all' | string[];
  enabled?: boolean;
}

export interface DestinationUpdate extends Partial<DestinationInput> {
  rotateSecret?: boolean;
}

/** a delivery (dead letters are those with state 'dead') */
export interface Delivery {
  id: string;
  destinationId: string;
  definitionId: string;
  definitionName: string;
  eventId: string;
  jobId: string | null;
  state: 'pending' | 'delivered' | 'dead';
  attempts: number;
  nextAt: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface BackfillJob {
  id: string;
  destinationId: string;
  definitionId: string;
  state: 'running' | 'sending' | 'done' | 'failed';
  /** past matches when the job started */
  total: number;
  enqueued: number;
  /** matches already queued before (sent live or by an earlier job) */
  skipped: number;
  pending: number;
  delivered: number;
  /** dead letters */
  failed: number;
  error: string | null;
  createdAt: number;
  updatedAt: number;
}
