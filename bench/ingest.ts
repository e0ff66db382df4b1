// Part 3, ingest: raw events/s and MB/s through the real server (apps/server/dist, its embedded
// DuckDB store) with N concurrent senders, next to the raw append rate of the same rows straight
// into a DuckDBStore (packages/store, the same append path the server ends in) in the same run.
//   npx tsx bench/ingest.ts      env: BENCH_INGEST_EVENTS (default 200000), BENCH_INGEST_SENDERS (8),
//                                      BENCH_INGEST_BATCH (events per request, 100)
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { RawEvent } from '@hindsight/schema';
import { chainHash, DuckDBStore, type StoredEvent } from '@hindsight/store';
import { startServer } from '../e2e/helpers/server.js';
import { figure, ROOT, writePart } from './lib.mjs';

const TOTAL = Number(process.env.BENCH_INGEST_EVENTS ?? 200_000);
const SENDERS = Number(process.env.BENCH_INGEST_SENDERS ?? 8);
const PER_BATCH = Number(process.env.BENCH_INGEST_BATCH ?? 100);
const RAW_BATCH = 5000;
if (!existsSync(join(ROOT, 'apps/server/dist/main.js'))) throw new Error('apps/server/dist/main.js missing: npm run build');

// ---- the rows: recorder-shaped click/pageview events, unique ids, many sessions ----
const now = Date.now();
let n = 0;
function event(): RawEvent {
  const i = n++;
  const session = `s-${Math.floor(i / 40)}`; // 40 events per session
  const click = i % 4 !== 0;
  const hex = (now - 60_000 + (i % 60_000)).toString(16).padStart(12, '0');
  const rnd = randomUUID().replace(/-/g, '');
  return {
    id: `${hex.slice(0, 8)}-${hex.slice(8)}-7${rnd.slice(0, 3)}-8${rnd.slice(3, 6)}-${rnd.slice(6, 18)}`,
    type: click ? 'click' : 'pageview',
    ts: now - 60_000 + (i % 60_000),
    sessionId: session,
    anonymousId: `anon-${session}`,
    url: `https://shop.example/p/${i % 500}`,
    title: 'Shop',
    ...(click
      ? {
          chain: [
            { tag: 'button', attrs: { class: 'btn buy', 'data-sku': `SKU-${i % 300}` }, nth: [2, 1, 1, 1], text: 'Add to cart' },
            { tag: 'div', attrs: { class: 'card' }, nth: [1 + (i % 12), 1, 1, 1] },
            { tag: 'main', attrs: {}, nth: [2, 1, 1, 1] },
            { tag: 'body', attrs: {}, nth: [2, 1, 1, 1] },
            { tag: 'html', attrs: {}, nth: [1, 1, 1, 1] },
          ],
        }
      : {}),
  } as RawEvent;
}
const bodies: { gz: ReturnType<typeof gzipSync>; json: number; events: RawEvent[] }[] = [];
for (let done = 0; done < TOTAL; done += PER_BATCH) {
  const events = Array.from({ length: Math.min(PER_BATCH, TOTAL - done) }, event);
  const json = JSON.stringify({ v: 1, sentAt: now, events });
  bodies.push({ gz: gzipSync(json), json: Buffer.byteLength(json), events });
}
const jsonBytes = bodies.reduce((a, b) => a + b.json, 0);
const wireBytes = bodies.reduce((a, b) => a + b.gz.length, 0);

// ---- through the server ----
const server = await startServer({ env: { HINDSIGHT_RATE_LIMIT: '0' } });
/** CPU seconds (user + system) of a process, from /proc (NaN elsewhere) */
const cpuOf = (pid: number): number => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
};
let acked = 0;
let errors = 0;
let next = 0;
const serverCpu0 = cpuOf(server.proc.pid!);
const clientCpu0 = process.cpuUsage();
const t0 = performance.now();
await Promise.all(
  Array.from({ length: SENDERS }, async () => {
    for (let k = next++; k < bodies.length; k = next++) {
      const r = await fetch(`${server.url}/v1/batch?key=${server.projectKey}`, { method: 'POST', body: bodies[k].gz, headers: { 'content-type': 'text/plain' } });
      const ack = (await r.json()) as { inserted?: number };
      if (r.ok) acked += ack.inserted ?? 0;
      else errors++;
    }
  }),
);
const serverSecs = (performance.now() - t0) / 1000;
const serverCpu = cpuOf(server.proc.pid!) - serverCpu0;
const cu = process.cpuUsage(clientCpu0);
const clientCpu = (cu.user + cu.system) / 1e6;
await server.stop();
rmSync(server.dataDir, { recursive: true, force: true });
const serverRate = acked / serverSecs;
console.log(`server: ${acked} events acknowledged in ${serverSecs.toFixed(1)} s (${errors} errors); server CPU ${serverCpu.toFixed(1)} s, senders' CPU ${clientCpu.toFixed(1)} s`);

