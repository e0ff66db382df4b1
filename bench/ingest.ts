// Part 3, ingest: raw events/s and MB/s through the real server (apps/server/dist, its embedded
// DuckDB store) with N concurrent senders, next to the raw append rate of the same rows straight
// into a DuckDBStore (packages/store, the same append path the server ends in) in the same run.
// The server is measured twice: with many concurrent senders (what a server with thousands of
// recording browsers sees; its capacity, the budget's figure) and with few (each sender waits for
// its ack, so that run is bound by the latency of one group commit, not by capacity).
//   npx tsx bench/ingest.ts      env: BENCH_INGEST_EVENTS (default 200000), BENCH_INGEST_SENDERS (64),
//                                      BENCH_INGEST_FEW_SENDERS (8), BENCH_INGEST_BATCH (events per request, 100)
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
const SENDERS = Number(process.env.BENCH_INGEST_SENDERS ?? 64);
const FEW_SENDERS = Number(process.env.BENCH_INGEST_FEW_SENDERS ?? 8);
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
/** CPU seconds (user + system) of a process, from /proc (NaN elsewhere) */
const cpuOf = (pid: number): number => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
};

/** every body posted by `senders` concurrent senders to a fresh built server, until acknowledged */
async function throughServer(senders: number) {
  const server = await startServer({ env: { HINDSIGHT_RATE_LIMIT: '0' } });
  let acked = 0;
  let errors = 0;
  let next = 0;
  const serverCpu0 = cpuOf(server.proc.pid!);
  const clientCpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async () => {
      for (let k = next++; k < bodies.length; k = next++) {
        const r = await fetch(`${server.url}/v1/batch?key=${server.projectKey}`, { method: 'POST', body: bodies[k].gz, headers: { 'content-type': 'text/plain' } });
        const ack = (await r.json()) as { inserted?: number };
        if (r.ok) acked += ack.inserted ?? 0;
        else errors++;
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  const serverCpu = cpuOf(server.proc.pid!) - serverCpu0;
  const cu = process.cpuUsage(clientCpu0);
  const clientCpu = (cu.user + cu.system) / 1e6;
  await server.stop();
  rmSync(server.dataDir, { recursive: true, force: true });
  console.log(`server, ${senders} senders: ${acked} events acknowledged in ${secs.toFixed(1)} s (${errors} errors); server CPU ${serverCpu.toFixed(1)} s, senders' CPU ${clientCpu.toFixed(1)} s`);
  return { senders, acked, errors, secs, rate: acked / secs, serverCpu, clientCpu };
}
const many = await throughServer(SENDERS);
const few = await throughServer(FEW_SENDERS);

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
const rate = (r: number) => Math.round(r).toLocaleString('en-US');
const figures = [
  figure({ label: 'server ingest', value: many.rate, unit: 'events/s', digits: 0, anchor: `${SENDERS} concurrent senders; raw append ${rate(rawRate)} events/s`, budget: '≥ 50,000 events/s', limit: 50_000, op: '>=' }),
  figure({ label: `server ingest, ${FEW_SENDERS} senders`, value: few.rate, unit: 'events/s', digits: 0, anchor: `each waits for its ack: bound by one group commit's latency` }),
  figure({ label: 'server ingest / raw DuckDB append', value: (100 * many.rate) / rawRate, unit: '%', digits: 0, anchor: `${rate(many.rate)} / ${rate(rawRate)} events/s`, budget: '≥ 50 % of raw append', limit: 50, op: '>=' }),
  figure({ label: 'server ingest, JSON', value: mb(jsonBytes) / many.secs, unit: 'MB/s', digits: 1, anchor: `wire (gzip) ${(mb(wireBytes) / many.secs).toFixed(2)} MB/s` }),
  figure({ label: 'server CPU per 1,000 events', value: (many.serverCpu * 1e6) / many.acked, unit: 'ms', digits: 1, anchor: `server process ${many.serverCpu.toFixed(1)} CPU s, senders (same machine) ${many.clientCpu.toFixed(1)} CPU s over ${many.secs.toFixed(1)} s wall; ${FEW_SENDERS} senders: ${((few.serverCpu * 1e6) / few.acked).toFixed(1)} ms` }),
  figure({ label: 'server ingest errors (non-2xx)', value: many.errors + few.errors, digits: 0, budget: 'none', limit: 0 }),
  figure({ label: 'events acknowledged as stored', value: Math.min(many.acked, few.acked), digits: 0, anchor: `of ${TOTAL} sent, in each run`, budget: 'all sent', limit: TOTAL, op: '>=' }),
];
const row = (r: typeof many): string[] => [`server, ${r.senders} senders × ${PER_BATCH}-event batches`, String(r.acked), r.secs.toFixed(1), rate(r.rate), (mb(jsonBytes) / r.secs).toFixed(1), (mb(wireBytes) / r.secs).toFixed(2)];
const ok = writePart('ingest', {
  title: '3. Ingest (embedded DuckDB)',
  protocol: `${TOTAL.toLocaleString('en-US')} recorder-shaped events (75 % clicks with 5-element chains), pre-gzipped in batches of ${PER_BATCH}, posted to the built server (rate limit off, fresh data directory) until all are acknowledged, by ${SENDERS} concurrent senders (the budget's figure: many browsers at once) and again by ${FEW_SENDERS} (each sender waits for its ack, so few senders measure one group commit's latency, not capacity); senders run in the bench process on the same machine; raw = the same rows through DuckDBStore.append in batches of ${RAW_BATCH}, same run`,
  tables: [
    {
      title: 'Ingest',
      columns: ['Path', 'events', 'seconds', 'events/s', 'MB/s (JSON)', 'MB/s (wire)'],
      rows: [
        row(many),
        row(few),
        [`raw DuckDBStore.append, ${RAW_BATCH}-event batches`, String(rows.length), rawSecs.toFixed(1), rate(rawRate), (mb(jsonBytes) / rawSecs).toFixed(1), '–'],
      ],
    },
  ],
  figures,
});
process.exit(ok ? 0 : 1);
