// Destinations as one service for the app: live matching after ingest, the sender, backfills.
import type { Store, StoredEvent } from '@hindsight/store';
import type { Engine } from '../engine.js';
import { Backfills } from './backfill.js';
import { LiveMatcher } from './live.js';
import { policyFromEnv, type RetryPolicy } from './retry.js';
import { Sender } from './sender.js';

export interface DestinationServiceOptions {
  store: Store;
  engine: Engine;
  log: (msg: string) => void;
  policy?: RetryPolicy;
  pollMs?: number;
}

export class DestinationService {
  readonly sender: Sender;
  readonly live: LiveMatcher;
  readonly backfills: Backfills;

  constructor(private readonly o: DestinationServiceOptions) {
    this.sender = new Sender({ store: o.store, policy: o.policy ?? policyFromEnv(), log: o.log, pollMs: o.pollMs });
    const wake = () => this.sender.wake();
    this.live = new LiveMatcher(o.store, o.engine, wake, o.log);
    this.backfills = new Backfills(o.store, o.engine, wake, o.log);
  }

  /** starts sending (pending deliveries left by an earlier run included) */
  start(): void {
    this.sender.start();
  }

  /** waits a little for in-flight work; a request cut short is sent again once its claim expires */
  async stop(): Promise<void> {
    this.live.stop();
    const work = this.live.idle().then(() => this.sender.stop());
    await Promise.race([work, new Promise((r) => setTimeout(r, 3000).unref())]);
  }

  /** ingest hook: events just stored, and the sessions whose replay chunks were stored with them */
  notify = (projectId: string, events: StoredEvent[], replaySessions: string[] = []): void => this.live.notify(projectId, events, replaySessions);

  /** dead letters back to pending (all of the destination's, or these ids); returns how many */
  async retryDead(projectId: string, destinationId: string, ids?: string[]): Promise<number> {
    let total = 0;
    for (;;) {
      const dead = await this.o.store.destinations.listDeliveries(projectId, { destinationId, state: 'dead', ids, limit: 1000 });
      if (!dead.length) break;
      const now = Date.now();
      await this.o.store.destinations.saveDeliveries(dead.map((d) => ({ ...d, state: 'pending' as const, attempts: 0, nextAt: now, updatedAt: now })));
      total += dead.length;
      if (ids || dead.length < 1000) break;
    }
    if (total) this.sender.wake();
    return total;
  }
}
