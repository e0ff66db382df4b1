// Manual perf probe for trend/funnel (not a test):
//   npx tsx packages/store/test/perf-insights.ts [events=2000000] [duckdb|clickhouse]
// Rows are generated with SQL: 20,000 anonymous ids, one event per second of ~23 days per 2M rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createClient } from '@clickhouse/client';
import { ClickHouseStore, DuckDBStore, type EventFilter, type Store } from '../src/index.js';
import { startClickHouse } from './clickhouse-server.js';

const N = Number(process.argv[2] ?? 2_000_000);
const KIND = process.argv[3] ?? 'duckdb';
const t0 = 1_700_000_000_000;
const STEP = 1000;

async function time<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const r = await fn();
  const d = process.cpuUsage(cpu);
  console.log(`${label}: ${(performance.now() - t).toFixed(0)} ms wall, ${((d.user + d.system) / 1000).toFixed(0)} ms cpu`);
  return r;
}

const dir = mkdtempSync(join(tmpdir(), 'hs-perf-ins-'));
const file = join(dir, 'hindsight.duckdb');
const ch = KIND === 'clickhouse' ? await startClickHouse() : null;
try {
  let store: Store;
  if (ch) {
    store = new ClickHouseStore(ch.url);
    await store.init();
    const client = createClient({ url: `http://127.0.0.1:${ch.httpPort}`, database: 'hindsight' });
    await time(`generate ${N} rows`, () =>
      client.command({
        query: `INSERT INTO events SELECT 'p', concat('e', toString(number)), if(number % 3 = 0, 'pageview', 'click'),
          toInt64(${t0} + number * ${STEP}), concat('sess-', toString(intDiv(number, 50))), concat('anon-', toString((number * 7) % 20000)),
          NULL, concat('https://shop.example/p/', toString(number % 1000), if(number % 10 = 0, '/cart', '')), NULL, NULL, NULL, NULL,
          if(number % 3 = 0, '', concat('h', toString(number % 500))), NULL, NULL, NULL, toInt64(${t0}), toUInt64(1)
          FROM numbers(${N})`,
      }),
    );
    await client.command({
      query: `INSERT INTO identities SELECT 'p', concat('anon-', toString(number * 3)), concat('user-', toString(intDiv(number * 3, 2))), toInt64(0), toUInt64(0) FROM numbers(6667)`,
    });
    await client.close();
  } else {
    const boot = new DuckDBStore(file);
    await boot.init();
    await boot.close();
    const inst = await DuckDBInstance.create(file);
    const c = await inst.connect();
    await time(`generate ${N} rows`, () =>
      c.run(`INSERT INTO events SELECT 'p', 'e' || lpad(i::VARCHAR, 10, '0'),
        CASE WHEN i % 3 = 0 THEN 'pageview' ELSE 'click' END, ${t0} + i * ${STEP}, 'sess-' || (i // 50),
        'anon-' || ((i * 7) % 20000), NULL, 'https://shop.example/p/' || (i % 1000) || CASE WHEN i % 10 = 0 THEN '/cart' ELSE '' END,
        NULL, NULL, NULL, NULL, CASE WHEN i % 3 = 0 THEN '' ELSE 'h' || (i % 500) END, NULL, NULL, NULL, ${t0}
        FROM range(${N}) t(i)`),
    );
    await c.run(`INSERT INTO identities SELECT 'p', 'anon-' || i, 'user-' || (i // 2), 0 FROM range(0, 20000, 3) t(i)`);
    c.closeSync();
    inst.closeSync();
    store = new DuckDBStore(file);
    await store.init();
  }
  const to = t0 + N * STEP;
  const cart: EventFilter[] = [{ types: ['pageview'], url: { op: 'contains', value: '/cart' } }];
  const clicks: EventFilter[] = [{ types: ['click'], chainHashes: Array.from({ length: 100 }, (_, i) => `h${i}`) }];
  const pv: EventFilter[] = [{ types: ['pageview'], url: { op: 'regex', value: '/p/1[0-9]$' } }];
  for (const interval of ['hour', 'day', 'week'] as const) {
    await time(`trend ${interval}`, () => store.trend('p', [...cart, ...clicks], { interval, from: t0, to }));
  }
  for (const windowMs of [3_600_000, 86_400_000]) {
    for (const order of ['strict', 'any'] as const) {
      const r = await time(`funnel 3 steps window ${windowMs} ${order}`, () => store.funnel('p', [cart, clicks, pv], { windowMs, from: t0, to, order }));
      console.log(JSON.stringify(r));
    }
  }
  await time('funnel 5 steps (pageview-heavy step 0)', () =>
    store.funnel('p', [[{ types: ['pageview'] }], clicks, cart, clicks, pv], { windowMs: 86_400_000, from: t0, to }),
  );
  await store.close();
} finally {
  await ch?.stop();
  rmSync(dir, { recursive: true, force: true });
}
