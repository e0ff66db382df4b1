// Definition preview over N stored events (default 1,000,000) for chain-decidable rules,
// through the same Engine the HTTP API uses, on the embedded DuckDB store.
//   npx tsx bench/preview.ts [events=1000000]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChainElement, Rule } from '@hindsight/schema';
import { chainHash, DuckDBStore, type StoredEvent } from '@hindsight/store';
import { Engine } from '../apps/server/src/engine.js';

const N = Number(process.argv[2] ?? 1_000_000);
const BATCH = 5000;

function uuidv7(ms: number): string {
  const b = randomBytes(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// A shop-like page: ~3,000 distinct clickable chains (products × buttons × sections).
const el = (tag: string, attrs: Record<string, string>, nth: number, text?: string): ChainElement => ({
  tag,
  attrs,
  nth: [nth, nth, 1, 1],
  ...(text ? { text } : {}),
});
const chains: ChainElement[][] = [];
for (let p = 0; p < 500; p++) {
  for (const [b, label] of [['buy', 'Add to cart'], ['wish', 'Wishlist'], ['info', 'Details']] as const) {
    for (const section of ['grid', 'featured']) {
      chains.push([
        el('button', { class: `btn btn-${b}`, 'data-testid': `${b}-${p}` }, 1 + (p % 3), label),
        el('div', { class: 'card', 'data-sku': `SKU-${p}` }, 1 + (p % 12)),
        el('section', { id: section, class: 'products' }, 2),
        el('main', {}, 2),
        el('body', {}, 2),
        el('html', {}, 1),
      ]);
    }
  }
}
const hashes = chains.map((c) => chainHash(c));

const dir = mkdtempSync(join(tmpdir(), 'hs-bench-preview-'));
const store = new DuckDBStore(join(dir, 'bench.duckdb'));
await store.init();
const t0 = Date.now() - 7 * 24 * 3600 * 1000;
const tLoad = performance.now();
for (let done = 0; done < N; done += BATCH) {
  const events: StoredEvent[] = [];
  for (let i = done; i < Math.min(N, done + BATCH); i++) {
    const k = (i * 7919) % chains.length;
    const session = Math.floor(i / 40);
    const ts = t0 + i * 50;
    const click = i % 4 !== 0;
    events.push({
      id: uuidv7(ts),
      type: click ? 'click' : 'pageview',
      ts,
      sessionId: `s-${session}`,
      anonymousId: `a-${session % 30000}`,
      userId: null,
      url: `https://shop.example/${i % 7 === 0 ? 'cart' : `p/${i % 500}`}`,
      receivedAt: ts,
      chainHash: click ? hashes[k] : '',
      ...(click ? { chain: chains[k], nodeId: 10 + (k % 900), rec: { id: `r-${session}`, seq: i % 40 } } : {}),
    });
  }
  await store.append('default', events, []);
}
console.log(`loaded ${N.toLocaleString()} events in ${((performance.now() - tLoad) / 1000).toFixed(1)} s`);

const engine = new Engine(store);
const rules: [string, Rule[]][] = [
  ['button.btn-buy', [{ event: 'click', selector: 'button.btn-buy' }]],
  ['section#featured .card button', [{ event: 'click', selector: 'section#featured .card button' }]],
  ['[data-testid^="wish-1"] + text', [{ event: 'click', selector: '[data-testid^="wish-1"]', text: { op: 'contains', value: 'Wish' } }]],
  ['.card:nth-child(3) > .btn, url regex', [{ event: 'click', selector: '.card:nth-child(3) > .btn', url: { op: 'regex', value: '/p/4\\d$' } }]],
];
const results: Record<string, { coldMs: number; warmMs: number; events: number }> = {};
for (const [label, r] of rules) {
  let t = performance.now();
  const cold = await engine.preview('default', r);
  const coldMs = performance.now() - t;
  t = performance.now();
  await engine.preview('default', r);
  const warmMs = performance.now() - t;
  results[label] = { coldMs: Math.round(coldMs), warmMs: Math.round(warmMs), events: cold.events };
  console.log(`preview ${label}: ${cold.events.toLocaleString()} events, cold ${coldMs.toFixed(0)} ms, warm ${warmMs.toFixed(0)} ms`);
}
const worst = Math.max(...Object.values(results).map((r) => r.warmMs));
console.log(`${worst <= 1000 ? 'ok  ' : 'FAIL'} preview over ${N.toLocaleString()} events: worst ${worst} ms (budget 1000 ms)`);
await store.close();
if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true }); else console.log('kept', dir);
