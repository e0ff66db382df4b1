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

/** where a running server notes the time (settings of a namespace no project can have) */
const ALIVE_NAMESPACE = '$destinations';
const HEARTBEAT_MS = 30_000;

export class DestinationService {
  readonly sender: Sender;
  readonly live: LiveMatcher;
  readonly backfills: Backfills;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(private readonly o: DestinationServiceOptions) {
    this.sender = new Sender({ store: o.store, policy: o.policy ?? policyFromEnv(), log: o.log, pollMs: o.pollMs });
    const wake = () => this.sender.wake();
    this.live = new LiveMatcher(o.store, o.engine, wake, o.log);
    this.backfills = new Backfills(o.store, o.engine, wake, o.log);
  }

  /**
   * Starts sending (pending deliveries left by an earlier run included). With `projects`, also
   * catches up on the live matches an earlier run may not have queued (see catchUp).
   */
  start(projects?: () => Promise<string[]>): void {
    this.sender.start();
    if (projects) void this.catchUp(projects).catch((e) => this.o.log(`destinations: catching up after a restart failed: ${e instanceof Error ? e.message : String(e)}`));
  }

  /**
   * Live matching runs after ingest answered, and an event may wait for its replay for a while: a
   * crash or a stop in that time leaves matches unqueued. The server notes the time every
   * HEARTBEAT_MS; on start, the events received since the last note, less the longest wait, are
   * matched again (their deliveries dedupe by id, so nothing already queued is queued again).
   */
  private async catchUp(projects: () => Promise<string[]>): Promise<void> {
    const { store } = this.o;
    const last = Number((await store.getSettings(ALIVE_NAMESPACE)).aliveAt);
    const beat = () => store.putSettings(ALIVE_NAMESPACE, { aliveAt: String(Date.now()) });
    await beat();
    this.heartbeat = setInterval(() => void beat().catch(() => {}), HEARTBEAT_MS);
    this.heartbeat.unref();
    if (!Number.isFinite(last) || last <= 0) return; // the first start on this store
    const since = last - this.live.replayWaitMs - HEARTBEAT_MS;
    for (const projectId of await projects()) {
      const n = await this.live.catchUp(projectId, since);
      if (n) this.o.log(`destinations: matched ${n} events of project ${projectId} received before the restart again`);
    }
  }

  /** waits a little for in-flight work; a request cut short is sent again once its claim expires */
  async stop(): Promise<void> {
    this.live.stop();
    if (this.heartbeat) clearInterval(this.heartbeat);
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
