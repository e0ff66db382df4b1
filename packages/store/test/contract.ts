// One behavioural contract for every Store implementation (like Hono's shared router suite).
// duckdb.test.ts and clickhouse.test.ts run it; same inputs must give the same answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainElement, DefinitionInput } from '@hindsight/schema';
import { chainHash } from '../src/chain-hash.js';
import { StoreError, type EventFilter, type Store, type StoredEvent } from '../src/types.js';
import { chainOf, chunk, ev, freshProject, stored } from './fixtures/events.js';

export interface StoreHandle {
  store: Store;
  cleanup(): Promise<void>;
}

const T = 1_700_000_000_000;
const ids = (xs: { id: string }[]): string[] => xs.map((x) => x.id);
const sorted = (xs: string[]): string[] => [...xs].sort();

/** strings that break naive SQL building, LIKE patterns, escaping or JSON */
export const NASTY_STRINGS: [label: string, value: string][] = [
  ['sql quote injection', "'; DROP TABLE events; --"],
  ['double quote', 'say "hi"'],
  ['backslash', '\\'],
  ['backslash before quote', "\\'"],
  ['trailing backslash', 'abc\\'],
  ['percent', '100%'],
  ['underscore', 'a_b'],
  ['LIKE wildcards', '%_%'],
  ['unicode', 'Grüße 你好 🎉'],
  ['control chars', 'tab\there\nnew\rline\u0001\u001f\u007f'],
  ['clickhouse escapes', '\\x41\\0\\N'],
  ['regex metachars', '.*+?()[]{}|^$'],
  ['brace params', '{x:String} $1 ?'],
  ['comment', '/* c */ -- d'],
];

