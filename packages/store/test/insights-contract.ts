// Trends and funnels, one contract for every store, on data built so the answers are known by hand.
// duckdb.test.ts and clickhouse.test.ts run it next to the main contract.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventFilter, FunnelOptions, FunnelStep, Store, StoredEvent, TrendOptions, TrendPoint } from '../src/types.js';
import type { StoreHandle } from './contract.js';
import { ev, freshProject } from './fixtures/events.js';
import { cohortsSuite } from './cohorts-contract.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Monday 2024-01-01T00:00:00Z */
const MON = Date.UTC(2024, 0, 1);

const named = (name: string): EventFilter => ({ types: ['custom'], name: { op: 'exact', value: name } });

export function insightsContract(name: string, make: () => Promise<StoreHandle>): void {
  describe(`Store insights contract: ${name}`, () => {
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

    cohortsSuite(() => store);

    describe('trend', () => {
      let p: string;
      // user key per anonymous id: a4 and a5 are both identified as U
      const e = (id: string, anon: string, ts: number, type: StoredEvent['type'], extra: Partial<StoredEvent> = {}): StoredEvent =>
        ev({ id, anonymousId: anon, sessionId: `s-${anon}`, ts, type, ...(type === 'custom' ? { name: 'A' } : {}), ...extra });
      const events = [
        e('t01', 'a1', MON, 'custom'), // before `from` (06:00): excluded, though its bucket is shown
        e('t02', 'a1', MON + DAY - 1, 'click'), // last ms of Monday
        e('t03', 'a2', MON + DAY, 'click'), // first ms of Tuesday
        e('t04', 'a3', MON + DAY + HOUR, 'pageview'), // matches no filter
        e('t05', 'a2', MON + DAY + 2 * HOUR, 'custom'),
        e('t06', 'a2', MON + DAY + 3 * HOUR, 'custom', { name: 'other' }), // custom, but not A
        e('t07', 'a4', MON + 2 * DAY + HOUR, 'click'),
        e('t08', 'a5', MON + 2 * DAY + 2 * HOUR, 'click'),
        e('t09', 'a4', MON + 2 * DAY + 3 * HOUR, 'identify', { userId: 'U' }),
        e('t10', 'a5', MON + 5 * DAY, 'identify', { userId: 'U' }), // identify later than the events: still U
        // Wednesday: nothing. Thursday:
        e('t11', 'a1', MON + 3 * DAY + 12 * HOUR, 'click'),
        e('t12', 'a1', MON + 3 * DAY + 14 * HOUR, 'click'), // after `to` (13:00)
        // next weeks, for week buckets
        e('t13', 'a6', MON + 7 * DAY - 1, 'click'), // Sunday 23:59:59.999
        e('t14', 'a6', MON + 7 * DAY, 'click'), // Monday 00:00 of week 2
        e('t15', 'a7', MON + 14 * DAY + 5 * HOUR, 'click'),
      ];
      const filters: EventFilter[] = [named('A'), { types: ['click'] }];

      beforeAll(async () => {
        p = freshProject('trend');
        await store.append(p, events, []);
        // the same events again (a retried batch): nothing counts twice
        await store.append(p, events.slice(2, 6), []);
      });

      it('buckets by day, fills empty days, counts distinct identified users', async () => {
        const series = await store.trend(p, filters, { interval: 'day', from: MON + 6 * HOUR, to: MON + 3 * DAY + 13 * HOUR });
        expect(series).toEqual([
          { t: MON, events: 1, users: 1 }, // t02 (t01 is before from)
          { t: MON + DAY, events: 2, users: 1 }, // t03 + t05 by a2, duplicates ignored
          { t: MON + 2 * DAY, events: 2, users: 1 }, // a4 + a5 = U
          { t: MON + 3 * DAY, events: 1, users: 1 }, // t11 (t12 after to)
        ]);
      });

      it('has the bucket containing `from` and the one containing `to`, inclusive bounds', async () => {
        const series = await store.trend(p, filters, { interval: 'day', from: MON, to: MON + DAY });
        expect(series).toEqual([
          { t: MON, events: 2, users: 1 },
          { t: MON + DAY, events: 1, users: 1 }, // to = first ms of Tuesday, t03 included
        ]);
        expect(await store.trend(p, filters, { interval: 'day', from: MON + DAY - 1, to: MON + DAY - 1 })).toEqual([
          { t: MON, events: 1, users: 1 },
        ]);
      });

      it('buckets by hour', async () => {
        const series = await store.trend(p, filters, { interval: 'hour', from: MON + DAY - 2 * HOUR, to: MON + DAY + 2 * HOUR + 30 * MIN });
        expect(series).toEqual([
          { t: MON + DAY - 2 * HOUR, events: 0, users: 0 },
          { t: MON + DAY - HOUR, events: 1, users: 1 },
          { t: MON + DAY, events: 1, users: 1 },
          { t: MON + DAY + HOUR, events: 0, users: 0 }, // t04 is a pageview
          { t: MON + DAY + 2 * HOUR, events: 1, users: 1 },
        ]);
      });

      it('buckets by week starting on Monday', async () => {
        const series = await store.trend(p, filters, { interval: 'week', from: MON + 2 * DAY, to: MON + 16 * DAY });
        expect(series).toEqual([
          // from Wednesday: t07, t08 (U), t11 (a1), t13 (a6); t12 too (a1, Thursday 14:00)
          { t: MON, events: 5, users: 3 },
          { t: MON + 7 * DAY, events: 1, users: 1 },
          { t: MON + 14 * DAY, events: 1, users: 1 },
        ]);
        // a Sunday `from` still starts at that week's Monday
        expect((await store.trend(p, filters, { interval: 'week', from: MON + 7 * DAY - 1, to: MON + 7 * DAY - 1 }))[0]).toEqual({
          t: MON,
          events: 1,
          users: 1,
        });
      });

      it('shifts boundaries by tzOffsetMinutes (local = UTC + offset)', async () => {
        // UTC+1: local days start at 23:00Z; t02 (Mon 23:59:59.999Z) is Tuesday 00:59 local
        const series = await store.trend(p, filters, { interval: 'day', from: MON + 6 * HOUR, to: MON + DAY + 12 * HOUR, tzOffsetMinutes: 60 });
        expect(series).toEqual([
          { t: MON - HOUR, events: 0, users: 0 },
          { t: MON + DAY - HOUR, events: 3, users: 2 }, // t02 (a1), t03 + t05 (a2)
        ]);
        // UTC-5 weeks: Monday 00:00 local = 05:00Z
        const weeks = await store.trend(p, filters, { interval: 'week', from: MON + 7 * DAY - 1, to: MON + 7 * DAY + 6 * HOUR, tzOffsetMinutes: -300 });
        expect(weeks).toEqual([
          { t: MON + 5 * HOUR, events: 2, users: 1 }, // t13, t14 (a6) are both Sunday evening local
          { t: MON + 7 * DAY + 5 * HOUR, events: 0, users: 0 },
        ]);
      });

      it('gives zeros for no filters and for an unknown project', async () => {
        const zeros = [
          { t: MON, events: 0, users: 0 },
          { t: MON + DAY, events: 0, users: 0 },
        ];
        expect(await store.trend(p, [], { interval: 'day', from: MON, to: MON + DAY })).toEqual(zeros);
        expect(await store.trend(freshProject(), [{}], { interval: 'day', from: MON, to: MON + DAY })).toEqual(zeros);
      });

      it('applies the filters own time bounds too', async () => {
        const series = await store.trend(p, [{ types: ['click'], to: MON + DAY }], { interval: 'day', from: MON, to: MON + 2 * DAY });
        expect(series.map((x) => x.events)).toEqual([1, 1, 0]);
      });

      it('rejects bad options with bad_input', async () => {
        for (const opts of [
          { interval: 'month', from: MON, to: MON + DAY },
          { interval: 'day', from: MON + DAY, to: MON },
          { interval: 'day', from: Number.NaN, to: MON },
          { interval: 'hour', from: 0, to: MON },
          { interval: 'day', from: MON, to: MON, tzOffsetMinutes: 1.5 },
        ]) {
          await expect(store.trend(p, filters, opts as never)).rejects.toMatchObject({ code: 'bad_input' });
        }
      });
    });

    describe('funnel', () => {
      let p: string;
      const FROM = MON;
      const TO = MON + DAY;
      const W = HOUR;
      const steps: EventFilter[][] = [[named('A')], [named('B'), named('B2')], [named('C')]];
      const opts = { windowMs: W, from: FROM, to: TO };
      let n = 0;
      const e = (user: string, name: string, ts: number, extra: Partial<StoredEvent> = {}): StoredEvent =>
        ev({ id: `f${String(++n).padStart(3, '0')}-${user}`, type: 'custom', name, anonymousId: user, sessionId: `s-${user}`, ts, ...extra });
      const T = FROM + HOUR; // most users start here
      const dup = e('u7', 'A', T);
      const dupB = e('u7', 'B', T + 7 * MIN);
      const events: StoredEvent[] = [
        // u1: A → B (10m) → C (10m)
        e('u1', 'A', T), e('u1', 'B', T + 10 * MIN), e('u1', 'C', T + 20 * MIN),
        // u2: A → B (30m)
        e('u2', 'A', T), e('u2', 'B', T + 30 * MIN),
        // u3: A → B (50m); C after the window from A
        e('u3', 'A', T), e('u3', 'B', T + 50 * MIN), e('u3', 'C', T + 2 * HOUR),
        // u4: B outside the window
        e('u4', 'A', T), e('u4', 'B', T + 2 * HOUR),
        // u5: B before A
        e('u5', 'B', T), e('u5', 'A', T + 10 * MIN),
        // u6: A anonymously (a6), identified later; B (5m) from another device (a6b) of the same user
        e('a6', 'A', T), e('a6', 'x', T + MIN, { type: 'identify', name: undefined, userId: 'user6' }),
        e('a6b', 'B', T + 5 * MIN, { userId: 'user6' }),
        // u7: A and B each posted twice (B 7m)
        dup, dupB,
        // u8: A before the range, B inside: never enters
        e('u8', 'A', FROM - HOUR), e('u8', 'B', FROM + 10 * MIN),
        // u9: two attempts; the second reaches C: B 20m, C 20m
        e('u9', 'A', T), e('u9', 'A', T + 3 * HOUR), e('u9', 'B', T + 3 * HOUR + 20 * MIN), e('u9', 'C', T + 3 * HOUR + 40 * MIN),
        // u10: A and B in the same ms, A's id first: converts (0m)
        ev({ id: 'g10-a', type: 'custom', name: 'A', anonymousId: 'u10', sessionId: 's-u10', ts: T }),
        ev({ id: 'g10-b', type: 'custom', name: 'B', anonymousId: 'u10', sessionId: 's-u10', ts: T }),
        // u11: same ms, B's id first: does not convert
        ev({ id: 'g11-a', type: 'custom', name: 'B', anonymousId: 'u11', sessionId: 's-u11', ts: T }),
        ev({ id: 'g11-b', type: 'custom', name: 'A', anonymousId: 'u11', sessionId: 's-u11', ts: T }),
        // u13: A exactly at `to`, B after `to` but inside the window (30m)
        e('u13', 'A', TO), e('u13', 'B', TO + 30 * MIN),
        // u14: B2 (step 1 is B or B2) exactly at the window edge (60m)
        e('u14', 'A', T), e('u14', 'B2', T + W),
        // u15: B just past the window edge
        e('u15', 'A', T), e('u15', 'B', T + W + 1),
        // u17: only the later start reaches C: A, A(+40m) → B (10m) → C (45m), 95m after the first A
        e('u17', 'A', T), e('u17', 'A', T + 40 * MIN), e('u17', 'B', T + 50 * MIN), e('u17', 'C', T + 95 * MIN),
        // u18: A after `to`: never enters
        e('u18', 'A', TO + 1), e('u18', 'B', TO + 2),
        // u19: C without B
        e('u19', 'A', T), e('u19', 'C', T + MIN),
      ];
      // step 0: u1 u2 u3 u4 u5 user6 u7 u9 u10 u11 u13 u14 u15 u17 u19 = 15
      // step 1: u1 10, u2 30, u3 50, user6 5, u7 7, u9 20, u10 0, u13 30, u14 60, u17 10 = 10 users
      //         sorted 0 5 7 10 10 20 30 30 50 60 → median (10 + 20) / 2 = 15m
      // step 2: u1 10, u9 20, u17 45 → median 20m

      beforeAll(async () => {
        p = freshProject('funnel');
        await store.append(p, events, []);
        await store.append(p, [dup, dupB, dup], []);
      });

      it('counts users per step with the best attempt, conversion and median time from the previous step', async () => {
        expect(await store.funnel(p, steps, opts)).toEqual([
          { users: 15, conversion: 1, medianMsFromPrevious: null },
          { users: 10, conversion: 10 / 15, medianMsFromPrevious: 15 * MIN },
          { users: 3, conversion: 3 / 15, medianMsFromPrevious: 20 * MIN },
        ]);
      });

      it('lists who dropped before a step, where they were, latest first', async () => {
        const at1 = await store.funnelDropoffs(p, steps, { ...opts, step: 1 });
        // entered (A) but no B in the window; u5's B came before its A
        expect(at1).toEqual([
          { user: 'u5', identified: false, sessionId: 's-u5', ts: T + 10 * MIN },
          { user: 'u11', identified: false, sessionId: 's-u11', ts: T },
          { user: 'u15', identified: false, sessionId: 's-u15', ts: T },
          { user: 'u19', identified: false, sessionId: 's-u19', ts: T },
          { user: 'u4', identified: false, sessionId: 's-u4', ts: T },
        ]);
        const at2 = await store.funnelDropoffs(p, steps, { ...opts, step: 2 });
        expect(at2.map((d) => [d.user, d.ts - T])).toEqual([
          ['u13', TO + 30 * MIN - T],
          ['u14', W],
          ['u3', 50 * MIN],
          ['u2', 30 * MIN],
          ['u7', 7 * MIN],
          ['user6', 5 * MIN],
          ['u10', 0],
        ]);
        // user6 reached B on their second device: that is where the replay is
        expect(at2.find((d) => d.user === 'user6')).toMatchObject({ identified: true, sessionId: 's-a6b' });
        expect((await store.funnelDropoffs(p, steps, { ...opts, step: 2, limit: 2 })).map((d) => d.user)).toEqual(['u13', 'u14']);
        for (const bad of [0, 3, 1.5]) {
          await expect(store.funnelDropoffs(p, steps, { ...opts, step: bad })).rejects.toMatchObject({ code: 'bad_input' });
        }
      });

      it('a one-step funnel counts entering users', async () => {
        expect(await store.funnel(p, [[named('A')]], opts)).toEqual([{ users: 15, conversion: 1, medianMsFromPrevious: null }]);
      });

      it('a wider window lets u3 reach C and u4 and u15 reach B', async () => {
        const r = await store.funnel(p, steps, { ...opts, windowMs: 3 * HOUR });
        // step 1 adds u4 (B 120m after A) and u15 (60m + 1ms); u8's A is still before the range
        expect(r.map((s) => s.users)).toEqual([15, 12, 4]);
        // step 2: u1 10, u3 70 (C 2h after A, B at 50m), u9 20, u17 45 → (20 + 45) / 2
        expect(r[2].medianMsFromPrevious).toBe(32.5 * MIN);
      });

      it('a zero window needs same-ms steps in id order', async () => {
        const r = await store.funnel(p, steps, { ...opts, windowMs: 0 });
        expect(r).toEqual([
          { users: 15, conversion: 1, medianMsFromPrevious: null },
          { users: 1, conversion: 1 / 15, medianMsFromPrevious: 0 },
          { users: 0, conversion: 0, medianMsFromPrevious: null },
        ]);
      });

      it('a step reached by one event cannot also be the next step', async () => {
        const q = freshProject('funnel-self');
        await store.append(q, [ev({ id: 'only', type: 'custom', name: 'A', ts: T })], []);
        expect((await store.funnel(q, [[named('A')], [named('A')]], opts)).map((s) => s.users)).toEqual([1, 0]);
        // in any order one event does every step it matches
        expect(await store.funnel(q, [[named('A')], [named('A')]], { ...opts, order: 'any' })).toEqual([
          { users: 1, conversion: 1, medianMsFromPrevious: null },
          { users: 1, conversion: 1, medianMsFromPrevious: 0 },
        ]);
        await store.append(q, [ev({ id: 'second', type: 'custom', name: 'A', ts: T + MIN })], []);
        expect(await store.funnel(q, [[named('A')], [named('A')]], opts)).toEqual([
          { users: 1, conversion: 1, medianMsFromPrevious: null },
          { users: 1, conversion: 1, medianMsFromPrevious: MIN },
        ]);
      });

      it('gives zero users and conversion when nobody enters', async () => {
        expect(await store.funnel(p, [[named('nope')], [named('B')]], opts)).toEqual([
          { users: 0, conversion: 0, medianMsFromPrevious: null },
          { users: 0, conversion: 0, medianMsFromPrevious: null },
        ]);
        expect((await store.funnel(p, [[], [named('B')]], opts)).map((s) => s.users)).toEqual([0, 0]);
      });

      it('respects time bounds inside the step filters', async () => {
        // step 1 only before T + 15m: u1, user6, u7, u10, u17 (B at +50m > 15m excluded) → u1 user6 u7 u10
        const r = await store.funnel(p, [[named('A')], [{ ...named('B'), to: T + 15 * MIN }]], opts);
        expect(r.map((s) => s.users)).toEqual([15, 4]);
        expect(r[1].medianMsFromPrevious).toBe(6 * MIN); // 0 5 7 10 → (5 + 7) / 2
      });

      it('agrees with a brute-force reference on random data (ties, identities, duplicates)', async () => {
        for (const seed of [20240101, 7, 424242]) {
          const q = freshProject('funnel-random');
          const data = randomData(seed);
          await store.append(q, data, []);
          await store.append(q, data.filter((_, i) => i % 3 === 0), []);
          for (const [stepNames, windowMs] of [
            [['A', 'B', 'C'], 30 * MIN],
            [['A', 'B', 'C'], 3 * HOUR],
            [['A', 'A', 'B'], HOUR],
            [['B', 'A'], 0],
            [['C'], HOUR],
          ] as [string[], number][]) {
            const o = { windowMs, from: MON, to: MON + 6 * HOUR };
            const got = await store.funnel(q, stepNames.map((x) => [named(x)]), o);
            expect(got, `${stepNames} ${windowMs}`).toEqual(referenceFunnel(data, stepNames, o));
            const any = await store.funnel(q, stepNames.map((x) => [named(x)]), { ...o, order: 'any' });
            expect(any, `any order ${stepNames} ${windowMs}`).toEqual(referenceAnyOrderFunnel(data, stepNames, o));
          }
          for (const interval of ['hour', 'day'] as const) {
            const o = { interval, from: MON + 30 * MIN, to: MON + 7 * HOUR, tzOffsetMinutes: interval === 'day' ? -90 : 0 };
            expect(await store.trend(q, [named('A'), named('C')], o)).toEqual(referenceTrend(data, ['A', 'C'], o));
          }
        }
        // 30 funnels: ClickHouse 18.16 spends ~0.5 s analysing each on a busy 2-core machine
      }, 120_000);

      it('handles 20 steps (the server maximum)', async () => {
        const q = freshProject('funnel-20');
        const names = Array.from({ length: 20 }, (_, i) => (i % 2 ? 'B' : 'A'));
        await store.append(
          q,
          names.map((name, i) => ev({ id: `s${String(i).padStart(2, '0')}`, type: 'custom', name, ts: T + i * MIN })),
          [],
        );
        const r = await store.funnel(q, names.map((x) => [named(x)]), opts);
        expect(r).toEqual(names.map((_, i) => ({ users: 1, conversion: 1, medianMsFromPrevious: i ? MIN : null })));
        // 15 minutes of window: steps 0..15
        const short = await store.funnel(q, names.map((x) => [named(x)]), { ...opts, windowMs: 15 * MIN });
        expect(short.map((x) => x.users)).toEqual(names.map((_, i) => (i <= 15 ? 1 : 0)));
        // in any order the first A does the ten A steps and the first B (1 min later) the ten B steps
        const any = await store.funnel(q, names.map((x) => [named(x)]), { ...opts, windowMs: 15 * MIN, order: 'any' });
        expect(any.map((x) => [x.users, x.medianMsFromPrevious])).toEqual(names.map((_, i) => [1, i === 0 ? null : i === 10 ? MIN : 0]));
        // ClickHouse 18.16 takes 10-25 s to analyse the ~20 nested subqueries of a 20-step funnel on a
        // busy 2-core machine; the default 30 s made this flaky in CI.
      }, 120_000);

      it('a user with thousands of candidate events counts like any other (DuckDB takes another path past 2,000)', async () => {
        const q = freshProject('funnel-heavy');
        const SEC30 = 30_000;
        const heavy = Array.from({ length: 2400 }, (_, i) =>
          ev({ id: `h${String(i).padStart(5, '0')}`, type: 'custom', name: 'ABC'[i % 3], anonymousId: 'h', sessionId: 's-h', ts: T + i * SEC30 }),
        );
        const light = [
          ev({ id: 'l1', type: 'custom', name: 'A', anonymousId: 'l', sessionId: 's-l', ts: T }),
          ev({ id: 'l2', type: 'custom', name: 'C', anonymousId: 'l', sessionId: 's-l', ts: T + 5 * MIN }),
        ];
        await store.append(q, [...heavy, ...light], []);
        const abc = [[named('A')], [named('B')], [named('C')]];
        // h: A, B (30s), C (30s), all 2,400 within the range; l: A only (strict) or A, C (5m) in any order
        expect((await store.funnel(q, abc, opts)).map((x) => [x.users, x.medianMsFromPrevious])).toEqual([[2, null], [1, SEC30], [1, SEC30]]);
        const any = await store.funnel(q, abc, { ...opts, order: 'any' });
        expect(any.map((x) => [x.users, x.medianMsFromPrevious])).toEqual([[2, null], [2, (SEC30 + 5 * MIN) / 2], [1, SEC30]]);
        expect(await store.funnelDropoffs(q, abc, { ...opts, step: 1 })).toEqual([{ user: 'l', identified: false, sessionId: 's-l', ts: T }]);
        expect((await store.funnelDropoffs(q, abc, { ...opts, step: 2, order: 'any' })).map((d) => [d.user, d.ts])).toEqual([['l', T + 5 * MIN]]);
      });

      it('counts the first-received copy of an id whose retried copy got another ts', async () => {
        const q = freshProject('funnel-copies');
        const first = [
          ev({ id: 'c-a', type: 'custom', name: 'A', ts: T }),
          ev({ id: 'c-b', type: 'custom', name: 'B', ts: T + 2 * HOUR }), // outside the window
          ev({ id: 'c-x', type: 'custom', name: 'A', anonymousId: 'other', sessionId: 's2', ts: T - DAY }), // before the range
        ];
        // the same batch re-sent later and skew-corrected differently
        const again = [first[0], { ...first[1], ts: T + 10 * MIN }, { ...first[2], ts: T + 5 * MIN }].map((e) => ({
          ...e,
          receivedAt: e.receivedAt + 1,
        }));
        await Promise.all([store.append(q, first, []), store.append(q, again, [])]);
        expect((await store.findEvents(q, [{}])).map((e) => e.ts)).toEqual([T - DAY, T, T + 2 * HOUR]);
        expect((await store.funnel(q, [[named('A')], [named('B')]], { windowMs: HOUR, from: T, to: T })).map((s) => s.users)).toEqual([1, 0]);
        expect(await store.trend(q, [named('A'), named('B')], { interval: 'hour', from: T, to: T + HOUR })).toEqual([
          { t: T, events: 1, users: 1 },
          { t: T + HOUR, events: 0, users: 0 },
        ]);
      });

      it('rejects bad options with bad_input', async () => {
        await expect(store.funnel(p, [], opts)).rejects.toMatchObject({ code: 'bad_input' });
        await expect(store.funnel(p, steps, { ...opts, windowMs: -1 })).rejects.toMatchObject({ code: 'bad_input' });
        await expect(store.funnel(p, steps, { ...opts, from: TO, to: FROM })).rejects.toMatchObject({ code: 'bad_input' });
        await expect(store.funnel(p, steps, { ...opts, order: 'sideways' as never })).rejects.toMatchObject({ code: 'bad_input' });
      });
    });

    describe('funnel in any order', () => {
      let p: string;
      const FROM = MON;
      const TO = MON + DAY;
      const W = HOUR;
      const T = FROM + HOUR;
      const steps: EventFilter[][] = [[named('A')], [named('B'), named('B2')], [named('C')]];
      const strict = { windowMs: W, from: FROM, to: TO };
      const any = { ...strict, order: 'any' as const };
      let n = 0;
      const e = (user: string, name: string, ts: number): StoredEvent =>
        ev({ id: `o${String(++n).padStart(3, '0')}-${user}`, type: 'custom', name, anonymousId: user, sessionId: `s-${user}`, ts });
      const events: StoredEvent[] = [
        // v1: B, A (10m), C (10m). Strict: A enters, no B after it
        e('v1', 'B', T), e('v1', 'A', T + 10 * MIN), e('v1', 'C', T + 20 * MIN),
        // v2: C, B2 (5m), no A at all. Strict: never enters
        e('v2', 'C', T), e('v2', 'B2', T + 5 * MIN),
        // v3: A, C (30m). Strict: A only
        e('v3', 'A', T), e('v3', 'C', T + 30 * MIN),
        // v4: C alone
        e('v4', 'C', T + 5 * MIN),
        // v5: B, then A 2 h later: one step per attempt; the attempt is the first (B)
        e('v5', 'B', T), e('v5', 'A', T + 2 * HOUR),
        // v6: A, B (10m), C (10m): the same in both orders
        e('v6', 'A', T), e('v6', 'B', T + 10 * MIN), e('v6', 'C', T + 20 * MIN),
        // v8: C, A (50m), B (70m, past the window from C). From C: C, A; from A: A, B; the first wins.
        // Strict: A → B (20m)
        e('v8', 'C', T), e('v8', 'A', T + 50 * MIN), e('v8', 'B', T + 70 * MIN),
        // v10: B exactly at `to`, A after `to` (30m): A is a later step. Strict: A after `to` never enters
        e('v10', 'B', TO), e('v10', 'A', TO + 30 * MIN),
        // v11: only after `to`: never enters
        e('v11', 'C', TO + 1), e('v11', 'A', TO + 2),
      ];
      // any order, distinct steps per user: v1 3 (10m, 10m), v2 2 (5m), v3 2 (30m), v4 1, v5 1,
      // v6 3 (10m, 10m), v8 2 (50m), v10 2 (30m)
      //   step 0: 8 users; step 1: v1 v2 v3 v6 v8 v10 = 6, gaps 5 10 10 30 30 50 → (10 + 30) / 2 = 20m
      //   step 2: v1 v6, gaps 10 10 → 10m
      // strict: entered v1 v3 v5 v6 v8 = 5; step 1: v6 10m, v8 20m → 15m; step 2: v6 10m

      beforeAll(async () => {
        p = freshProject('funnel-any');
        await store.append(p, events, []);
      });

      it('counts users by distinct steps done within the window, in any order', async () => {
        expect(await store.funnel(p, steps, any)).toEqual([
          { users: 8, conversion: 1, medianMsFromPrevious: null },
          { users: 6, conversion: 6 / 8, medianMsFromPrevious: 20 * MIN },
          { users: 2, conversion: 2 / 8, medianMsFromPrevious: 10 * MIN },
        ]);
      });

      it('is strict by default, and strict gives other answers on the same events', async () => {
        const expected = [
          { users: 5, conversion: 1, medianMsFromPrevious: null },
          { users: 2, conversion: 2 / 5, medianMsFromPrevious: 15 * MIN },
          { users: 1, conversion: 1 / 5, medianMsFromPrevious: 10 * MIN },
        ];
        expect(await store.funnel(p, steps, strict)).toEqual(expected);
        expect(await store.funnel(p, steps, { ...strict, order: 'strict' })).toEqual(expected);
      });

      it('a wider window: v5 does B and A; v8 does C, A and B', async () => {
        const r = await store.funnel(p, steps, { ...any, windowMs: 2 * HOUR });
        // step 1: + v5 (A 120m after B); step 2: + v8 (C, A 50m, B 20m): v1 10, v6 10, v8 20 → 10m
        expect(r.map((s) => s.users)).toEqual([8, 7, 3]);
        expect(r[2].medianMsFromPrevious).toBe(10 * MIN);
      });

      it('lists who dropped in any order, at their last done step', async () => {
        // one step: v4 (C at +5m) and v5 (B at T; its first attempt)
        expect(await store.funnelDropoffs(p, steps, { ...any, step: 1 })).toEqual([
          { user: 'v4', identified: false, sessionId: 's-v4', ts: T + 5 * MIN },
          { user: 'v5', identified: false, sessionId: 's-v5', ts: T },
        ]);
        // two steps, latest first; v8 stopped at its A (a step other than step 1)
        expect(await store.funnelDropoffs(p, steps, { ...any, step: 2 })).toEqual([
          { user: 'v10', identified: false, sessionId: 's-v10', ts: TO + 30 * MIN },
          { user: 'v8', identified: false, sessionId: 's-v8', ts: T + 50 * MIN },
          { user: 'v3', identified: false, sessionId: 's-v3', ts: T + 30 * MIN },
          { user: 'v2', identified: false, sessionId: 's-v2', ts: T + 5 * MIN },
        ]);
      });
    });
  });
}

