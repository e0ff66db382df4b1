// Contract for the operations (export / import / purge / deleteUser), run against every store
// by duckdb.test.ts and clickhouse.test.ts next to the main contract.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportCounts, ExportKind, ExportRows, Store } from '../src/types.js';
import type { StoreHandle } from './contract.js';
import { chainOf, chunk, ev, freshProject } from './fixtures/events.js';

const T = 1_700_000_000_000;
const DAY = 86_400_000;

type Dump = { [K in ExportKind]: ExportRows[K][] };

async function dump(store: Store, projectId: string, opts: { from?: number; to?: number; pageSize?: number } = {}) {
  const out: Dump = { event: [], chunk: [], identity: [], definition: [] };
  const calls: Record<ExportKind, number> = { event: 0, chunk: 0, identity: 0, definition: 0 };
  const last: Partial<Record<ExportKind, [number, number]>> = {};
  const counts: ExportCounts = await store.exportData(
    projectId,
    opts,
    async (kind, rows) => {
      calls[kind]++;
      (out[kind] as unknown[]).push(...rows);
    },
    (done, total, kind) => (last[kind] = [done, total]),
  );
  return { out, calls, last, counts };
}

/** a project with two users, an anonymous prefix, replay, definitions and chains */
async function seed(store: Store, p: string): Promise<void> {
  await store.append(
    p,
    [
      ev({ id: 'a-anon', sessionId: 'sa1', anonymousId: 'anon-a', ts: T - 40 * DAY, chain: chainOf('button', { class: 'old' }, 'Hi Alice') }),
      ev({ id: 'a-ident', type: 'identify', sessionId: 'sa2', anonymousId: 'anon-a', userId: 'alice', ts: T - 10 * DAY }),
      ev({ id: 'a-click', type: 'click', sessionId: 'sa2', anonymousId: 'anon-a', userId: 'alice', ts: T - 10 * DAY + 5, chain: chainOf('a', { href: '/x' }) }),
      ev({ id: 'b-1', type: 'click', sessionId: 'sb1', anonymousId: 'anon-b', userId: 'bob', ts: T - 50 * DAY, chain: chainOf('a', { href: '/x' }), props: { q: "it's \"quoted\"\n" } }),
      ev({ id: 'b-2', type: 'custom', name: 'Paid', sessionId: 'sb2', anonymousId: 'anon-b', ts: T - DAY, title: 'Cart', referrer: 'https://r.example/', nodeId: 12, rec: { id: 'r-b2', seq: 3 } }),
      ev({ id: 'c-1', sessionId: 'sc1', anonymousId: 'anon-c', ts: T, url: 'https://shop.example/\u00e9\u{1F389}' }),
    ],
    [
      chunk({ id: 'k-a1', sessionId: 'sa1', rec: 'r-a1', seq: 0, ts: T - 40 * DAY }),
      chunk({ id: 'k-a2', sessionId: 'sa2', rec: 'r-a2', seq: 0, ts: T - 10 * DAY }),
      chunk({ id: 'k-b1', sessionId: 'sb1', rec: 'r-b1', seq: 0, ts: T - 50 * DAY }),
      chunk({ id: 'k-b2', sessionId: 'sb2', rec: 'r-b2', seq: 0, ts: T - DAY }),
      chunk({ id: 'k-b2b', sessionId: 'sb2', rec: 'r-b2', seq: 1, ts: T - DAY + 10 }),
    ],
  );
  const d = await store.createDefinition(p, { name: 'Buy', rules: [{ event: 'click', selector: 'a' }] });
  await store.updateDefinition(p, d.id, { name: 'Buy 2', category: 'sales', rules: [{ event: 'click' }] });
  const gone = await store.createDefinition(p, { name: 'Gone', rules: [] });
  await store.deleteDefinition(p, gone.id);
}

