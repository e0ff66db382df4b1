// Store volume benchmark: builds a 10M-event DuckDB dataset (PERF_DIR keeps it for later runs)
//   npx tsx bench/store-duckdb.ts [appendEvents=1000000] [totalEvents=10000000]
// Appends realistic batches through the Store API, tops the table up with SQL-generated rows,
// then times the hot queries at that size.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { chainHash, DuckDBStore, type StoredEvent } from '@hindsight/store';
import { chainOf } from '../packages/store/test/fixtures/events.js';

const appendN = Number(process.argv[2] ?? 1_000_000);
const totalN = Number(process.argv[3] ?? 10_000_000);
const BATCH = 5000;

function uuidv7(ms: number): string {
  const b = randomBytes(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const chains = Array.from({ length: 5000 }, (_, i) => chainOf('button', { class: `btn-${i}`, 'data-x': 'y'.repeat(i % 40) }, `Label ${i}`));
const hashes = chains.map((c) => chainHash(c));
const t0 = 1_700_000_000_000;
let seq = 0;
function makeEvent(): StoredEvent {
  const i = seq++;
  const ts = t0 + i * 10;
  const session = Math.floor(i / 50);
  const k = (i * 7919) % chains.length;
  const click = i % 3 !== 0;
  return {
    id: uuidv7(ts),
    type: click ? 'click' : 'pageview',
    ts,
    sessionId: `sess-${session}`,
    anonymousId: `anon-${session % 20000}`,
    userId: session % 4 === 0 ? `user-${session % 5000}` : null,
    url: `https://shop.example/p/${i % 1000}${i % 10 === 0 ? '/cart' : ''}`,
    title: 'Shop',
    receivedAt: ts + 100,
    chainHash: click ? hashes[k] : '',
    ...(click ? { chain: chains[k], nodeId: i % 500, rec: { id: `rec-${session}`, seq: i % 50 } } : {}),
  };
}

/** wall and process CPU time (DuckDB's threads included): the CPU figure survives a busy machine */
async function time<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const r = await fn();
  const d = process.cpuUsage(cpu);
  console.log(`${label}: ${(performance.now() - t).toFixed(0)} ms wall, ${((d.user + d.system) / 1000).toFixed(0)} ms cpu`);
  return r;
}

const dir = process.env.PERF_DIR ?? mkdtempSync(join(tmpdir(), 'hs-perf-'));
const file = join(dir, 'hindsight.duckdb');
try {
  let store = new DuckDBStore(file);
  await store.init();
  let t = performance.now();
  let cpu = process.cpuUsage();
  for (let n = 0; n < appendN; n += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, appendN - n) }, makeEvent);
    await store.append('p', batch, []);
  }
  let secs = (performance.now() - t) / 1000;
  let used = process.cpuUsage(cpu);
  console.log(`append ${appendN} events: ${(appendN / secs).toFixed(0)} events/s wall, ${((used.user + used.system) / appendN).toFixed(1)} µs cpu/event (incl. generating them)`);
  await store.close();

  if (totalN > appendN) {
    // top up with SQL so the query timings run at full size without minutes of JS generation
    const inst = await DuckDBInstance.create(file);
    const c = await inst.connect();
    const hashList = hashes.map((h) => `'${h}'`).join(',');
    await time(`generate ${totalN - appendN} more rows`, () =>
      c.run(`INSERT INTO events SELECT 'p', (WITH h AS (SELECT lpad(to_hex(${t0} + (${appendN} + i) * 10), 12, '0') AS x)
          SELECT lower(substr(x, 1, 8) || '-' || substr(x, 9, 4) || '-' || substr(uuid()::VARCHAR, 15)) FROM h), CASE WHEN i % 3 = 0 THEN 'pageview' ELSE 'click' END,
        ${t0} + (${appendN} + i) * 10, 'sess-' || ((${appendN} + i) // 50), 'anon-' || (((${appendN} + i) // 50) % 20000),
        NULL, 'https://shop.example/p/' || (i % 1000) || CASE WHEN i % 10 = 0 THEN '/cart' ELSE '' END, 'Shop', NULL, NULL, NULL,
        CASE WHEN i % 3 = 0 THEN '' ELSE ([${hashList}])[1 + (i * 7919) % ${hashes.length}] END, NULL, NULL, NULL, ${t0}
        FROM range(${totalN - appendN}) t(i)`),
    );
    c.closeSync();
    inst.closeSync();
    seq = totalN;
  }

  store = new DuckDBStore(file);
  await store.init();
  t = performance.now();
  cpu = process.cpuUsage();
  for (let n = 0; n < 20; n++) await store.append('p', Array.from({ length: BATCH }, makeEvent), []);
  secs = (performance.now() - t) / 1000;
  used = process.cpuUsage(cpu);
  console.log(`append at ${totalN} rows: ${((20 * BATCH) / secs).toFixed(0)} events/s wall, ${((used.user + used.system) / (20 * BATCH)).toFixed(1)} µs cpu/event`);

  const some = hashes.slice(0, 3000);
  for (let r = 0; r < 2; r++) {
    await time(`countMatches 3000 hashes (run ${r + 1})`, () => store.countMatches('p', [{ types: ['click'], chainHashes: some }], 20));
  }
  await time('countMatches 3000 hashes + url contains', () =>
    store.countMatches('p', [{ types: ['click'], chainHashes: some, url: { op: 'contains', value: '/cart' } }]),
  );
  await time('countMatches regex', () => store.countMatches('p', [{ url: { op: 'regex', value: '/p/1[0-9]+/cart$' } }]));
  await time('distinctChains click', () => store.distinctChains('p', ['click']));
  await time('listSessions first page', () => store.listSessions('p', {}));
  await time('listSessions url filter', () => store.listSessions('p', { url: '/p/999/cart' }));
  await time('sessionEvents', () => store.sessionEvents('p', 'sess-1234'));
  await time('findEvents page', () => store.findEvents('p', [{ chainHashes: some }], { limit: 100, offset: 1000 }));
  await store.close();
} finally {
  if (!process.env.PERF_DIR) rmSync(dir, { recursive: true, force: true });
}