// ------------------------------------------------------------ references for the random check

/** deterministic PRNG (mulberry32) */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 40 people, some with two devices linked by identify; 5-minute times so ties are common */
function randomData(seed: number): StoredEvent[] {
  const r = rng(seed);
  const out: StoredEvent[] = [];
  let n = 0;
  for (let u = 0; u < 40; u++) {
    const anons = r() < 0.3 ? [`r${u}a`, `r${u}b`] : [`r${u}a`];
    const count = Math.floor(r() * 24);
    for (let k = 0; k < count; k++) {
      const anon = anons[Math.floor(r() * anons.length)];
      const ts = MON - HOUR + Math.floor(r() * 8 * 12) * 5 * MIN;
      const name = ['A', 'B', 'C', 'D'][Math.floor(r() * 4)];
      // ids in random order relative to time, so (ts, id) ties are decided by id
      out.push(ev({ id: `${Math.floor(r() * 1e6).toString(36)}-${++n}`, type: 'custom', name, anonymousId: anon, sessionId: `rs-${anon}`, ts }));
    }
    if (anons.length === 2) {
      for (const anon of anons) {
        out.push(ev({ id: `id-${++n}`, type: 'identify', anonymousId: anon, sessionId: `rs-${anon}`, userId: `user-${u}`, ts: MON + 20 * HOUR }));
      }
    }
  }
  return out;
}

