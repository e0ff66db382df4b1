// The contract against a real clickhouse-server (Debian's 18.16 here), plus what only a shared,
// eventually-merging ClickHouse has: several stateless servers inserting the same batch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@clickhouse/client';
import { ClickHouseStore, createStore } from '../src/index.js';
import { sqlString } from '../src/clickhouse/escape.js';
import { startClickHouse, type RunningClickHouse } from './clickhouse-server.js';
import { opsContract } from './ops-contract.js';
import { NASTY_STRINGS, storeContract } from './contract.js';
import { insightsContract } from './insights-contract.js';
import { destinationsContract } from './destinations-contract.js';
import { chainOf, chunk, ev, freshProject } from './fixtures/events.js';

let server: Promise<RunningClickHouse> | null = null;
const shared = (): Promise<RunningClickHouse> => (server ??= startClickHouse());
afterAll(async () => {
  await (await server)?.stop();
});

storeContract('clickhouse', async () => {
  const store = new ClickHouseStore((await shared()).url);
  await store.init();
  return { store, cleanup: () => store.close() };
});

opsContract('clickhouse', async () => {
  const store = new ClickHouseStore((await shared()).url);
  await store.init();
  return { store, cleanup: () => store.close() };
});

describe('ClickHouse specifics', () => {
  let ch: RunningClickHouse;
  beforeAll(async () => {
    ch = await shared();
  });

  it.each([
    ...NASTY_STRINGS,
    ['every ASCII character', Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join('')],
    ['astral + combining', 'e\u0301 𝔘𝔫𝔦𝔠𝔬𝔡𝔢'],
  ] as [string, string][])('sqlString round-trips %s through the server unchanged', async (_label, s) => {
    const client = createClient({ url: `http://127.0.0.1:${ch.httpPort}` });
    try {
      const rs = await client.query({ query: `SELECT ${sqlString(s)} AS v, length(${sqlString(s)}) AS n`, format: 'JSONEachRow' });
      const [row] = await rs.json<{ v: string; n: string | number }>();
      expect(row.v).toBe(s);
      expect(Number(row.n)).toBe(Buffer.byteLength(s, 'utf8'));
    } finally {
      await client.close();
    }
  });

  it('createStore picks ClickHouse for clickhouse:// and creates the database', async () => {
    const store = createStore({ dataDir: '/nonexistent', url: ch.url.replace(/\/[^/]+$/, '/hs_created_db') });
    expect(store.kind).toBe('clickhouse');
    await store.init();
    await store.init(); // idempotent
    expect((await store.append(freshProject(), [ev({ id: 'x' })], [])).inserted).toBe(1);
    await store.close();
  });

  it('two servers sharing one database store and count a batch once, before and after merges', async () => {
    const a = new ClickHouseStore(ch.url);
    const b = new ClickHouseStore(ch.url);
    await Promise.all([a.init(), b.init()]);
    const p = freshProject();
    const batch = Array.from({ length: 200 }, (_, i) =>
      ev({ id: `e${i}`, type: 'click', sessionId: `s${i % 7}`, anonymousId: `a${i % 5}`, ts: 1_700_000_000_000 + i, chain: chainOf('button', { 'data-i': String(i % 3) }) }),
    );
    const chunks = [chunk({ id: 'k1', rec: 'r', seq: 0, ts: 1 }), chunk({ id: 'k2', rec: 'r', seq: 1, ts: 2 })];
    // concurrently: both may insert (neither saw the other's rows yet) — reads must still be exact
    await Promise.all([a.append(p, batch, chunks), b.append(p, batch, chunks)]);
    await b.append(p, batch.slice(0, 50), chunks);

    const check = async (): Promise<void> => {
      for (const s of [a, b]) {
        const counts = await s.countMatches(p, [{}], 500);
        expect(counts).toMatchObject({ events: 200, sessions: 7, users: 5 });
        expect(new Set(counts.sample.map((x) => x.eventId)).size).toBe(200);
        expect(counts.sample).toHaveLength(200);
        expect(await s.findEvents(p, [{}], { limit: 1000 })).toHaveLength(200);
        const sessions = (await s.listSessions(p, {})).sessions;
        expect(sessions.reduce((n, x) => n + x.eventCount, 0)).toBe(200);
        expect((await s.sessionEvents(p, 's0')).length).toBe(29);
        expect(await s.distinctChains(p)).toHaveLength(3);
        expect((await s.replayChunks(p, 's1')).map((c) => c.id)).toEqual(['k1', 'k2']);
      }
    };
    await check();

    // After merges ReplacingMergeTree keeps one row per key: proves the sorting keys collapse copies.
    const client = createClient({ url: `http://127.0.0.1:${ch.httpPort}`, database: 'hindsight' });
    try {
      for (const t of ['events', 'chains', 'replay_chunks', 'identities']) await client.command({ query: `OPTIMIZE TABLE ${t} FINAL` });
      const rs = await client.query({ query: `SELECT count() AS n FROM events WHERE project_id = ${sqlString(p)}`, format: 'JSONEachRow' });
      expect(Number((await rs.json<{ n: string }>())[0].n)).toBe(200);
    } finally {
      await client.close();
    }
    await check();
    await Promise.all([a.close(), b.close()]);
  });

  it('exports each event once when unmerged copies with other ts sit in other time windows', async () => {
    const s = new ClickHouseStore(ch.url);
    await s.init();
    const p = freshProject();
    const batch = Array.from({ length: 600 }, (_, i) => ev({ id: `w${String(i).padStart(4, '0')}`, sessionId: `s${i % 5}`, ts: 1_700_000_000_000 + i * 1000 }));
    await s.append(p, batch, []);
    // a later-received copy of every event, skew-corrected to another time (another server's retry)
    const client = createClient({ url: `http://127.0.0.1:${ch.httpPort}`, database: 'hindsight' });
    try {
      await client.command({
        query: `INSERT INTO events SELECT project_id, id, type, ts + 3600000, session_id, anonymous_id, user_id, url, title, referrer, name,
          props, chain_hash, node_id, rec_id, rec_seq, received_at + 5, keep - 5 FROM events WHERE project_id = ${sqlString(p)}`,
      });
    } finally {
      await client.close();
    }
    const rows: { id: string; ts: number }[] = [];
    const counts = await s.exportData(p, { pageSize: 40 }, async (kind, page) => {
      if (kind === 'event') rows.push(...(page as { id: string; ts: number }[]));
    });
    expect(counts.event).toBe(600);
    expect(rows.map((r) => [r.id, r.ts])).toEqual(batch.map((e) => [e.id, e.ts]));
    await s.close();
  });

  it('reports an unreachable server as store_unavailable', async () => {
    const s = new ClickHouseStore('clickhouse://127.0.0.1:1/hindsight');
    await expect(s.init()).rejects.toMatchObject({ code: 'store_unavailable' });
  });
});

insightsContract('clickhouse', async () => {
  const store = new ClickHouseStore((await shared()).url);
  await store.init();
  return { store, cleanup: () => store.close() };
});

destinationsContract('clickhouse', async () => {
  const store = new ClickHouseStore((await shared()).url);
  await store.init();
  return { store, cleanup: () => store.close() };
});
