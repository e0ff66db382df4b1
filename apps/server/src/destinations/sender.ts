// Sends due deliveries from the store's queue: claim a batch, POST each (signed), record the
// outcome (delivered / retry at a later time / dead letter). The queue lives in the store, so
// pending deliveries survive restarts and any server sharing the store can send them.
import { randomUUID } from 'node:crypto';
import type { Delivery, Destination, Store, StoredEvent } from '@hindsight/store';
import { decide, type AttemptResult, type RetryPolicy } from './retry.js';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature.js';
import { webhookPayload } from './payload.js';

const BATCH = 50;
const CONCURRENCY = 8;

export interface SenderOptions {
  store: Store;
  policy: RetryPolicy;
  log: (msg: string) => void;
  /** longest idle wait before looking for due deliveries again (other servers, lease expiries) */
  pollMs?: number;
  fetch?: typeof fetch;
}

export class Sender {
  /** identifies this process's claims */
  readonly owner = `sender-${randomUUID()}`;
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  /** earliest retry this process scheduled, so a short backoff does not wait for the poll */
  private soonest = Infinity;

  constructor(private readonly o: SenderOptions) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.busy;
  }

  /** look for due deliveries now (after an enqueue or a retry request) */
  wake(): void {
    if (this.stopped) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.busy = this.drain().finally(() => {
      this.busy = null;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.again) return this.wake();
    const wait = Math.max(0, Math.min(this.o.pollMs ?? 1000, this.soonest - Date.now()));
    this.soonest = Infinity;
    this.timer = setTimeout(() => this.wake(), wait);
    this.timer.unref?.();
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        this.again = false;
        const batch = await this.o.store.destinations.claimDeliveries({
          now: Date.now(),
          limit: BATCH,
          // a claim outlives any attempt, so a crashed sender's deliveries become due again
          leaseMs: this.o.policy.timeoutMs + 30_000,
          owner: this.owner,
        });
        if (!batch.length || this.stopped) break;
        await this.sendAll(batch);
        if (batch.length < BATCH && !this.again) break;
      }
    } catch (e) {
      this.o.log(`destinations: sending failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async sendAll(batch: Delivery[]): Promise<void> {
    const byProject = new Map<string, Delivery[]>();
    for (const d of batch) byProject.set(d.projectId, [...(byProject.get(d.projectId) ?? []), d]);
    for (const [projectId, list] of byProject) {
      const dests = new Map((await this.o.store.destinations.listDestinations(projectId)).map((d) => [d.id, d]));
      const ids = [...new Set(list.map((d) => d.eventId))];
      const events = new Map((await this.o.store.findEvents(projectId, [{ eventIds: ids }], { limit: ids.length })).map((e) => [e.id, e]));
      const queue = [...list];
      const worker = async () => {
        for (let d = queue.shift(); d; d = queue.shift()) {
          const dest = dests.get(d.destinationId);
          // deleted or paused meanwhile: leave it; the claim expires and it waits (or is gone)
          if (!dest?.enabled) continue;
          await this.o.store.destinations.saveDeliveries([await this.attempt(d, dest, events.get(d.eventId))]);
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, list.length) }, worker));
    }
  }

  private async attempt(d: Delivery, dest: Destination, event: StoredEvent | undefined): Promise<Delivery> {
    const now = Date.now();
    if (!event) return { ...d, state: 'dead', lastStatus: null, lastError: 'the event is no longer stored (purged or deleted)', updatedAt: now };
    const body = JSON.stringify(webhookPayload(d, event, now));
    let result: AttemptResult;
    try {
      const res = await (this.o.fetch ?? fetch)(dest.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Hindsight-Webhook/1',
          [DELIVERY_HEADER]: d.id,
          [SIGNATURE_HEADER]: signatureHeader(dest.secret, body, now),
        },
        body,
        // a redirect could point the signed payload anywhere; it counts as the receiver's answer
        redirect: 'manual',
        signal: AbortSignal.timeout(this.o.policy.timeoutMs),
      });
      result = { status: res.status, retryAfter: res.headers.get('retry-after') };
      await res.body?.cancel().catch(() => {});
    } catch (e) {
      result = { error: describeFetchError(e, this.o.policy.timeoutMs) };
    }
    const attempts = d.attempts + 1;
    const decision = decide(result, attempts, this.o.policy);
    const lastStatus = 'status' in result ? result.status : null;
    // an answer's status says it all; lastError is for failures without one
    const lastError = 'error' in result ? result.error : null;
    const done = Date.now();
    if (decision.kind === 'retry') {
      this.soonest = Math.min(this.soonest, done + decision.delayMs);
      return { ...d, attempts, nextAt: done + decision.delayMs, lastStatus, lastError, updatedAt: done };
    }
    return { ...d, state: decision.kind, attempts, lastStatus, lastError, updatedAt: done };
  }
}

function describeFetchError(e: unknown, timeoutMs: number): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return `timed out after ${timeoutMs} ms`;
  const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
  return `${e instanceof Error ? e.message : String(e)}${cause}`.slice(0, 500);
}
