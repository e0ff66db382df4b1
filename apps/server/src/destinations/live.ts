// Live matching: events just stored by ingest are matched against the definitions each enabled
// destination subscribes to (definitions created later included: they are read per batch), with
// the same engine as previews, and one delivery per (destination, definition, event) is queued.
// Batches arriving within COALESCE_MS are matched together. An event the recorded DOM must decide
// (`:has()`, `+`, `~`, …) waits until its replay up to the event is stored: the recorder sends the
// open replay chunk (the mutations just before a click) up to a second after the click itself.
// This runs after ingest answered: what a crash or a stop leaves unqueued (in that moment, or
// while an event waits for its replay) is caught up on start (DestinationService.catchUp).
import type { ChainRow, Destination, NewDelivery, Store, StoredEvent } from '@hindsight/store';
import type { Rule } from '@hindsight/schema';
import type { Engine } from '../engine.js';
import { deliveryId } from './payload.js';

const COALESCE_MS = 100;
/** events per step when catching up after a restart (one batch's worth) */
const CATCH_UP_PAGE = 500;

export interface LiveOptions {
  /** how long an event waits for its replay; then it is decided on what is stored, as a backfill would */
  replayWaitMs?: number;
  /** waiting events are matched again this often (and at once when their session's replay arrives) */
  recheckMs?: number;
  /** at most this many events wait; more are decided at once (a forged `rec.seq` must not hold memory) */
  maxWaiting?: number;
}

/** whether the destination receives matches of this definition */
export const receives = (dest: Destination, definitionId: string): boolean => dest.definitions === 'all' || dest.definitions.includes(definitionId);

/**
 * ids of the events (all from one project) matching the rules, decided like every other query.
 * `undecided`: see Engine.filtersFor (events whose replay is not all stored yet go there).
 */
export async function matchEvents(engine: Engine, store: Store, projectId: string, rules: Rule[], events: StoredEvent[], undecided?: Set<string>): Promise<string[]> {
  if (!events.length) return [];
  const chains = new Map<string, ChainRow>();
  for (const e of events) if (e.chain && e.chainHash) chains.set(e.chainHash, { hash: e.chainHash, chain: e.chain });
  const eventIds = events.map((e) => e.id);
  const sessionIds = [...new Set(events.map((e) => e.sessionId))];
  const filters = await engine.filtersFor(projectId, rules, { eventIds, sessionIds }, [...chains.values()], undecided);
  return (await store.findEvents(projectId, filters, { limit: eventIds.length })).map((e) => e.id);
}

export class LiveMatcher {
  /** events to match at the next flush, by project */
  private queued = new Map<string, StoredEvent[]>();
  /**
   * waiting events to match again at the next flush, by id: looked up then, so one decided in the
   * meantime is not matched (and made to wait) again
   */
  private rechecks = new Map<string, Set<string>>();
  /** events waiting for their replay, by project and event id: since when */
  private forReplay = new Map<string, Map<string, { event: StoredEvent; since: number }>>();
  private waitingCount = 0;
  private timer: NodeJS.Timeout | null = null;
  private recheck: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  readonly replayWaitMs: number;
  private readonly recheckMs: number;
  private readonly maxWaiting: number;

  constructor(
    private readonly store: Store,
    private readonly engine: Engine,
    private readonly onEnqueued: () => void,
    private readonly log: (msg: string) => void,
    opts: LiveOptions = {},
  ) {
    this.replayWaitMs = opts.replayWaitMs ?? 60_000;
    this.recheckMs = opts.recheckMs ?? 5_000;
    this.maxWaiting = opts.maxWaiting ?? 10_000;
  }

  /**
   * Events just stored (duplicates included: their deliveries dedupe by id), and the sessions the
   * same batch stored replay chunks for (their waiting events are matched again).
   */
  notify(projectId: string, events: StoredEvent[], replaySessions: string[] = []): void {
    if (events.length) this.queued.set(projectId, [...(this.queued.get(projectId) ?? []), ...events]);
    const waiting = this.forReplay.get(projectId);
    if (waiting && replaySessions.length) {
      const sessions = new Set(replaySessions);
      for (const [id, w] of waiting) if (sessions.has(w.event.sessionId)) this.recheckLater(projectId, id);
    }
    this.schedule();
  }

  private recheckLater(projectId: string, id: string): void {
    let ids = this.rechecks.get(projectId);
    if (!ids) this.rechecks.set(projectId, (ids = new Set()));
    ids.add(id);
  }

