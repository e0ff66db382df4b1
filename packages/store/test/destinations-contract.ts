// Contract for destination storage (destinations, the delivery queue, backfill jobs), run against
// every store by duckdb.test.ts and clickhouse.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/types.js';
import type { BackfillJob, Delivery, Destination, NewDelivery } from '../src/destination-types.js';
import type { StoreHandle } from './contract.js';
import { freshProject } from './fixtures/events.js';
import { NASTY_STRINGS } from './contract.js';

const T = 1_700_000_000_000;

const dest = (id: string, over: Partial<Destination> = {}): Destination => ({
  id,
  name: `hook ${id}`,
  url: 'https://hooks.example/in',
  secret: 'whsec_x',
  definitions: 'all',
  enabled: true,
  createdAt: T,
  updatedAt: T,
  ...over,
});

const nd = (destinationId: string, eventId: string, jobId: string | null = null): NewDelivery => ({
  id: `${destinationId}:def1:${eventId}`,
  destinationId,
  definitionId: 'def1',
  definitionName: 'Checkout',
  eventId,
  jobId,
});

export function destinationsContract(name: string, make: () => Promise<StoreHandle>): void {
  describe(`Store destinations contract: ${name}`, () => {
    let store: Store;
    let handle: StoreHandle;
    beforeAll(async () => {
      handle = await make();
      store = handle.store;
    });
    afterAll(async () => {
      await handle?.cleanup();
    });
    /** claims until this project's due deliveries are found (other projects share the store) */
    const claim = async (p: string, now: number, owner = 'me', leaseMs = 60_000): Promise<Delivery[]> =>
      (await store.destinations.claimDeliveries({ now, limit: 1000, leaseMs, owner })).filter((d) => d.projectId === p);

    it('saves, lists, updates and deletes destinations per project', async () => {
      const p = freshProject();
      const other = freshProject();
      const s = store.destinations;
      expect(await s.listDestinations(p)).toEqual([]);
      await s.saveDestination(p, dest('d1'));
      await s.saveDestination(p, dest('d2', { definitions: ['a', 'b'], createdAt: T + 1, updatedAt: T + 1 }));
      await s.saveDestination(other, dest('d1', { name: 'other' }));
      expect(await s.listDestinations(p)).toEqual([dest('d1'), dest('d2', { definitions: ['a', 'b'], createdAt: T + 1, updatedAt: T + 1 })]);
      await s.saveDestination(p, dest('d1', { enabled: false, name: 'renamed', updatedAt: T + 5 }));
      expect(await s.getDestination(p, 'd1')).toEqual(dest('d1', { enabled: false, name: 'renamed', updatedAt: T + 5 }));
      expect(await s.deleteDestination(p, 'd1')).toBe(true);
      expect(await s.deleteDestination(p, 'd1')).toBe(false);
      expect(await s.getDestination(p, 'd1')).toBeNull();
      expect((await s.listDestinations(p)).map((d) => d.id)).toEqual(['d2']);
      expect((await s.getDestination(other, 'd1'))?.name).toBe('other');
    });

    it.each(NASTY_STRINGS)('stores hostile strings literally: %s', async (_label, v) => {
      const p = freshProject();
      await store.destinations.saveDestination(p, dest(v, { name: v, secret: v, url: `https://x.example/${v}`, definitions: [v] }));
      expect(await store.destinations.getDestination(p, v)).toEqual(dest(v, { name: v, secret: v, url: `https://x.example/${v}`, definitions: [v] }));
    });

    it('enqueues each delivery id once and counts per state', async () => {
      const p = freshProject();
      const s = store.destinations;
      await s.saveDestination(p, dest('d1'));
      expect(await s.enqueueDeliveries(p, [nd('d1', 'e1'), nd('d1', 'e2'), nd('d1', 'e2')], T)).toBe(2);
      expect(await s.enqueueDeliveries(p, [nd('d1', 'e1'), nd('d1', 'e3', 'job1')], T)).toBe(1);
      expect(await s.deliveryCounts(p, { destinationId: 'd1' })).toEqual({ pending: 3, delivered: 0, dead: 0 });
      expect(await s.deliveryCounts(p, { destinationId: 'd1', jobId: 'job1' })).toEqual({ pending: 1, delivered: 0, dead: 0 });
      const [e1] = await s.listDeliveries(p, { destinationId: 'd1', ids: [nd('d1', 'e1').id] });
      expect(e1).toEqual({
        ...nd('d1', 'e1'),
        projectId: p,
        state: 'pending',
        attempts: 0,
        nextAt: T,
        lastStatus: null,
        lastError: null,
        createdAt: T,
        updatedAt: T,
      });
    });

    it('claims due deliveries of enabled destinations once per lease, and records attempts', async () => {
      const p = freshProject();
      const s = store.destinations;
      await s.saveDestination(p, dest('on'));
      await s.saveDestination(p, dest('off', { enabled: false }));
      await s.enqueueDeliveries(p, [nd('on', 'e1'), nd('on', 'e2'), nd('off', 'e1')], T);
      expect(await claim(p, T - 1)).toEqual([]); // not due yet
      const got = await claim(p, T);
      expect(got.map((d) => d.eventId).sort()).toEqual(['e1', 'e2']);
      expect(got.every((d) => d.nextAt === T + 60_000)).toBe(true);
      expect(await claim(p, T + 1)).toEqual([]); // claimed: not due again until the lease ends

      const [a, b] = got;
      await s.saveDeliveries([
        { ...a, state: 'delivered', attempts: 1, lastStatus: 200, updatedAt: T + 2 },
        { ...b, attempts: 1, nextAt: T + 1000, lastStatus: 503, lastError: 'HTTP 503', updatedAt: T + 2 },
      ]);
      expect(await s.deliveryCounts(p, { destinationId: 'on' })).toEqual({ pending: 1, delivered: 1, dead: 0 });
      const again = await claim(p, T + 1000);
      expect(again.map((d) => [d.id, d.attempts, d.lastStatus, d.lastError])).toEqual([[b.id, 1, 503, 'HTTP 503']]);
      await s.saveDeliveries([{ ...again[0], state: 'dead', attempts: 2, lastStatus: null, lastError: 'timeout', updatedAt: T + 3 }]);
      const dead = await s.listDeliveries(p, { destinationId: 'on', state: 'dead' });
      expect(dead.map((d) => [d.id, d.state, d.lastStatus, d.lastError])).toEqual([[b.id, 'dead', null, 'timeout']]);

      // an enqueue of an id already delivered changes nothing
      expect(await s.enqueueDeliveries(p, [nd('on', 'e1')], T + 10)).toBe(0);
      expect(await s.deliveryCounts(p, { destinationId: 'on' })).toEqual({ pending: 0, delivered: 1, dead: 1 });

      // enabling the paused destination makes its deliveries due; deleting one stops them again
      await s.saveDestination(p, dest('off', { enabled: true }));
      expect((await claim(p, T + 2000)).map((d) => d.destinationId)).toEqual(['off']);
      await s.saveDeliveries([{ ...(await s.listDeliveries(p, { destinationId: 'off' }))[0], nextAt: T, updatedAt: T + 4 }]);
      await s.deleteDestination(p, 'off');
      expect(await claim(p, T + 3000)).toEqual([]);
    });

    it('two senders never both win one claim', async () => {
      const p = freshProject();
      const s = store.destinations;
      await s.saveDestination(p, dest('d'));
      await s.enqueueDeliveries(p, Array.from({ length: 20 }, (_, i) => nd('d', `e${i}`)), T);
      const [x, y] = await Promise.all([claim(p, T, 'x'), claim(p, T, 'y')]);
      const xs = new Set(x.map((d) => d.id));
      expect(y.filter((d) => xs.has(d.id))).toEqual([]);
    });

    it('keeps backfill jobs, latest write wins', async () => {
      const p = freshProject();
      const s = store.destinations;
      const job: BackfillJob = { id: 'j1', destinationId: 'd', definitionId: 'def', state: 'running', total: 10, enqueued: 0, skipped: 0, error: null, createdAt: T, updatedAt: T };
      await s.saveBackfillJob(p, job);
      await s.saveBackfillJob(p, { ...job, id: 'j2', createdAt: T + 1, updatedAt: T + 1 });
      await s.saveBackfillJob(p, { ...job, state: 'enqueued', enqueued: 8, skipped: 2, updatedAt: T + 2 });
      expect(await s.getBackfillJob(p, 'j1')).toEqual({ ...job, state: 'enqueued', enqueued: 8, skipped: 2, updatedAt: T + 2 });
      await s.saveBackfillJob(p, { ...job, state: 'failed', error: 'boom', updatedAt: T + 3 });
      expect((await s.getBackfillJob(p, 'j1'))?.error).toBe('boom');
      expect((await s.listBackfillJobs(p, 'd')).map((j) => j.id)).toEqual(['j2', 'j1']);
      expect(await s.getBackfillJob(freshProject(), 'j1')).toBeNull();
    });
  });
}