export function storeContract(name: string, make: () => Promise<StoreHandle>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let handle: StoreHandle;

    beforeAll(async () => {
      handle = await make();
      store = handle.store;
      await store.init(); // init is idempotent: make() may have called it already
    });
    afterAll(async () => {
      await handle?.cleanup();
    });

    // ------------------------------------------------------------ append + dedupe

    describe('append', () => {
      it('stores each event id once across calls and inside one call', async () => {
        const p = freshProject();
        const a = ev({ id: 'e1', ts: T });
        const b = ev({ id: 'e2', ts: T + 1 });
        const c = ev({ id: 'e3', ts: T + 2 });
        expect(await store.append(p, [a, b], [])).toEqual({ inserted: 2, duplicates: 0, chunks: 0 });
        expect(await store.append(p, [a, b], [])).toEqual({ inserted: 0, duplicates: 2, chunks: 0 });
        expect(await store.append(p, [c, c, a, c], [])).toEqual({ inserted: 1, duplicates: 3, chunks: 0 });
        expect(ids(await store.sessionEvents(p, 's1'))).toEqual(['e1', 'e2', 'e3']);
        const counts = await store.countMatches(p, [{}]);
        expect(counts.events).toBe(3);
      });

      it('deduplicates replay chunks by id, also inside one call', async () => {
        const p = freshProject();
        const k1 = chunk({ id: 'k1', rec: 'r1', seq: 0, ts: T });
        const k2 = chunk({ id: 'k2', rec: 'r1', seq: 1, ts: T + 5 });
        expect((await store.append(p, [], [k1, k1, k2])).chunks).toBe(2);
        expect((await store.append(p, [], [k2])).chunks).toBe(0);
        expect(ids(await store.replayChunks(p, 's1'))).toEqual(['k1', 'k2']);
      });

      it('keeps projects apart (the same id in two projects is two events)', async () => {
        const p1 = freshProject();
        const p2 = freshProject();
        await store.append(p1, [ev({ id: 'same' })], []);
        expect((await store.append(p2, [ev({ id: 'same' })], [])).inserted).toBe(1);
        expect((await store.countMatches(p1, [{}])).events).toBe(1);
      });

      it('stores a batch once when the same batch is appended concurrently', async () => {
        const p = freshProject();
        const batch = Array.from({ length: 300 }, (_, i) => ev({ id: `c${i}`, sessionId: `s${i % 4}`, ts: T + i }));
        const results = await Promise.all([1, 2, 3].map(() => store.append(p, batch, [])));
        // DuckDB serialises appends, so exactly one call inserts; ClickHouse servers are stateless and
        // may each insert a racing copy (collapsed by reads), so only the stored result is compared.
        for (const r of results) expect(r.inserted + r.duplicates).toBe(300);
        expect((await store.countMatches(p, [{}])).events).toBe(300);
        expect(await store.findEvents(p, [{}], { limit: 1000 })).toHaveLength(300);
        expect((await store.listSessions(p, {})).sessions.reduce((n, s) => n + s.eventCount, 0)).toBe(300);
      });

      it('handles an empty append', async () => {
        expect(await store.append(freshProject(), [], [])).toEqual({ inserted: 0, duplicates: 0, chunks: 0 });
      });
    });

    // ------------------------------------------------------------ sessions

    describe('sessions', () => {
      it('summarises a session', async () => {
        const p = freshProject();
        await store.append(
          p,
          [
            // appended out of order: the summary is by ts
            ev({ id: 'b', type: 'click', ts: T + 2000, url: 'https://shop.example/cart', chain: chainOf('button') }),
            ev({ id: 'a', type: 'pageview', ts: T + 1000, url: 'https://shop.example/home' }),
            ev({ id: 'c', type: 'error', ts: T + 3000, url: 'https://shop.example/cart', name: 'TypeError: x' }),
            ev({ id: 'x', sessionId: 's2', anonymousId: 'a2', ts: T + 500, url: 'https://shop.example/landing' }),
          ],
          [],
        );
        const s1 = {
          id: 's1',
          anonymousId: 'a1',
          userId: null,
          startedAt: T + 1000,
          endedAt: T + 3000,
          eventCount: 3,
          entryUrl: 'https://shop.example/home',
          hasError: true,
          pageCount: 1,
          rageClicks: 0,
          deadClicks: 0,
        };
        expect(await store.getSession(p, 's1')).toEqual(s1);
        expect(await store.getSession(p, 'nope')).toBeNull();
        const { sessions, next } = await store.listSessions(p, {});
        expect(sessions).toEqual([
          s1,
          { id: 's2', anonymousId: 'a2', userId: null, startedAt: T + 500, endedAt: T + 500, eventCount: 1, entryUrl: 'https://shop.example/landing', hasError: false, pageCount: 1, rageClicks: 0, deadClicks: 0 },
        ]);
        expect(next).toBeNull();
      });

      it('counts a re-sent event once in the summary', async () => {
        const p = freshProject();
        const e = ev({ id: 'a' });
        await store.append(p, [e], []);
        await store.append(p, [e, ev({ id: 'b', ts: T + 1 })], []);
        expect((await store.getSession(p, 's1'))?.eventCount).toBe(2);
      });

      it('takes the userId from the identity of the anonymous id, including earlier anonymous sessions', async () => {
        const p = freshProject();
        await store.append(p, [ev({ id: 'anon1', sessionId: 'early', anonymousId: 'anon', ts: T })], []);
        await store.append(p, [ev({ id: 'other', sessionId: 'stranger', anonymousId: 'nobody', ts: T })], []);
        await store.append(p, [ev({ id: 'ident', type: 'identify', sessionId: 'late', anonymousId: 'anon', userId: 'user-7', ts: T + 60_000 })], []);
        expect((await store.getSession(p, 'early'))?.userId).toBe('user-7');
        expect((await store.getSession(p, 'late'))?.userId).toBe('user-7');
        expect((await store.getSession(p, 'stranger'))?.userId).toBeNull();
        const byUser = await store.listSessions(p, { userId: 'user-7' });
        expect(sorted(ids(byUser.sessions))).toEqual(['early', 'late']);
        const counts = await store.countMatches(p, [{}]);
        expect(counts).toMatchObject({ events: 3, sessions: 3, users: 2 });
        // only the anonymous event, counted as the identified user
        expect((await store.countMatches(p, [{ eventIds: ['anon1', 'other'] }])).users).toBe(2);
        expect((await store.countMatches(p, [{ eventIds: ['anon1', 'ident'] }])).users).toBe(1);
      });

      describe('filters', () => {
        let p: string;
        beforeAll(async () => {
          p = freshProject();
          await store.append(
            p,
            [
              ev({ id: '1', sessionId: 'sa', anonymousId: 'x1', ts: T + 1000, url: 'https://shop.example/a' }),
              ev({ id: '2', sessionId: 'sa', anonymousId: 'x1', ts: T + 1100, url: 'https://shop.example/checkout?discount=100%' }),
              ev({ id: '3', sessionId: 'sb', anonymousId: 'x2', ts: T + 2000, url: 'https://shop.example/b', userId: 'bob' }),
              ev({ id: '4', sessionId: 'sc', anonymousId: 'x3', ts: T + 3000, url: 'https://shop.example/a_b', type: 'error' }),
              ev({ id: '5', sessionId: 'sd', anonymousId: 'x4', ts: T + 4000, url: 'https://shop.example/axb' }),
            ],
            [],
          );
        });
        it.each<[string, Parameters<Store['listSessions']>[1], string[]]>([
          ['no filter, newest first', {}, ['sd', 'sc', 'sb', 'sa']],
          ['userId', { userId: 'bob' }, ['sb']],
          ['unknown userId', { userId: 'alice' }, []],
          ['url contains (any event of the session)', { url: 'checkout' }, ['sa']],
          ['url contains with literal %', { url: '100%' }, ['sa']],
          ['url contains with literal _', { url: 'a_b' }, ['sc']],
          ['from (inclusive)', { from: T + 2000 }, ['sd', 'sc', 'sb']],
          ['to (inclusive)', { to: T + 2000 }, ['sb', 'sa']],
          ['from and to', { from: T + 1500, to: T + 3000 }, ['sc', 'sb']],
          ['from bounds session start, not any event', { from: T + 1050 }, ['sd', 'sc', 'sb']],
          ['hasError true', { hasError: true }, ['sc']],
          ['hasError false', { hasError: false }, ['sd', 'sb', 'sa']],
          ['combined', { url: 'shop', hasError: false, from: T + 1500 }, ['sd', 'sb']],
        ])('%s', async (_label, q, expected) => {
          expect(ids((await store.listSessions(p, q)).sessions)).toEqual(expected);
        });
      });

      it('pages newest first with an opaque cursor, no duplicates and no gaps (ties on startedAt)', async () => {
        const p = freshProject();
        const events: StoredEvent[] = [];
        for (let i = 0; i < 23; i++) {
          // groups of three sessions share one start time to exercise the (startedAt, id) tie-break
          events.push(ev({ id: `e${i}`, sessionId: `s${String(i).padStart(2, '0')}`, ts: T + Math.floor(i / 3) * 1000 }));
        }
        await store.append(p, events, []);
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page: Awaited<ReturnType<Store['listSessions']>> = await store.listSessions(p, { limit: 5, cursor });
          expect(page.sessions.length).toBeLessThanOrEqual(5);
          seen.push(...ids(page.sessions));
          cursor = page.next;
          pages++;
        } while (cursor && pages < 20);
        expect(pages).toBe(5);
        const all = (await store.listSessions(p, { limit: 500 })).sessions;
        expect(seen).toEqual(ids(all));
        expect(new Set(seen).size).toBe(23);
        for (let i = 1; i < all.length; i++) {
          const [a, b] = [all[i - 1], all[i]];
          expect(a.startedAt > b.startedAt || (a.startedAt === b.startedAt && a.id > b.id)).toBe(true);
        }
      });

      describe('frustration, duration, performed events and sorting', () => {
        let p: string;
        beforeAll(async () => {
          p = freshProject();
          await store.append(
            p,
            [
              // sa: 10 s, 4 events, two page views, a rage click
              ev({ id: 'a1', sessionId: 'sa', anonymousId: 'x1', type: 'pageview', ts: T, url: 'https://shop.example/' }),
              ev({ id: 'a2', sessionId: 'sa', anonymousId: 'x1', type: 'click', ts: T + 1000, chain: chainOf('button') }),
              ev({ id: 'a3', sessionId: 'sa', anonymousId: 'x1', type: 'rage_click', ts: T + 2000, chain: chainOf('button') }),
              ev({ id: 'a4', sessionId: 'sa', anonymousId: 'x1', type: 'pageview', ts: T + 10_000, url: 'https://shop.example/cart' }),
              // sb: 60 s, 2 events, a dead click
              ev({ id: 'b1', sessionId: 'sb', anonymousId: 'x2', type: 'dead_click', ts: T + 5000, chain: chainOf('div') }),
              ev({ id: 'b2', sessionId: 'sb', anonymousId: 'x2', type: 'custom', name: 'checkout', ts: T + 65_000 }),
              // sc: 0 s, 1 event; sd: 30 s, 3 events; both calm
              ev({ id: 'c1', sessionId: 'sc', anonymousId: 'x3', type: 'pageview', ts: T + 20_000 }),
              ev({ id: 'd1', sessionId: 'sd', anonymousId: 'x4', type: 'pageview', ts: T + 30_000 }),
              ev({ id: 'd2', sessionId: 'sd', anonymousId: 'x4', type: 'click', ts: T + 40_000, chain: chainOf('a') }),
              ev({ id: 'd3', sessionId: 'sd', anonymousId: 'x4', type: 'custom', name: 'checkout', ts: T + 60_000 }),
            ],
            [],
          );
        });
        it('summarises page views, rage and dead clicks', async () => {
          expect(await store.getSession(p, 'sa')).toMatchObject({ pageCount: 2, rageClicks: 1, deadClicks: 0, eventCount: 4 });
          expect(await store.getSession(p, 'sb')).toMatchObject({ pageCount: 0, rageClicks: 0, deadClicks: 1, eventCount: 2 });
        });
        it.each<[string, Parameters<Store['listSessions']>[1], string[]]>([
          ['frustrated', { frustrated: true }, ['sb', 'sa']],
          ['not frustrated', { frustrated: false }, ['sd', 'sc']],
          ['min duration (inclusive)', { minDurationMs: 30_000 }, ['sd', 'sb']],
          ['min duration 0 keeps one-event sessions', { minDurationMs: 0 }, ['sd', 'sc', 'sb', 'sa']],
          ['performed a custom event', { events: [{ types: ['custom'], name: { op: 'exact', value: 'checkout' } }] }, ['sd', 'sb']],
          ['performed any of two filters', { events: [{ eventIds: ['a2'] }, { types: ['dead_click'] }] }, ['sb', 'sa']],
          ['performed: empty filter list matches no session', { events: [] }, []],
          ['performed + frustrated', { events: [{ types: ['custom'] }], frustrated: true }, ['sb']],
          ['sort oldest', { sort: 'oldest' }, ['sa', 'sb', 'sc', 'sd']],
          ['sort longest', { sort: 'longest' }, ['sb', 'sd', 'sa', 'sc']],
          ['sort most events', { sort: 'most_events' }, ['sa', 'sd', 'sb', 'sc']],
          ['sort longest with min duration', { sort: 'longest', minDurationMs: 10_000 }, ['sb', 'sd', 'sa']],
        ])('%s', async (_label, q, expected) => {
          expect(ids((await store.listSessions(p, q)).sessions)).toEqual(expected);
        });
        it.each(['oldest', 'longest', 'most_events'] as const)('pages the %s order with its cursor', async (sort) => {
          const all = ids((await store.listSessions(p, { sort })).sessions);
          const seen: string[] = [];
          let cursor: string | null = null;
          do {
            const page: Awaited<ReturnType<Store['listSessions']>> = await store.listSessions(p, { sort, limit: 1, cursor });
            seen.push(...ids(page.sessions));
            cursor = page.next;
          } while (cursor && seen.length < 10);
          expect(seen).toEqual(all);
        });
        it('refuses a cursor of another order', async () => {
          const { next } = await store.listSessions(p, { sort: 'longest', limit: 1 });
          await expect(store.listSessions(p, { sort: 'oldest', cursor: next })).rejects.toMatchObject({ code: 'bad_input' });
          await expect(store.listSessions(p, { cursor: next })).rejects.toMatchObject({ code: 'bad_input' });
        });
        it('refuses an unknown sort', async () => {
          await expect(store.listSessions(p, { sort: 'random' as never })).rejects.toMatchObject({ code: 'bad_input' });
        });
      });

      it('defaults to 50 sessions and caps the limit at 500', async () => {
        const p = freshProject();
        await store.append(p, Array.from({ length: 60 }, (_, i) => ev({ id: `e${i}`, sessionId: `s${i}`, ts: T + i })), []);
        const page = await store.listSessions(p, {});
        expect(page.sessions).toHaveLength(50);
        expect(page.next).not.toBeNull();
        expect((await store.listSessions(p, { limit: 10_000 })).sessions).toHaveLength(60);
      });

      it('rejects a forged cursor with bad_input', async () => {
        await expect(store.listSessions(freshProject(), { cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'bad_input' });
      });
    });

    // ------------------------------------------------------------ events + replay

    it('returns session events ordered by (ts, id) with every field round-tripped', async () => {
      const p = freshProject();
      const full = ev({
        id: 'full',
        type: 'click',
        ts: T + 10,
        userId: 'u1',
        url: 'https://shop.example/cart?x=1',
        title: 'Cart',
        referrer: 'https://google.example/',
        name: 'n',
        props: { price: 9.5, tags: ['a', 'b'], nested: { ok: true, none: null } },
        chain: chainOf('button', { class: 'buy', id: 'pay', 'data-x': "it's" }, 'Pay now'),
        nodeId: 42,
        rec: { id: 'rec-1', seq: 17 },
      });
      const tieB = ev({ id: 'b', ts: T });
      const tieA = ev({ id: 'a', ts: T });
      await store.append(p, [full, tieB, tieA], []);
      const got = await store.sessionEvents(p, 's1');
      expect(ids(got)).toEqual(['a', 'b', 'full']);
      expect(got[2]).toEqual(stored(p, full));
      expect(got[2].chainHash).toBe(chainHash(full.chain));
      expect(got[0]).toEqual(stored(p, tieA));
      expect(await store.sessionEvents(p, 'missing')).toEqual([]);
    });

    it('fills chainHash when the caller left it empty', async () => {
      const p = freshProject();
      const chain = chainOf('a', { href: '/x' });
      await store.append(p, [{ ...ev({ id: 'h', type: 'click', chain }), chainHash: '' }], []);
      expect((await store.sessionEvents(p, 's1'))[0].chainHash).toBe(chainHash(chain));
    });

    it('stores a chain with its keys in the schema order, whatever order the sender used', async () => {
      const p = freshProject();
      // keys as the recorder writes them (tag, attrs, nth, then the optional ones)
      const chain = [{ tag: 'svg', attrs: { b: '2', a: '1' }, nth: [1, 1, 1, 1], ns: 'svg', text: 'Go', trunc: ['b'], state: 1 }] as ChainElement[];
      await store.append(p, [ev({ id: 'o', type: 'click', chain })], []);
      const [got] = await store.sessionEvents(p, 's1');
      expect(JSON.stringify(got.chain)).toBe('[{"tag":"svg","ns":"svg","attrs":{"b":"2","a":"1"},"trunc":["b"],"nth":[1,1,1,1],"text":"Go","state":1}]');
    });

    it('keeps unusual text: NUL, emoji, line separators, quotes, backslash escapes as text; a lone surrogate becomes U+FFFD', async () => {
      const p = freshProject();
      const odd = ['a\u0000b', '😀 é \u2028 "q" \\', '\\ud800 typed', 'cut \ud83d', '\udc00 low', '\ufeffbom first'];
      await store.append(p, odd.map((t, i) => ev({ id: `odd${i}`, ts: T + i, title: t, url: `https://x.example/${t}`, props: { t } })), []);
      const got = await store.sessionEvents(p, 's1');
      const want = ['a\u0000b', '😀 é \u2028 "q" \\', '\\ud800 typed', 'cut \ufffd', '\ufffd low', '\ufeffbom first'];
      expect(got.map((e) => e.title)).toEqual(want);
      expect(got.map((e) => e.url)).toEqual(want.map((t) => `https://x.example/${t}`));
      expect(got.map((e) => e.props?.t)).toEqual(want);
      // one such props value once made every property breakdown of the project fail (DuckDB's
      // JSON functions refuse a lone-surrogate escape)
      const r = await store.trendBreakdown(p, [{}], { interval: 'day', from: T - 1000, to: T + 1000, breakdown: { kind: 'prop', name: 't' } });
      expect(r.map((x) => x.value).sort()).toEqual([...want].sort());
      // a leading byte order mark stays (ids that start with one can be opened)
      await store.append(p, [ev({ id: 'bom', sessionId: '\ufeffs', anonymousId: '\ufeffa' })], []);
      expect((await store.sessionEvents(p, '\ufeffs')).map((e) => [e.sessionId, e.anonymousId])).toEqual([['\ufeffs', '\ufeffa']]);
    });

    it('returns replay chunks ordered by (recording start, rec, seq), round-tripped', async () => {
      const p = freshProject();
      const big = Array.from({ length: 500 }, (_, i) => ({ type: 3, timestamp: T + i, data: { source: 0, texts: [`t${i}`], adds: [] } }));
      const r2a = chunk({ id: 'r2a', rec: 'zz-second', seq: 0, ts: T + 10_000 });
      const r2b = chunk({ id: 'r2b', rec: 'zz-second', seq: 1, ts: T + 11_000, events: big });
      const r1a = chunk({ id: 'r1a', rec: 'aa-first', seq: 0, ts: T });
      const r1b = chunk({ id: 'r1b', rec: 'aa-first', seq: 3, ts: T + 20_000 }); // later ts, same recording
      const other = chunk({ id: 'o', rec: 'aa-first', seq: 0, ts: T, sessionId: 's-other' });
      await store.append(p, [], [r2b, r1b, r2a]);
      await store.append(p, [], [r1a, r2b, other]);
      const got = await store.replayChunks(p, 's1');
      expect(ids(got)).toEqual(['r1a', 'r1b', 'r2a', 'r2b']);
      expect(got[3]).toEqual(r2b);
      expect(await store.replayChunks(p, 'none')).toEqual([]);
    });

    it('lists replay chunks without events and reads chosen ones, both in replayChunks order', async () => {
      const p = freshProject();
      const big = Array.from({ length: 50 }, (_, i) => ({ type: 3, timestamp: T + i, data: { source: 1 } }));
      const a0 = chunk({ id: 'a0', rec: 'r-b', seq: 0, ts: T });
      const a1 = chunk({ id: 'a1', rec: 'r-b', seq: 2, ts: T + 30_000, events: big });
      const b0 = chunk({ id: 'b0', rec: 'r-a', seq: 0, ts: T + 10_000 });
      const other = chunk({ id: 'x', rec: 'r-a', seq: 1, ts: T, sessionId: 's-other' });
      await store.append(p, [], [a1, b0, a0, other]);
      await store.append(p, [], [a1]);
      const list = await store.replayChunkList(p, 's1');
      expect(list).toEqual([a0, a1, b0].map(({ events: _e, ...m }) => m));
      expect(list.map((m) => m.id)).toEqual(ids(await store.replayChunks(p, 's1')));
      // a1 alone still sorts by its recording's first chunk (a0), i.e. before b0
      expect(await store.replayChunksById(p, 's1', ['b0', 'a1', 'nope', 'x'])).toEqual([a1, b0]);
      expect(await store.replayChunksById(p, 's1', [])).toEqual([]);
      expect(await store.replayChunkList(p, 'none')).toEqual([]);
    });

    it('lists distinct chains, filtered by event types', async () => {
      const p = freshProject();
      const buy = chainOf('button', { class: 'buy' }, 'Buy');
      const form = chainOf('form', { id: 'checkout' });
      await store.append(
        p,
        [
          ev({ id: '1', type: 'click', chain: buy }),
          ev({ id: '2', type: 'click', chain: buy }),
          ev({ id: '3', type: 'submit', chain: form }),
          ev({ id: '4', type: 'pageview' }),
        ],
        [],
      );
      const byHash = <T extends { hash: string }>(xs: T[]): T[] => [...xs].sort((a, b) => (a.hash < b.hash ? -1 : 1));
      expect(await store.distinctChains(p, ['click'])).toEqual([{ hash: chainHash(buy), chain: buy }]);
      expect(byHash(await store.distinctChains(p))).toEqual(byHash([{ hash: chainHash(buy), chain: buy }, { hash: chainHash(form), chain: form }]));
      expect(byHash(await store.distinctChains(p, []))).toHaveLength(2);
      expect(await store.distinctChains(p, ['change'])).toEqual([]);
    });

    // ------------------------------------------------------------ matching

    describe('countMatches / findEvents', () => {
      let p: string;
      const buy = chainOf('button', { class: 'buy' }, 'Buy');
      const nav = chainOf('a', { href: '/about' }, 'About');
      beforeAll(async () => {
        p = freshProject();
        await store.append(
          p,
          [
            ev({ id: 'c1', type: 'click', ts: T + 1, chain: buy, url: 'https://shop.example/cart', sessionId: 'S1', anonymousId: 'A1' }),
            ev({ id: 'c2', type: 'click', ts: T + 2, chain: buy, url: 'https://shop.example/cart?step=2', sessionId: 'S1', anonymousId: 'A1' }),
            ev({ id: 'c3', type: 'click', ts: T + 3, chain: nav, url: 'https://shop.example/', sessionId: 'S2', anonymousId: 'A2', receivedAt: T + 60_000 }),
            ev({ id: 't1', type: 'custom', ts: T + 4, name: 'Signed Up', url: 'https://shop.example/signup', sessionId: 'S2', anonymousId: 'A2', userId: 'U2', receivedAt: T + 60_001 }),
            ev({ id: 't2', type: 'custom', ts: T + 5, name: 'signed up (legacy)', url: 'https://shop.example/100%_off', sessionId: 'S3', anonymousId: 'A3' }),
            ev({ id: 'p1', type: 'pageview', ts: T + 6, url: 'https://shop.example/cart', sessionId: 'S3', anonymousId: 'A3' }),
          ],
          [],
        );
      });

      it.each<[string, EventFilter[], string[]]>([
        ['everything', [{}], ['c1', 'c2', 'c3', 't1', 't2', 'p1']],
        ['no filters match nothing', [], []],
        ['types', [{ types: ['click'] }], ['c1', 'c2', 'c3']],
        ['empty type set matches nothing', [{ types: [] }], []],
        ['chain hashes', [{ types: ['click'], chainHashes: [chainHash(buy)] }], ['c1', 'c2']],
        ['empty chain hash set matches nothing', [{ chainHashes: [] }], []],
        ['url exact', [{ url: { op: 'exact', value: 'https://shop.example/cart' } }], ['c1', 'p1']],
        ['url contains', [{ url: { op: 'contains', value: '/cart' } }], ['c1', 'c2', 'p1']],
        ['url contains % literally', [{ url: { op: 'contains', value: '100%_' } }], ['t2']],
        ['url contains _ literally', [{ url: { op: 'contains', value: 'shop_example' } }], []],
        ['url regex (partial match)', [{ url: { op: 'regex', value: 'cart$' } }], ['c1', 'p1']],
        ['url regex anchored', [{ url: { op: 'regex', value: '^https://shop\\.example/$' } }], ['c3']],
        ['name exact', [{ name: { op: 'exact', value: 'Signed Up' } }], ['t1']],
        ['name contains (case-sensitive)', [{ name: { op: 'contains', value: 'signed up' } }], ['t2']],
        ['name regex', [{ name: { op: 'regex', value: '(?i)^signed' } }], ['t1', 't2']],
        ['from/to inclusive', [{ from: T + 2, to: T + 4 }], ['c2', 'c3', 't1']],
        ['sessionIds', [{ sessionIds: ['S2', 'S3'] }], ['c3', 't1', 't2', 'p1']],
        ['eventIds', [{ eventIds: ['c1', 'p1', 'nope'] }], ['c1', 'p1']],
        ['receivedFrom inclusive', [{ receivedFrom: T + 60_000 }], ['c3', 't1']],
        ['AND inside a filter', [{ types: ['click'], url: { op: 'contains', value: 'cart' }, to: T + 1 }], ['c1']],
        [
          'OR across filters (overlap counted once)',
          [{ types: ['click'], chainHashes: [chainHash(buy)] }, { url: { op: 'contains', value: 'cart' } }, { name: { op: 'exact', value: 'Signed Up' } }],
          ['c1', 'c2', 'p1', 't1'],
        ],
      ])('%s', async (_label, filters, expected) => {
        const counts = await store.countMatches(p, filters, 100);
        expect(counts.events).toBe(expected.length);
        expect(sorted(counts.sample.map((s) => s.eventId))).toEqual(sorted(expected));
        const found = await store.findEvents(p, filters, { limit: 100 });
        expect(sorted(ids(found))).toEqual(sorted(expected));
      });

      it('counts sessions and users and samples newest first', async () => {
        const counts = await store.countMatches(p, [{ types: ['click', 'custom'] }], 3);
        // S1/A1, S2/A2(=U2), S3/A3
        expect(counts).toEqual({
          events: 5,
          sessions: 3,
          users: 3,
          sample: [
            { eventId: 't2', sessionId: 'S3', ts: T + 5 },
            { eventId: 't1', sessionId: 'S2', ts: T + 4 },
            { eventId: 'c3', sessionId: 'S2', ts: T + 3 },
          ],
        });
        expect((await store.countMatches(p, [{}], 0)).sample).toEqual([]);
      });

      it('matches against a large chain-hash set (> 5,000 hashes)', async () => {
        const hashes = Array.from({ length: 6000 }, (_, i) => chainHash(chainOf('div', { 'data-i': String(i) })));
        hashes.splice(3000, 0, chainHash(nav));
        const counts = await store.countMatches(p, [{ chainHashes: hashes }], 10);
        expect(counts).toMatchObject({ events: 1, sessions: 1, users: 1 });
        expect(ids(await store.findEvents(p, [{ chainHashes: hashes }]))).toEqual(['c3']);
      });

      it('pages findEvents ordered by (ts, id)', async () => {
        const all = ['c1', 'c2', 'c3', 't1', 't2', 'p1'];
        expect(ids(await store.findEvents(p, [{}]))).toEqual(all);
        expect(ids(await store.findEvents(p, [{}], { limit: 2 }))).toEqual(all.slice(0, 2));
        expect(ids(await store.findEvents(p, [{}], { limit: 2, offset: 2 }))).toEqual(all.slice(2, 4));
        expect(ids(await store.findEvents(p, [{}], { limit: 2, offset: 6 }))).toEqual([]);
        const withChain = (await store.findEvents(p, [{ eventIds: ['c3'] }]))[0];
        expect(withChain.chain).toEqual(nav);
      });

      it('rejects an invalid regex as bad_input', async () => {
        await expect(store.countMatches(p, [{ url: { op: 'regex', value: '(' } }])).rejects.toBeInstanceOf(StoreError);
        await expect(store.countMatches(p, [{ url: { op: 'regex', value: '(' } }])).rejects.toMatchObject({ code: 'bad_input' });
      });

      it('regex dot does not match a newline (RE2/JS default) in every store', async () => {
        const q = freshProject();
        await store.append(q, [ev({ id: 'nl', name: 'a\nb', type: 'custom' })], []);
        expect((await store.countMatches(q, [{ name: { op: 'regex', value: 'a.b' } }])).events).toBe(0);
        expect((await store.countMatches(q, [{ name: { op: 'regex', value: '(?s)a.b' } }])).events).toBe(1);
      });
    });

    // ------------------------------------------------------------ definitions

    describe('definitions', () => {
      const input: DefinitionInput = {
        name: 'Checkout started',
        description: 'click on the buy button',
        category: 'monetization',
        rules: [{ event: 'click', selector: 'button.buy', url: { op: 'regex', value: '/cart$' } }],
      };

      it('keeps extracted properties with each version (definitions without them unchanged)', async () => {
        const p = freshProject();
        const props = [{ name: 'sku', attr: 'data-sku' }, { name: 'label', text: true as const }];
        const d = await store.createDefinition(p, { ...input, properties: props });
        expect(d.properties).toEqual(props);
        expect((await store.getDefinition(p, d.id))?.properties).toEqual(props);
        const v2 = await store.updateDefinition(p, d.id, input);
        expect(v2?.properties).toBeUndefined();
        expect((await store.definitionVersions(p, d.id)).map((v) => v.properties)).toEqual([props, undefined]);
        expect((await store.createDefinition(p, input)).properties).toBeUndefined();
      });

      it('saves a name with a lone UTF-16 surrogate (as U+FFFD), and its rules as given', async () => {
        const p = freshProject();
        const d = await store.createDefinition(p, { name: 'Cut \ud83d', description: '\udc00', rules: [{ event: 'click', text: { op: 'contains', value: 'x\ud83d' } }] });
        const got = await store.getDefinition(p, d.id);
        expect(got).toMatchObject({ name: 'Cut \ufffd', description: '\ufffd', rules: [{ event: 'click', text: { op: 'contains', value: 'x\ud83d' } }] });
      });

      it('creates, reads, lists, versions, updates and deletes', async () => {
        const p = freshProject();
        const d = await store.createDefinition(p, input);
        expect(d).toMatchObject({ ...input, version: 1 });
        expect(typeof d.id).toBe('string');
        expect(d.updatedAt).toBe(d.createdAt);
        expect(await store.getDefinition(p, d.id)).toEqual(d);

        const d2 = await store.createDefinition(p, { name: 'Minimal', rules: [{ event: 'pageview' }] });
        expect(d2).toMatchObject({ description: '', category: 'other', version: 1 });
        expect(ids(await store.listDefinitions(p))).toEqual([d.id, d2.id]);

        const u = await store.updateDefinition(p, d.id, { ...input, name: 'Checkout begun', rules: [] });
        expect(u).toMatchObject({ id: d.id, name: 'Checkout begun', version: 2, createdAt: d.createdAt, rules: [] });
        expect(u!.updatedAt).toBeGreaterThanOrEqual(d.updatedAt);
        expect(await store.getDefinition(p, d.id)).toEqual(u);
        expect((await store.listDefinitions(p)).find((x) => x.id === d.id)).toEqual(u);
        const versions = await store.definitionVersions(p, d.id);
        expect(versions.map((v) => [v.version, v.name])).toEqual([
          [1, 'Checkout started'],
          [2, 'Checkout begun'],
        ]);
        expect(versions[0]).toEqual(d);

        expect(await store.deleteDefinition(p, d.id)).toBe(true);
        expect(await store.deleteDefinition(p, d.id)).toBe(false);
        expect(await store.getDefinition(p, d.id)).toBeNull();
        expect(ids(await store.listDefinitions(p))).toEqual([d2.id]);
        expect(await store.updateDefinition(p, d.id, input)).toBeNull();
        // history stays readable after delete
        expect((await store.definitionVersions(p, d.id)).map((v) => v.version)).toEqual([1, 2]);
      });

      it('returns null/false for unknown ids and keeps projects apart', async () => {
        const p = freshProject();
        const d = await store.createDefinition(p, input);
        const other = freshProject();
        expect(await store.getDefinition(other, d.id)).toBeNull();
        expect(await store.updateDefinition(other, d.id, input)).toBeNull();
        expect(await store.deleteDefinition(other, d.id)).toBe(false);
        expect(await store.listDefinitions(other)).toEqual([]);
        expect(await store.definitionVersions(other, d.id)).toEqual([]);
      });

      it('rejects a definition without a name', async () => {
        await expect(store.createDefinition(freshProject(), { name: '', rules: [] })).rejects.toMatchObject({ code: 'bad_input' });
      });
    });

    // ------------------------------------------------------------ project settings

    describe('settings', () => {
      it('starts empty, sets keys, keeps other keys, latest write wins', async () => {
        const p = freshProject();
        expect(await store.getSettings(p)).toEqual({});
        await store.putSettings(p, { namingConvention: 'snake_case', theme: 'dark' });
        expect(await store.getSettings(p)).toEqual({ namingConvention: 'snake_case', theme: 'dark' });
        await store.putSettings(p, { namingConvention: 'title_case' });
        await store.putSettings(p, { namingConvention: 'none' });
        expect(await store.getSettings(p)).toEqual({ namingConvention: 'none', theme: 'dark' });
        await store.putSettings(p, {}); // no-op
        expect(await store.getSettings(p)).toEqual({ namingConvention: 'none', theme: 'dark' });
      });

      it('many quick writes to one key read back the last one', async () => {
        const p = freshProject();
        for (let i = 0; i < 20; i++) await store.putSettings(p, { n: String(i) });
        expect(await store.getSettings(p)).toEqual({ n: '19' });
      });

      it('keeps projects apart and stores hostile strings literally', async () => {
        const p1 = freshProject();
        const p2 = freshProject();
        const values = Object.fromEntries(NASTY_STRINGS.map(([label, v]) => [`${label}${v}`, v]));
        await store.putSettings(p1, values);
        expect(await store.getSettings(p1)).toEqual(values);
        expect(await store.getSettings(p2)).toEqual({});
      });

      it('rejects non-string values and empty names', async () => {
        await expect(store.putSettings(freshProject(), { x: 1 as never })).rejects.toMatchObject({ code: 'bad_input' });
        await expect(store.putSettings(freshProject(), { '': 'x' })).rejects.toMatchObject({ code: 'bad_input' });
      });
    });

    // ------------------------------------------------------------ hostile strings

    describe('injection strings are stored and matched literally', () => {
      it.each(NASTY_STRINGS)('%s', async (_label, s) => {
        const p = freshProject(`proj${s}`);
        const e = ev({
          id: `id${s}`,
          type: 'custom',
          sessionId: `sess${s}`,
          anonymousId: `anon${s}`,
          userId: `user${s}`,
          url: `https://shop.example/${s}`,
          title: s,
          referrer: s,
          name: s,
          props: { [s]: s },
          chain: chainOf('button', { 'data-s': s, class: s }, s),
          rec: { id: `rec${s}`, seq: 1 },
        });
        const decoy = ev({ id: 'decoy', sessionId: 'decoy', anonymousId: 'decoy', url: 'https://shop.example/plain', name: 'plain', type: 'custom' });
        await store.append(p, [e, decoy], [chunk({ id: `chunk${s}`, rec: `rec${s}`, seq: 0, ts: T, sessionId: `sess${s}`, events: [{ s }] })]);
        expect(await store.append(p, [e], [])).toMatchObject({ inserted: 0, duplicates: 1 });

        expect(await store.sessionEvents(p, `sess${s}`)).toEqual([stored(p, e)]);
        expect((await store.replayChunks(p, `sess${s}`))[0].events).toEqual([{ s }]);
        expect(ids((await store.listSessions(p, { userId: `user${s}` })).sessions)).toEqual([`sess${s}`]);
        expect(ids((await store.listSessions(p, { url: s })).sessions)).toEqual([`sess${s}`]);
        expect((await store.getSession(p, `sess${s}`))?.anonymousId).toBe(`anon${s}`);

        const match = async (f: EventFilter) => ids(await store.findEvents(p, [f]));
        expect(await match({ url: { op: 'exact', value: `https://shop.example/${s}` } })).toEqual([e.id]);
        expect(await match({ url: { op: 'contains', value: s } })).toEqual([e.id]);
        expect(await match({ name: { op: 'exact', value: s } })).toEqual([e.id]);
        expect(await match({ name: { op: 'contains', value: s } })).toEqual([e.id]);
        expect(await match({ sessionIds: [`sess${s}`] })).toEqual([e.id]);
        expect(await match({ eventIds: [`id${s}`] })).toEqual([e.id]);
        expect(await match({ types: [s] })).toEqual([]);
        expect(await match({ chainHashes: [e.chainHash] })).toEqual([e.id]);
        expect((await store.distinctChains(p))[0].chain).toEqual(e.chain);
        const counts = await store.countMatches(p, [{ name: { op: 'exact', value: s } }]);
        expect(counts).toMatchObject({ events: 1, sessions: 1, users: 1 });

        const d = await store.createDefinition(p, { name: s, description: s, category: s, rules: [{ event: s, text: { op: 'exact', value: s } }] });
        expect(await store.getDefinition(p, d.id)).toEqual(d);
        expect(await store.getDefinition(p, `${d.id}${s}`)).toBeNull();
      });
    });
  });
}