  private schedule(): void {
    if (!this.queued.size && !this.rechecks.size) return;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      const batches = this.queued;
      const rechecks = this.rechecks;
      this.queued = new Map();
      this.rechecks = new Map();
      // one flush at a time, in arrival order
      this.running = this.running.then(() => this.flush(batches, false, rechecks));
    }, COALESCE_MS);
  }

  /** resolves once everything notified so far is queued or waits for its replay */
  async idle(): Promise<void> {
    while (this.timer || this.queued.size || this.rechecks.size) await new Promise((r) => setTimeout(r, COALESCE_MS));
    await this.running;
  }

  /** events waiting for their replay (all projects) */
  get waitingForReplay(): number {
    return this.waitingCount;
  }

  stop(): void {
    if (this.recheck) clearInterval(this.recheck);
    this.recheck = null;
  }

  /**
   * Matches the events received since `since` again, CATCH_UP_PAGE at a time (after a restart:
   * the live matching of the moments before it may never have run). Deliveries dedupe by id, so
   * what was queued then is not queued twice. Returns how many events were matched again.
   */
  async catchUp(projectId: string, since: number, max = 100_000): Promise<number> {
    if (!(await this.store.destinations.listDestinations(projectId)).some((d) => d.enabled)) return 0;
    let n = 0;
    for (let offset = 0; n < max; offset += CATCH_UP_PAGE) {
      const page = await this.store.findEvents(projectId, [{ receivedFrom: since }], { limit: Math.min(CATCH_UP_PAGE, max - n), offset });
      n += page.length;
      this.running = this.running.then(() => this.flush(new Map([[projectId, page]]), true));
      await this.running;
      if (page.length < CATCH_UP_PAGE) break;
    }
    return n;
  }

  /**
   * `catchUp`: events received earlier, each only for destinations that existed by then;
   * `rechecks`: ids of waiting events to match again (those still waiting now)
   */
  private async flush(batches: Map<string, StoredEvent[]>, catchUp = false, rechecks = new Map<string, Set<string>>()): Promise<void> {
    for (const projectId of new Set([...batches.keys(), ...rechecks.keys()])) {
      const waiting = this.forReplay.get(projectId);
      const again = [...(rechecks.get(projectId) ?? [])].flatMap((id) => waiting?.get(id)?.event ?? []);
      const events = [...(batches.get(projectId) ?? []), ...again];
      if (!events.length) continue;
      try {
        const n = await this.enqueueMatches(projectId, [...new Map(events.map((e) => [e.id, e])).values()], catchUp);
        if (n) this.onEnqueued();
      } catch (e) {
        this.log(`destinations: live matching failed for project ${projectId}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  private async enqueueMatches(projectId: string, events: StoredEvent[], catchUp: boolean): Promise<number> {
    const dests = (await this.store.destinations.listDestinations(projectId)).filter((d) => d.enabled);
    if (!dests.length) {
      this.settle(projectId, events, new Set());
      return 0;
    }
    const defs = await this.store.listDefinitions(projectId);
    const wanted = defs.filter((def) => dests.some((d) => receives(d, def.id)));
    const now = Date.now();
    const waiting = this.forReplay.get(projectId);
    // decided now whatever is stored: waited long enough, or no room to wait
    const due = (e: StoredEvent) => {
      const since = waiting?.get(e.id)?.since;
      return since === undefined ? this.waitingCount >= this.maxWaiting : now - since >= this.replayWaitMs;
    };
    const wait = new Set<string>();
    const receivedAt = new Map(events.map((e) => [e.id, e.receivedAt]));
    const deliveries: NewDelivery[] = [];
    for (const def of wanted) {
      let matched: string[];
      try {
        const undecided = new Set<string>();
        matched = await matchEvents(this.engine, this.store, projectId, def.rules, events, undecided);
        const decideNow = events.filter((e) => undecided.has(e.id) && due(e));
        if (decideNow.length) matched.push(...(await matchEvents(this.engine, this.store, projectId, def.rules, decideNow)));
        const decided = new Set(decideNow.map((e) => e.id));
        for (const id of undecided) if (!decided.has(id)) wait.add(id);
      } catch (e) {
        // one definition the engine refuses must not stop the others
        this.log(`destinations: definition ${def.id} could not be matched: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      for (const dest of dests) {
        if (!receives(dest, def.id)) continue;
        for (const eventId of matched) {
          // live means received since the destination exists (a backfill sends the older ones)
          if (catchUp && (receivedAt.get(eventId) ?? now) < dest.createdAt) continue;
          deliveries.push({ id: deliveryId(projectId, dest.id, def.id, eventId), destinationId: dest.id, definitionId: def.id, definitionName: def.name, eventId, jobId: null });
        }
      }
    }
    const n = await this.store.destinations.enqueueDeliveries(projectId, deliveries, now);
    this.settle(projectId, events, wait, now);
    return n;
  }

  /** `wait`: ids of `events` still waiting for their replay; the others are done */
  private settle(projectId: string, events: StoredEvent[], wait: Set<string>, now = Date.now()): void {
    let waiting = this.forReplay.get(projectId);
    for (const e of events) {
      const had = waiting?.has(e.id) ?? false;
      if (wait.has(e.id) && !had) {
        if (!waiting) this.forReplay.set(projectId, (waiting = new Map()));
        waiting.set(e.id, { event: e, since: now });
        this.waitingCount++;
      } else if (!wait.has(e.id) && had) {
        waiting!.delete(e.id);
        this.waitingCount--;
      }
    }
    if (waiting && !waiting.size) this.forReplay.delete(projectId);
    if (this.waitingCount && !this.recheck) {
      // also without new replay (a recording that stopped): matched again, decided once due
      this.recheck = setInterval(() => {
        for (const [projectId, w] of this.forReplay) for (const id of w.keys()) this.recheckLater(projectId, id);
        this.schedule();
      }, this.recheckMs);
      this.recheck.unref();
    } else if (!this.waitingCount) this.stop();
  }
}