const userOf = (events: StoredEvent[]): ((anon: string) => string) => {
  const ident = new Map<string, string>();
  for (const e of events) if (e.userId) ident.set(e.anonymousId, e.userId);
  return (anon) => (ident.has(anon) ? `u:${ident.get(anon)}` : `a:${anon}`);
};

const median = (xs: number[]): number | null => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return (s[Math.floor((s.length - 1) / 2)] + s[Math.floor(s.length / 2)]) / 2;
};

function referenceTrend(events: StoredEvent[], names: string[], o: TrendOptions): TrendPoint[] {
  const size = { hour: HOUR, day: DAY, week: 7 * DAY }[o.interval];
  const off = (o.tzOffsetMinutes ?? 0) * MIN;
  const origin = (o.interval === 'week' ? 4 * DAY : 0) - off;
  const start = (t: number): number => t - ((((t - origin) % size) + size) % size);
  const user = userOf(events);
  const buckets = new Map<number, { ids: Set<string>; users: Set<string> }>();
  for (let t = start(o.from); t <= start(o.to); t += size) buckets.set(t, { ids: new Set(), users: new Set() });
  for (const e of events) {
    if (e.type !== 'custom' || !names.includes(e.name ?? '') || e.ts < o.from || e.ts > o.to) continue;
    const b = buckets.get(start(e.ts))!;
    b.ids.add(e.id);
    b.users.add(user(e.anonymousId));
  }
  return [...buckets].map(([t, b]) => ({ t, events: b.ids.size, users: b.users.size }));
}

