// What a receiver gets: ids, the definition and the raw event, as one JSON body.
import { createHash } from 'node:crypto';
import type { Delivery, StoredEvent } from '@hindsight/store';

/**
 * Deterministic: the same (destination, definition, event) always gives the same id, so a match
 * found twice (a retried batch, live and backfill) is queued once, and receivers can dedupe on it.
 */
export function deliveryId(projectId: string, destinationId: string, definitionId: string, eventId: string): string {
  return `dlv_${createHash('sha256').update(`${projectId}\n${destinationId}\n${definitionId}\n${eventId}`).digest('hex').slice(0, 32)}`;
}

export interface WebhookPayload {
  id: string;
  destinationId: string;
  definition: { id: string; name: string };
  /** the raw event as the API returns it (GET /api/sessions/:id/events) */
  event: Omit<StoredEvent, 'projectId' | 'chainHash'>;
  /** epoch ms of this attempt */
  sentAt: number;
}

export function webhookPayload(d: Delivery, event: StoredEvent, sentAt: number): WebhookPayload {
  const { projectId: _p, chainHash: _c, ...raw } = event;
  return { id: d.id, destinationId: d.destinationId, definition: { id: d.definitionId, name: d.definitionName }, event: raw, sentAt };
}
