// Backfill: queue the past matches of one definition for one destination (events up to the
// job's start; later ones arrive live). Deliveries already queued (live or by an earlier job)
// keep their state and count as `skipped`. Progress is read from the job's deliveries.
import { randomUUID } from 'node:crypto';
import type { Definition } from '@hindsight/schema';
import type { BackfillJob, Destination, Store } from '@hindsight/store';
import type { Engine } from '../engine.js';
import { deliveryId } from './payload.js';

const PAGE = 1000;
/** a 'running' job not updated for this long, and not running here, was interrupted (restart) */
const STALE_MS = 60_000;

export type BackfillView = Omit<BackfillJob, 'state'> & {
  /** running: queueing; sending: all queued, deliveries pending; done; failed */
  state: 'running' | 'sending' | 'done' | 'failed';
  pending: number;
  delivered: number;
  /** dead letters */
  failed: number;
};

export class Backfills {
  private readonly active = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly engine: Engine,
    private readonly onEnqueued: () => void,
    private readonly log: (msg: string) => void,
  ) {}

  /** starts the job in the background; resolves once it is recorded */
  async start(projectId: string, dest: Destination, def: Definition): Promise<BackfillJob> {
    const now = Date.now();
    const job: BackfillJob = { id: randomUUID(), destinationId: dest.id, definitionId: def.id, state: 'running', total: 0, enqueued: 0, skipped: 0, error: null, createdAt: now, updatedAt: now };
    // the rules are checked before answering, so a definition the engine refuses is a 4xx
    const filters = await this.engine.filtersFor(projectId, def.rules, { to: now });
    job.total = (await this.store.countMatches(projectId, filters, 0)).events;
    await this.store.destinations.saveBackfillJob(projectId, job);
    this.active.add(job.id);
    void this.run(projectId, job, def, filters).finally(() => this.active.delete(job.id));
    return job;
  }

  private async run(projectId: string, job: BackfillJob, def: Definition, filters: Awaited<ReturnType<Engine['filtersFor']>>): Promise<void> {
    const save = (patch: Partial<BackfillJob>) => this.store.destinations.saveBackfillJob(projectId, Object.assign(job, patch, { updatedAt: Date.now() }));
    try {
      for (let offset = 0; ; offset += PAGE) {
        const page = await this.store.findEvents(projectId, filters, { limit: PAGE, offset });
        const n = await this.store.destinations.enqueueDeliveries(
          projectId,
          page.map((e) => ({ id: deliveryId(projectId, job.destinationId, def.id, e.id), destinationId: job.destinationId, definitionId: def.id, definitionName: def.name, eventId: e.id, jobId: job.id })),
          Date.now(),
        );
        await save({ enqueued: job.enqueued + n, skipped: job.skipped + page.length - n });
        if (n) this.onEnqueued();
        if (page.length < PAGE) break;
      }
      await save({ state: 'enqueued' });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.log(`destinations: backfill ${job.id} failed: ${msg}`);
      await save({ state: 'failed', error: msg.slice(0, 500) }).catch(() => {});
    }
  }

  async view(projectId: string, job: BackfillJob): Promise<BackfillView> {
    const c = await this.store.destinations.deliveryCounts(projectId, { destinationId: job.destinationId, jobId: job.id });
    let state: BackfillView['state'] = job.state === 'enqueued' ? (c.pending ? 'sending' : 'done') : job.state;
    let error = job.error;
    if (state === 'running' && !this.active.has(job.id) && Date.now() - job.updatedAt > STALE_MS) {
      state = 'failed';
      error = 'interrupted (server restart); start the backfill again: matches already queued are skipped';
    }
    return { ...job, state, error, pending: c.pending, delivered: c.delivered, failed: c.dead };
  }
}