/**
 * Counts by brute force (every chain from every start); the attempt used for the medians is the
 * documented one: the first event (in (ts, id) order) at the user's highest step, each step
 * continuing the last earlier event that reached the step before.
 */
function referenceFunnel(events: StoredEvent[], names: string[], o: FunnelOptions): FunnelStep[] {
  const user = userOf(events);
  const byId = new Map(events.map((e) => [e.id, e]));
  const perUser = new Map<string, StoredEvent[]>();
  for (const e of byId.values()) {
    if (e.type !== 'custom' || e.ts < o.from || e.ts > o.to + o.windowMs) continue;
    const u = user(e.anonymousId);
    perUser.set(u, [...(perUser.get(u) ?? []), e]);
  }
  const K = names.length;
  const users = new Array<number>(K).fill(0);
  const gaps: number[][] = names.map(() => []);
  const before = (a: StoredEvent, b: StoredEvent): boolean => a.ts < b.ts || (a.ts === b.ts && a.id < b.id);
  for (const list of perUser.values()) {
    list.sort((a, b) => (before(a, b) ? -1 : 1));
    const match = (e: StoredEvent, j: number): boolean => e.name === names[j] && (j > 0 || e.ts <= o.to);
    // brute force: highest level over all starts and all chains
    let best = -1;
    const walk = (start: StoredEvent, last: number, j: number): void => {
      best = Math.max(best, j);
      if (j + 1 >= K) return;
      for (let i = last + 1; i < list.length; i++) {
        if (match(list[i], j + 1) && list[i].ts - start.ts <= o.windowMs) walk(start, i, j + 1);
      }
    };
    list.forEach((e, i) => match(e, 0) && walk(e, i, 0));
    if (best < 0) continue;
    for (let k = 0; k <= best; k++) users[k]++;
    // the documented attempt
    const chains: (number[] | null)[][] = names.map(() => list.map(() => null));
    list.forEach((e, i) => {
      if (match(e, 0)) chains[0][i] = [e.ts];
    });
    for (let j = 1; j < K; j++) {
      let last: number[] | null = null;
      list.forEach((e, i) => {
        if (match(e, j) && last && e.ts - last[0] <= o.windowMs) chains[j][i] = [...last, e.ts];
        if (chains[j - 1][i]) last = chains[j - 1][i];
      });
    }
    const chain = chains[best].find((c) => c !== null)!;
    expect(chain).toHaveLength(best + 1);
    for (let k = 1; k <= best; k++) gaps[k].push(chain[k] - chain[k - 1]);
  }
  return users.map((n, k) => ({
    users: n,
    conversion: k === 0 ? (users[0] ? 1 : 0) : users[0] ? n / users[0] : 0,
    medianMsFromPrevious: k === 0 ? null : median(gaps[k]),
  }));
}

