// Load: N concurrent simulated recorders post gzip batches to a real server for D seconds.
// Reports throughput, p50/p99 latency, errors and server memory, then checks that the events
// stored equal the events acknowledged.   npx tsx bench/load.ts [recorders=200] [seconds=60]
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { batch, clickEvent } from '../e2e/helpers/batches.js';
import { startServer } from '../e2e/helpers/server.js';

const RECORDERS = Number(process.argv[2] ?? 200);
const SECONDS = Number(process.argv[3] ?? 60);
const EVENTS_PER_BATCH = 20;

const server = await startServer({ env: { HINDSIGHT_RATE_LIMIT: '0' } });
const rss = () => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.proc.pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
};
const latencies: number[] = [];
const statuses = new Map<number, number>();
let acked = 0;
let maxRss = rss();
const deadline = Date.now() + SECONDS * 1000;
const sampler = setInterval(() => (maxRss = Math.max(maxRss, rss())), 500);

async function recorder(n: number) {
  for (let b = 0; Date.now() < deadline; b++) {
    const sid = `load-${n}-${Math.floor(b / 20)}`;
    const body = gzipSync(JSON.stringify(batch(Array.from({ length: EVENTS_PER_BATCH }, (_, i) => clickEvent(sid, b * EVENTS_PER_BATCH + i)))));
    const t = performance.now();
    let status = 0;
    try {
      const r = await fetch(`${server.url}/v1/batch?key=${server.projectKey}`, { method: 'POST', body, headers: { 'content-type': 'text/plain' } });
      status = r.status;
      const ack = await r.json();
      if (r.ok) acked += ack.inserted;
    } catch {
      status = -1;
    }
    latencies.push(performance.now() - t);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    // a real recorder sends every couple of seconds; this one sends again at once (worst case)
  }
}
const t0 = performance.now();
await Promise.all(Array.from({ length: RECORDERS }, (_, n) => recorder(n)));
const secs = (performance.now() - t0) / 1000;
clearInterval(sampler);
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
let stored = 0;
for (let cursor: string | null = null, first = true; first || cursor; first = false) {
  const page: { sessions: { eventCount: number }[]; next: string | null } = await server.api(
    `/api/sessions?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
  );
  for (const s of page.sessions) stored += s.eventCount;
  cursor = page.next;
}
await server.stop();
const fivexx = [...statuses].filter(([s]) => s >= 500 || s < 0).reduce((a, [, n]) => a + n, 0);
const report = {
  recorders: RECORDERS,
  seconds: Math.round(secs),
  batches: latencies.length,
  eventsPerSecond: Math.round(acked / secs),
  p50ms: Math.round(pct(50)),
  p99ms: Math.round(pct(99)),
  statuses: Object.fromEntries(statuses),
  serverMaxRssMB: Math.round(maxRss),
  acknowledged: acked,
  stored,
};
console.log(JSON.stringify(report, null, 2));
const ok = fivexx === 0 && stored === acked;
console.log(`${ok ? 'ok  ' : 'FAIL'} load: ${fivexx} 5xx/network errors, stored ${stored} = acknowledged ${acked}: ${stored === acked}`);
process.exit(ok ? 0 : 1);