export function opsContract(name: string, make: () => Promise<StoreHandle>): void {
  describe(`Store operations contract: ${name}`, () => {
    let store: Store;
    let handle: StoreHandle;
    beforeAll(async () => {
      handle = await make();
      store = handle.store;
      await store.init();
    });
    afterAll(async () => {
      await handle?.cleanup();
    });

    it('exports every kind in pages, events and chunks ordered by (ts, id), with progress', async () => {
      const p = freshProject();
      await seed(store, p);
      const { out, calls, last, counts } = await dump(store, p, { pageSize: 2 });
      expect(counts).toEqual({ event: 6, chunk: 5, identity: 2, definition: 4 });
      expect(out.event.map((e) => e.id)).toEqual(['b-1', 'a-anon', 'a-ident', 'a-click', 'b-2', 'c-1']);
      expect(calls.event).toBe(3);
      expect(last.event).toEqual([6, 6]);
      expect(out.chunk.map((c) => c.id)).toEqual(['k-b1', 'k-a1', 'k-a2', 'k-b2', 'k-b2b']);
      expect(out.identity).toEqual([
        { anonymous_id: 'anon-a', user_id: 'alice', ts: T - 10 * DAY + 5 },
        { anonymous_id: 'anon-b', user_id: 'bob', ts: T - 50 * DAY },
      ]);
      expect(out.definition.map((d) => [d.name, d.version, d.deleted])).toEqual(
        expect.arrayContaining([
          ['Buy', 1, false],
          ['Buy 2', 2, false],
          ['Gone', 1, false],
          ['Gone', 2, true],
        ]),
      );
      const b1 = out.event.find((e) => e.id === 'b-1')!;
      expect(b1).toMatchObject({ user_id: 'bob', type: 'click', props: JSON.stringify({ q: "it's \"quoted\"\n" }) });
      expect(JSON.parse(b1.chain!)).toEqual(chainOf('a', { href: '/x' }));
      expect(out.event.find((e) => e.id === 'b-2')).toMatchObject({ name: 'Paid', title: 'Cart', node_id: 12, rec_id: 'r-b2', rec_seq: 3, chain: null, chain_hash: '' });
      expect(JSON.parse(out.chunk[0].events)).toEqual(chunk({ id: 'x', rec: 'r', seq: 0, ts: T - 50 * DAY }).events);
    });

    it('exports many events across windows exactly once, even with racing copies of different ts', async () => {
      const p = freshProject();
      const batch = Array.from({ length: 1200 }, (_, i) =>
        ev({ id: `m${String(i).padStart(5, '0')}`, sessionId: `s${i % 9}`, ts: T + Math.floor(i / 3) * 60_000 + (i % 2) }),
      );
      // concurrent appends of one batch whose copies were skew-corrected differently (ClickHouse
      // servers may both insert; DuckDB keeps the first)
      await Promise.all([store.append(p, batch, []), store.append(p, batch.map((e) => ({ ...e, ts: e.ts + 7_000_000 })), [])]);
      const { out, last } = await dump(store, p, { pageSize: 50 });
      expect(out.event).toHaveLength(1200);
      expect(new Set(out.event.map((e) => e.id)).size).toBe(1200);
      const keys = out.event.map((e) => [e.ts, e.id] as const);
      const sortedKeys = [...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
      expect(keys).toEqual(sortedKeys);
      expect(last.event?.[0]).toBe(1200);
      // the exported copy is the one the API shows
      const shown = new Map((await store.findEvents(p, [{}], { limit: 5000 })).map((e) => [e.id, e.ts]));
      expect(out.event.every((e) => shown.get(e.id) === e.ts)).toBe(true);
    });

    it('limits events and chunks to [from, to] (inclusive)', async () => {
      const p = freshProject();
      await seed(store, p);
      const { out } = await dump(store, p, { from: T - 10 * DAY, to: T - DAY });
      expect(out.event.map((e) => e.id)).toEqual(['a-ident', 'a-click', 'b-2']);
      expect(out.chunk.map((e) => e.id)).toEqual(['k-a2', 'k-b2']);
      expect(out.definition).toHaveLength(4);
    });

    it('import round-trips exactly and is idempotent', async () => {
      const src = freshProject();
      await seed(store, src);
      const first = (await dump(store, src)).out;
      const dst = freshProject();
      for (const kind of ['definition', 'identity', 'event', 'chunk'] as const) {
        const r = await store.importData(dst, kind, first[kind] as never);
        expect(r).toEqual({ inserted: first[kind].length, duplicates: 0 });
      }
      expect((await dump(store, dst)).out).toEqual(first);
      for (const kind of ['definition', 'identity', 'event', 'chunk'] as const) {
        expect(await store.importData(dst, kind, first[kind] as never)).toEqual({ inserted: 0, duplicates: first[kind].length });
      }
      expect((await dump(store, dst)).out).toEqual(first);
      // the API sees the imported project like the original
      expect(await store.listSessions(dst, {})).toEqual(await store.listSessions(src, {}));
      expect(await store.replayChunks(dst, 'sb2')).toEqual(await store.replayChunks(src, 'sb2'));
      expect(await store.listDefinitions(dst)).toEqual(await store.listDefinitions(src));
      expect(await store.getSession(dst, 'sa1')).toMatchObject({ userId: 'alice' });
    });

    it('rejects malformed import rows with bad_input', async () => {
      const p = freshProject();
      await expect(store.importData(p, 'chunk', [{ id: 'x', session_id: 's', rec: 'r', seq: 0, ts: 1, events: '{not json' }])).rejects.toMatchObject({
        code: 'bad_input',
      });
      await expect(store.importData(p, 'event', [{ id: 'x' } as never])).rejects.toMatchObject({ code: 'bad_input' });
      await expect(store.importData(p, 'nope' as never, [])).rejects.toMatchObject({ code: 'bad_input' });
    });

    it('purges events and replay chunks older than the cutoff, and finished deliveries of those events', async () => {
      const p = freshProject();
      await seed(store, p);
      // deliveries: of a purged event (delivered, dead, pending) and of a kept one (delivered)
      const dests = store.destinations;
      const dl = (id: string, eventId: string) => ({ id, destinationId: 'dst', definitionId: 'def', definitionName: 'D', eventId, jobId: null });
      await dests.enqueueDeliveries(p, [dl('old-ok', 'b-1'), dl('old-dead', 'a-anon'), dl('old-pending', 'b-1'), dl('new-ok', 'c-1')], T);
      const listed = await dests.listDeliveries(p, { destinationId: 'dst' });
      const state = (id: string, st: 'delivered' | 'dead') => ({ ...listed.find((d) => d.id === id)!, state: st, updatedAt: T + 1 });
      await dests.saveDeliveries([state('old-ok', 'delivered'), state('old-dead', 'dead'), state('new-ok', 'delivered')]);
      expect(await store.purge(p, 30 * DAY, T)).toEqual({ events: 2, chunks: 2 });
      expect((await dests.listDeliveries(p, { destinationId: 'dst' })).map((d) => d.id).sort()).toEqual(['new-ok', 'old-pending']);
      const { out } = await dump(store, p);
      expect(out.event.map((e) => e.id)).toEqual(['a-ident', 'a-click', 'b-2', 'c-1']);
      expect(out.chunk.map((e) => e.id)).toEqual(['k-a2', 'k-b2', 'k-b2b']);
      expect(await store.getSession(p, 'sb1')).toBeNull();
      expect(await store.replayChunks(p, 'sa1')).toEqual([]);
      expect((await store.listSessions(p, {})).sessions.map((s) => s.id)).toEqual(['sc1', 'sb2', 'sa2']);
      expect((await store.countMatches(p, [{}])).events).toBe(4);
      // the chain the purged events used stays for the events that still use it
      expect((await store.sessionEvents(p, 'sa2'))[1].chain).toEqual(chainOf('a', { href: '/x' }));
      expect(await store.purge(p, 30 * DAY, T)).toEqual({ events: 0, chunks: 0 });
      await expect(store.purge(p, -1)).rejects.toMatchObject({ code: 'bad_input' });
    });

    it('deletes a project: every row of it, and nothing of another project', async () => {
      const seedAll = async (p: string) => {
        await seed(store, p);
        await store.putSettings(p, { namingConvention: 'snake_case' });
        const dest = { id: 'dst-1', name: 'hook', url: 'https://example.com/h', secret: 's', definitions: 'all' as const, enabled: true, createdAt: T, updatedAt: T };
        await store.destinations.saveDestination(p, dest);
        await store.destinations.enqueueDeliveries(p, [{ id: 'dl-1', destinationId: 'dst-1', definitionId: 'def', definitionName: 'Buy', eventId: 'c-1', jobId: null }], T);
        await store.destinations.saveBackfillJob(p, { id: 'job-1', destinationId: 'dst-1', definitionId: 'def', state: 'enqueued', total: 1, enqueued: 1, skipped: 0, error: null, createdAt: T, updatedAt: T });
      };
      const p = freshProject();
      const other = freshProject();
      await seedAll(p);
      await seedAll(other);
      const before = await dump(store, other);

      expect(await store.deleteProject(p)).toEqual({ events: 6, chunks: 5 });
      const { out } = await dump(store, p);
      expect(out).toEqual({ event: [], chunk: [], identity: [], definition: [] });
      expect((await store.listSessions(p, {})).sessions).toEqual([]);
      expect(await store.listDefinitions(p)).toEqual([]);
      expect(await store.getSettings(p)).toEqual({});
      expect(await store.destinations.listDestinations(p)).toEqual([]);
      expect(await store.destinations.listDeliveries(p, { destinationId: 'dst-1' })).toEqual([]);
      expect(await store.destinations.listBackfillJobs(p, 'dst-1')).toEqual([]);
      // nothing left for a sender to claim from it
      const claimed = await store.destinations.claimDeliveries({ now: T + 1, limit: 1000, leaseMs: 1, owner: 'x' });
      expect(claimed.filter((d) => d.projectId === p)).toEqual([]);

      // the other project is whole, chains it shares included
      expect((await dump(store, other)).out).toEqual(before.out);
      expect((await store.sessionEvents(other, 'sb1'))[0].chain).toEqual(chainOf('a', { href: '/x' }));
      expect(await store.getSettings(other)).toEqual({ namingConvention: 'snake_case' });
      expect(await store.destinations.listDestinations(other)).toHaveLength(1);
      expect(await store.destinations.listBackfillJobs(other, 'dst-1')).toHaveLength(1);

      // a project id can be used again from nothing; deleting twice is harmless
      expect(await store.deleteProject(p)).toEqual({ events: 0, chunks: 0 });
      await store.append(p, [ev({ id: 'new-1', sessionId: 'sn', ts: T, chain: chainOf('button', { class: 'old' }, 'Hi Alice') })], []);
      expect((await store.sessionEvents(p, 'sn'))[0].chain).toEqual(chainOf('button', { class: 'old' }, 'Hi Alice'));
      await expect(store.deleteProject('')).rejects.toMatchObject({ code: 'bad_input' });
    });

    it('deletes a user: their events, their earlier anonymous events, their sessions\u2019 replay and identity', async () => {
      const p = freshProject();
      await seed(store, p);
      const other = freshProject();
      await seed(store, other);
      // a webhook delivery of one of her events, already delivered: it goes with the event
      await store.destinations.enqueueDeliveries(p, [{ id: 'dl-alice', destinationId: 'dst', definitionId: 'def', definitionName: 'D', eventId: 'a-click', jobId: null }], T);
      const [pending] = await store.destinations.listDeliveries(p, { destinationId: 'dst' });
      await store.destinations.saveDeliveries([{ ...pending, state: 'delivered', updatedAt: T + 1 }]);
      expect(await store.deleteUser(p, 'alice')).toEqual({ events: 3, chunks: 2 });
      expect(await store.destinations.listDeliveries(p, { destinationId: 'dst' })).toEqual([]);
      expect(await store.getSession(p, 'sa1')).toBeNull();
      expect(await store.getSession(p, 'sa2')).toBeNull();
      expect(await store.replayChunks(p, 'sa1')).toEqual([]);
      expect(await store.replayChunks(p, 'sa2')).toEqual([]);
      expect((await store.listSessions(p, { userId: 'alice' })).sessions).toEqual([]);
      expect(await store.findEvents(p, [{ eventIds: ['a-anon', 'a-ident', 'a-click'] }])).toEqual([]);
      expect((await store.countMatches(p, [{}])).events).toBe(3);
      const { out } = await dump(store, p);
      expect(out.identity).toEqual([{ anonymous_id: 'anon-b', user_id: 'bob', ts: T - 50 * DAY }]);
      expect(out.event.map((e) => e.id)).toEqual(['b-1', 'b-2', 'c-1']);
      // bob keeps the chain he shares with alice; alice's own chain text is gone from the export
      expect(JSON.stringify(out)).not.toContain('Hi Alice');
      expect((await store.sessionEvents(p, 'sb1'))[0].chain).toEqual(chainOf('a', { href: '/x' }));
      // other projects untouched
      expect((await store.countMatches(other, [{}])).events).toBe(6);
      // a chain deleted with the user is stored again when it comes back
      await store.append(p, [ev({ id: 'again', sessionId: 'sz', ts: T, chain: chainOf('button', { class: 'old' }, 'Hi Alice') })], []);
      expect((await store.sessionEvents(p, 'sz'))[0].chain).toEqual(chainOf('button', { class: 'old' }, 'Hi Alice'));
      expect(await store.deleteUser(p, 'alice')).toEqual({ events: 0, chunks: 0 });
      await expect(store.deleteUser(p, '')).rejects.toMatchObject({ code: 'bad_input' });
    });
  });
}
