// Live matching: events just stored by ingest are matched against the definitions each enabled
// destination subscribes to (definitions created later included: they are read per batch), with
// the same engine as previews, and one delivery per (destination, definition, event) is queued.
// Batches arriving within COALESCE_MS are matched together. This runs after ingest answered, so a
// crash in that moment loses those live matches (a backfill sends them).
import type { ChainRow, Destination, NewDelivery, Store, StoredEvent } from '@hindsight/store';
import type { Rule } from '@hindsight/schema';
import type { Engine } from '../engine.js';
import { deliveryId } from './payload.js';

const COALESCE_MS = 100;

/** whether the destination receives matches of this definition */
export const receives = (dest: Destination, definitionId: string): boolean => dest.definitions === 'all' || dest.definitions.includes(definitionId);

/** ids of the events (all from one project) matching the rules, decided like every other query */
export async function matchEvents(engine: Engine, store: Store, projectId: string, rules: Rule[], events: StoredEvent[]): Promise<string[]> {
  if (!events.length) return [];
  const chains = new Map<string, ChainRow>();
  for (const e of events) if (e.chain && e.chainHash) chains.set(e.chainHash, { hash: e.chainHash, chain: e.chain });
  const eventIds = events.map((e) => e.id);
  const sessionIds = [...new Set(events.map((e) => e.sessionId))];
  const filters = await engine.filtersFor(projectId, rules, { eventIds, sessionIds }, [...chains.values()]);
  return (await store.findEvents(projectId, filters, { limit: eventIds.length })).map((e) => e.id);
}

export class LiveMatcher {
  private waiting = new Map<string, StoredEvent[]>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly engine: Engine,
    private readonly onEnqueued: () => void,
    private readonly log: (msg: string) => void,
  ) {}

  /** events just stored (duplicates included: their deliveries dedupe by id) */
  notify(projectId: string, events: StoredEvent[]): void {
    if (!events.length) return;
    const list = this.waiting.get(projectId) ?? [];
    for (const e of events) list.push(e);
    this.waiting.set(projectId, list);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      const batches = this.waiting;
      this.waiting = new Map();
      // one flush at a time, in arrival order
      this.running = this.running.then(() => this.flush(batches));
    }, COALESCE_MS);
  }

  /** resolves once everything notified so far is queued */
  async idle(): Promise<void> {
    while (this.timer || this.waiting.size) await new Promise((r) => setTimeout(r, COALESCE_MS));
    await this.running;
  }

  private async flush(batches: Map<string, StoredEvent[]>): Promise<void> {
    for (const [projectId, events] of batches) {
      try {
        const n = await this.enqueueMatches(projectId, events);
        if (n) this.onEnqueued();
      } catch (e) {
        this.log(`destinations: live matching failed for project ${projectId}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  private async enqueueMatches(projectId: string, events: StoredEvent[]): Promise<number> {
    const dests = (await this.store.destinations.listDestinations(projectId)).filter((d) => d.enabled);
    if (!dests.length) return 0;
    const defs = await this.store.listDefinitions(projectId);
    const wanted = defs.filter((def) => dests.some((d) => receives(d, def.id)));
    const deliveries: NewDelivery[] = [];
    for (const def of wanted) {
      let matched: string[];
      try {
        matched = await matchEvents(this.engine, this.store, projectId, def.rules, events);
      } catch (e) {
        // one definition the engine refuses must not stop the others
        this.log(`destinations: definition ${def.id} could not be matched: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      for (const dest of dests) {
        if (!receives(dest, def.id)) continue;
        for (const eventId of matched) {
          deliveries.push({ id: deliveryId(projectId, dest.id, def.id, eventId), destinationId: dest.id, definitionId: def.id, definitionName: def.name, eventId, jobId: null });
        }
      }
    }
    return this.store.destinations.enqueueDeliveries(projectId, deliveries, Date.now());
  }
}