// ---- the same rows, appended straight into a DuckDBStore ----
const dir = mkdtempSync(join(tmpdir(), 'hs-bench-ingest-'));
const store = new DuckDBStore(join(dir, 'raw.duckdb'));
await store.init();
const rows: StoredEvent[] = bodies.flatMap((b) => b.events.map((e) => ({ ...e, receivedAt: now, chainHash: chainHash(e.chain) })));
const t1 = performance.now();
for (let k = 0; k < rows.length; k += RAW_BATCH) await store.append('default', rows.slice(k, k + RAW_BATCH), []);
const rawSecs = (performance.now() - t1) / 1000;
await store.close();
rmSync(dir, { recursive: true, force: true });
const rawRate = rows.length / rawSecs;
console.log(`raw DuckDBStore.append: ${rows.length} events in ${rawSecs.toFixed(1)} s`);

const mb = (b: number) => b / 1e6;
const figures = [
  figure({ label: 'server ingest', value: serverRate, unit: 'events/s', digits: 0, anchor: `raw append ${Math.round(rawRate).toLocaleString('en-US')} events/s`, budget: '≥ 50,000 events/s', limit: 50_000, op: '>=' }),
  figure({ label: 'server ingest / raw DuckDB append', value: (100 * serverRate) / rawRate, unit: '%', digits: 0, anchor: `${Math.round(serverRate).toLocaleString('en-US')} / ${Math.round(rawRate).toLocaleString('en-US')} events/s`, budget: '≥ 50 % of raw append', limit: 50, op: '>=' }),
  figure({ label: 'server ingest, JSON', value: mb(jsonBytes) / serverSecs, unit: 'MB/s', digits: 1, anchor: `wire (gzip) ${(mb(wireBytes) / serverSecs).toFixed(2)} MB/s` }),
  figure({ label: 'server CPU per 1,000 events', value: (serverCpu * 1e6) / acked, unit: 'ms', digits: 1, anchor: `server process ${serverCpu.toFixed(1)} CPU s, senders (same machine) ${clientCpu.toFixed(1)} CPU s over ${serverSecs.toFixed(1)} s wall` }),
  figure({ label: 'server ingest errors (non-2xx)', value: errors, digits: 0, budget: 'none', limit: 0 }),
  figure({ label: 'events acknowledged as stored', value: acked, digits: 0, anchor: `of ${TOTAL} sent`, budget: 'all sent', limit: TOTAL, op: '>=' }),
];
const ok = writePart('ingest', {
  title: '3. Ingest (embedded DuckDB)',
  protocol: `${TOTAL.toLocaleString('en-US')} recorder-shaped events (75 % clicks with 5-element chains), pre-gzipped in batches of ${PER_BATCH}, posted by ${SENDERS} concurrent senders (in the bench process, same machine) to the built server (rate limit off) until all are acknowledged; raw = the same rows through DuckDBStore.append in batches of ${RAW_BATCH}, same run`,
  tables: [
    {
      title: 'Ingest',
      columns: ['Path', 'events', 'seconds', 'events/s', 'MB/s (JSON)', 'MB/s (wire)'],
      rows: [
        [`server, ${SENDERS} senders × ${PER_BATCH}-event batches`, String(acked), serverSecs.toFixed(1), Math.round(serverRate).toLocaleString('en-US'), (mb(jsonBytes) / serverSecs).toFixed(1), (mb(wireBytes) / serverSecs).toFixed(2)],
        [`raw DuckDBStore.append, ${RAW_BATCH}-event batches`, String(rows.length), rawSecs.toFixed(1), Math.round(rawRate).toLocaleString('en-US'), (mb(jsonBytes) / rawSecs).toFixed(1), '–'],
      ],
    },
  ],
  figures,
});
process.exit(ok ? 0 : 1);