/**
 * Any order by brute force: every in-range event of any step starts an attempt holding the events
 * from it (in (ts, id) order) to its ts + window; a step is done at its first event there. The
 * user's attempt is the first with the most steps; its chain is the done times, sorted.
 */
function referenceAnyOrderFunnel(events: StoredEvent[], names: string[], o: FunnelOptions): FunnelStep[] {
  const user = userOf(events);
  const byId = new Map(events.map((e) => [e.id, e]));
  const perUser = new Map<string, StoredEvent[]>();
  for (const e of byId.values()) {
    if (e.type !== 'custom' || !names.includes(e.name ?? '') || e.ts < o.from || e.ts > o.to + o.windowMs) continue;
    const u = user(e.anonymousId);
    perUser.set(u, [...(perUser.get(u) ?? []), e]);
  }
  const K = names.length;
  const users = new Array<number>(K).fill(0);
  const gaps: number[][] = names.map(() => []);
  for (const list of perUser.values()) {
    list.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
    let best: number[] = [];
    list.forEach((s, i) => {
      if (s.ts > o.to) return;
      const done = names.map((name) => list.slice(i).find((e) => e.name === name && e.ts <= s.ts + o.windowMs)?.ts);
      const chain = done.filter((t): t is number => t !== undefined).sort((a, b) => a - b);
      if (chain.length > best.length) best = chain;
    });
    for (let k = 0; k < best.length; k++) {
      users[k]++;
      if (k > 0) gaps[k].push(best[k] - best[k - 1]);
    }
  }
  return users.map((n, k) => ({
    users: n,
    conversion: k === 0 ? (users[0] ? 1 : 0) : users[0] ? n / users[0] : 0,
    medianMsFromPrevious: k === 0 ? null : median(gaps[k]),
  }));
}
