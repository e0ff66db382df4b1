// Part 4, definitions: (a) preview time of chain-decidable rules over 1 M and 10 M stored events
// through the Engine the HTTP API uses (embedded DuckDB), next to a bare DuckDB scan of the chain
// column with the same predicate in the same run; (b) throughput of the exact replay path (a
// `:has()` rule the chain cannot decide: engine → store.replayChunks → replay matcher).
//   npx tsx bench/definitions.ts [sizes=1000000,10000000]
// The generated stores are cached under bench/.data (gitignored): the 1 M store is appended through
// DuckDBStore.append; the 10 M store is the 1 M store plus 9 SQL copies with shifted ids/ts/sessions.
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { compileRule } from '@hindsight/definitions';
import type { ChainElement, ReplayChunk, Rule } from '@hindsight/schema';
import { chainHash, DuckDBStore, type StoredEvent } from '@hindsight/store';
import { Engine } from '../apps/server/src/engine.js';
import { DATA, figure, writePart, type Figure } from './lib.mjs';

const SIZES = (process.argv[2] ?? process.env.BENCH_PREVIEW_SIZES ?? '1000000,10000000').split(',').map(Number);
const GEN_VERSION = 1; // bump when the generated data changes: cached stores are rebuilt
const BATCH = 5000;

function uuidv7(ms: number): string {
  const b = randomBytes(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---- (a) chain-decidable preview: the shop of bench/preview.ts, ~3,000 distinct chains ----
const el = (tag: string, attrs: Record<string, string>, nth: number, text?: string): ChainElement => ({ tag, attrs, nth: [nth, nth, 1, 1], ...(text ? { text } : {}) });
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
const T0 = Date.UTC(2026, 0, 1);

async function generate1M(file: string, n: number): Promise<void> {
  const store = new DuckDBStore(file);
  await store.init();
  for (let done = 0; done < n; done += BATCH) {
    const events: StoredEvent[] = [];
    for (let i = done; i < Math.min(n, done + BATCH); i++) {
      const k = (i * 7919) % chains.length;
      const session = Math.floor(i / 40);
      const ts = T0 + i * 50;
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
  await store.close();
}

/** a cached store of n events (n = base or a multiple of it), built once under bench/.data */
async function storeFile(n: number, base: number): Promise<string> {
  mkdirSync(DATA, { recursive: true });
  const file = join(DATA, `preview-v${GEN_VERSION}-${n}.duckdb`);
  const done = `${file}.done`;
  if (existsSync(done) && existsSync(file)) return file;
  rmSync(file, { force: true });
  rmSync(`${file}.wal`, { force: true });
  const t = performance.now();
  if (n === base || n % base !== 0) {
    await generate1M(file, n);
  } else {
    copyFileSync(await storeFile(base, base), file);
    const inst = await DuckDBInstance.create(file);
    const c = await inst.connect();
    // copies k = 1..n/base-1 of the base rows: ts shifted past the base range, ids keep their
    // ms prefix shape (uuidv7 of the new ts) and sessions/recordings renamed per copy
    await c.run(`INSERT INTO events (project_id, id, type, ts, session_id, anonymous_id, user_id, url, title, referrer, name, props, chain_hash, node_id, rec_id, rec_seq, received_at)
      SELECT project_id,
        substr(lpad(to_hex(ts + k * ${base * 50}), 12, '0'), 1, 8) || '-' || substr(lpad(to_hex(ts + k * ${base * 50}), 12, '0'), 9, 4) || substr(id, 14),
        type, ts + k * ${base * 50}, session_id || '-' || k, anonymous_id, user_id, url, title, referrer, name, props,
        chain_hash, node_id, CASE WHEN rec_id IS NULL THEN NULL ELSE rec_id || '-' || k END, rec_seq, received_at + k * ${base * 50}
      FROM events, range(1, ${n / base}) t(k)`);
    await c.run('CHECKPOINT');
    c.closeSync();
    inst.closeSync();
  }
  writeFileSync(done, new Date().toISOString());
  console.log(`generated ${n.toLocaleString('en-US')}-event store in ${((performance.now() - t) / 1000).toFixed(0)} s (cached: ${file})`);
  return file;
}

const rules: [string, Rule][] = [
  ['button.btn-buy', { event: 'click', selector: 'button.btn-buy' }],
  ['section#featured .card button', { event: 'click', selector: 'section#featured .card button' }],
  ['[data-testid^="wish-1"] + text', { event: 'click', selector: '[data-testid^="wish-1"]', text: { op: 'contains', value: 'Wish' } }],
  ['.card:nth-child(3) > .btn + url regex', { event: 'click', selector: '.card:nth-child(3) > .btn', url: { op: 'regex', value: '/p/4\\d$' } }],
];
const best = async (fn: () => Promise<unknown>, n = 3): Promise<number> => {
  let ms = Infinity;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    ms = Math.min(ms, performance.now() - t);
  }
  return ms;
};

const previewRows: string[][] = [];
const figures: Figure[] = [];
const base = SIZES[0];
for (const n of SIZES) {
  const file = await storeFile(n, base);
  const store = new DuckDBStore(file);
  await store.init();
  const yesByRule = new Map<string, string[]>();
  const timings: { label: string; coldMs: number; warmMs: number; events: number; bareMs: number }[] = [];
  for (const [label, rule] of rules) {
    const engine = new Engine(store);
    let t = performance.now();
    const r = await engine.preview('default', [rule]);
    const coldMs = performance.now() - t;
    const warmMs = await best(() => engine.preview('default', [rule]));
    timings.push({ label, coldMs, warmMs, events: r.events, bareMs: NaN });
    const c = compileRule(rule);
    yesByRule.set(label, (await store.distinctChains('default', c.eventTypes)).filter((row) => c.matchChain(row.chain) === true).map((row) => row.hash));
  }
  await store.close();
  // the bare scan: the same chain-hash predicate as plain SQL on the same file, no engine
  const inst = await DuckDBInstance.create(file);
  const conn = await inst.connect();
  for (const [i, [label, rule]] of rules.entries()) {
    const list = yesByRule.get(label)!.map((h) => `'${h}'`).join(',') || "''";
    const url = rule.url?.op === 'regex' ? ` AND regexp_matches(url, '${rule.url.value.replace(/'/g, "''")}')` : '';
    const sql = `SELECT count(*) FROM events WHERE project_id = 'default' AND type = 'click' AND chain_hash IN (${list})${url}`;
    const bareMs = await best(async () => (await conn.runAndReadAll(sql)).getRows());
    const tm = timings[i];
    previewRows.push([n.toLocaleString('en-US'), label, tm.events.toLocaleString('en-US'), tm.coldMs.toFixed(0), tm.warmMs.toFixed(0), bareMs.toFixed(0), (tm.warmMs / bareMs).toFixed(2)]);
    tm.bareMs = bareMs;
  }
  conn.closeSync();
  inst.closeSync();
  const worst = timings.reduce((a, b) => (b.warmMs > a.warmMs ? b : a));
  const worstRatio = timings.reduce((a, b) => (b.warmMs / b.bareMs > a.warmMs / a.bareMs ? b : a));
  const big = n >= 10_000_000;
  figures.push(
    figure({ label: `preview over ${n.toLocaleString('en-US')} events, slowest rule (warm)`, value: worst.warmMs, unit: 'ms', digits: 0, anchor: `${worst.label}; bare scan ${worst.bareMs.toFixed(0)} ms; cold ${worst.coldMs.toFixed(0)} ms`, ...(big ? { budget: '≤ 1,000 ms at 10 M', limit: 1000 } : {}) }),
    figure({ label: `preview / bare chain scan over ${n.toLocaleString('en-US')} events, worst rule`, value: worstRatio.warmMs / worstRatio.bareMs, unit: '×', anchor: `${worstRatio.label}: ${worstRatio.warmMs.toFixed(0)} ms / ${worstRatio.bareMs.toFixed(0)} ms`, budget: '≤ 2 × bare scan', limit: 2 }),
  );
  console.log(`preview over ${n}: done`);
}

// ---- (b) the exact replay path: sessions with recordings, a :has() rule ----
const SESSIONS = Number(process.env.BENCH_EXACT_SESSIONS ?? 120);
const CARDS = 150;
const CLICKS = 30;
/** one recording: Meta + FullSnapshot of a product grid, then mutations with clicks between */
function recording(s: number): { chunks: ReplayChunk[]; events: StoredEvent[]; json: number } {
  let id = 1;
  const node = (tagName: string, attributes: Record<string, string>, childNodes: unknown[] = []) => ({ id: id++, type: 2, tagName, attributes, childNodes });
  const text = (textContent: string) => ({ id: id++, type: 3, textContent });
  const buttons: number[] = [];
  const cardIds: number[] = [];
  const cards = Array.from({ length: CARDS }, (_, p) => {
    const btn = node('button', { class: 'btn btn-buy', 'data-testid': `buy-${p}` }, [text('Add to cart')]);
    buttons.push(btn.id);
    const card = node('div', { class: 'card', 'data-sku': `SKU-${p}` }, [
      node('img', { src: `/img/${p}.png`, alt: `Product ${p}` }),
      node('h3', {}, [text(`Product ${p}`)]),
      node('span', { class: 'price' }, [text(`${p}.99 €`)]),
      ...(p % 3 === 0 ? [node('span', { class: 'badge' }, [text('Sale')])] : []),
      btn,
    ]);
    cardIds.push(card.id);
    return card;
  });
  const doc = { id: id++, type: 0, childNodes: [{ id: id++, type: 1, name: 'html', publicId: '', systemId: '' }, node('html', {}, [node('head', {}, [node('title', {}, [text('Shop')])]), node('body', {}, [node('main', {}, [node('section', { id: 'grid', class: 'products' }, cards)])])])] };
  const ts0 = T0 + s * 600_000;
  const rr: unknown[] = [
    { type: 4, data: { href: 'https://shop.example/', width: 1280, height: 800 }, timestamp: ts0 },
    { type: 2, data: { node: doc, initialOffset: { top: 0, left: 0 } }, timestamp: ts0 + 1 },
  ];
  const events: StoredEvent[] = [];
  const rec = `rec-${s}`;
  for (let c = 0; c < CLICKS; c++) {
    // between clicks: prices change, a badge comes or goes, the user scrolls
    for (let m = 0; m < 6; m++) {
      const p = (c * 31 + m * 17 + s) % CARDS;
      rr.push({ type: 3, timestamp: ts0 + 10 + c * 100 + m, data: { source: 0, adds: m === 0 ? [{ parentId: cardIds[p], nextId: null, node: { id: id++, type: 2, tagName: 'span', attributes: { class: 'badge' }, childNodes: [] } }] : [], removes: [], attributes: [{ id: cardIds[(p + 1) % CARDS], attributes: { 'data-seen': String(c) } }], texts: [] } });
      rr.push({ type: 3, timestamp: ts0 + 10 + c * 100 + m, data: { source: 3, id: 1, x: 0, y: c * 40 } });
    }
    const p = (c * 7 + s) % CARDS;
    const ts = ts0 + 10 + c * 100 + 50;
    const chain = [
      el('button', { class: 'btn btn-buy', 'data-testid': `buy-${p}` }, 5, 'Add to cart'),
      el('div', { class: 'card', 'data-sku': `SKU-${p}` }, 1 + p),
      el('section', { id: 'grid', class: 'products' }, 1),
      el('main', {}, 1),
      el('body', {}, 2),
      el('html', {}, 1),
    ];
    events.push({ id: uuidv7(ts), type: 'click', ts, sessionId: `x-${s}`, anonymousId: `xa-${s}`, userId: null, url: 'https://shop.example/', receivedAt: ts, chainHash: chainHash(chain), chain, nodeId: buttons[p], rec: { id: rec, seq: rr.length } });
    rr.push({ type: 3, timestamp: ts, data: { source: 2, type: 2, id: buttons[p], x: 10, y: 10 } });
  }
  const chunks: ReplayChunk[] = [];
  for (let i = 0; i < rr.length; i += 50) chunks.push({ id: uuidv7(ts0 + i), sessionId: `x-${s}`, rec, seq: i, ts: ts0 + i, events: rr.slice(i, i + 50) });
  return { chunks, events, json: Buffer.byteLength(JSON.stringify(rr)) };
}
const xdir = mkdtempSync(join(tmpdir(), 'hs-bench-exact-'));
const xstore = new DuckDBStore(join(xdir, 'exact.duckdb'));
await xstore.init();
let replayBytes = 0;
let replayGz = 0;
for (let s = 0; s < SESSIONS; s++) {
  const r = recording(s);
  replayBytes += r.json;
  replayGz += r.chunks.reduce((a, c) => a + gzipSync(JSON.stringify(c.events)).length, 0);
  await xstore.append('default', r.events, r.chunks);
}
const hasRule: Rule = { event: 'click', selector: '.card:has(.badge) button.btn-buy' };
if (compileRule(hasRule).matchChain(recording(0).events[0].chain!) !== 'unknown') throw new Error('the :has() rule is chain-decidable here: the exact path would not run');
const runs: number[] = [];
let matched = 0;
for (let i = 0; i < 3; i++) {
  const engine = new Engine(xstore); // fresh engine: no exact-path cache
  const t = performance.now();
  matched = (await engine.preview('default', [hasRule])).events;
  runs.push(performance.now() - t);
}
await xstore.close();
rmSync(xdir, { recursive: true, force: true });
const exactMs = Math.min(...runs);
const mbps = replayBytes / 1e6 / (exactMs / 1000);
figures.push(
  figure({ label: 'exact replay path (:has())', value: mbps, unit: 'MB replay/s', digits: 1, anchor: `${(replayBytes / 1e6).toFixed(1)} MB rrweb JSON (${(replayGz / 1e6).toFixed(1)} MB gzip) of ${SESSIONS} sessions, ${SESSIONS * CLICKS} candidate clicks, ${matched} matched, in ${exactMs.toFixed(0)} ms` }),
);

const ok = writePart('definitions', {
  title: '4. Definitions',
  protocol: `preview = Engine.preview (apps/server/src/engine.ts) on the embedded DuckDB store, 4 chain-decidable rules, ~3,000 distinct chains, 75 % clicks; cold = first call, warm = best of 3; bare scan = the same chain-hash (and url) predicate as one SQL count on the same file, best of 3. Exact path: rule ${JSON.stringify(hasRule)} over ${SESSIONS} sessions (${CARDS}-card page, ${CLICKS} clicks each), fresh Engine per run, best of 3; MB = uncompressed rrweb JSON`,
  tables: [
    { title: 'Preview (chain-decidable rules)', columns: ['Events', 'Rule', 'matches', 'cold ms', 'warm ms', 'bare scan ms', 'warm / bare'], rows: previewRows },
    { title: 'Exact replay path', columns: ['Rule', 'sessions', 'replay MB (JSON)', 'ms', 'MB/s'], rows: [[hasRule.selector!, String(SESSIONS), (replayBytes / 1e6).toFixed(1), exactMs.toFixed(0), mbps.toFixed(1)]] },
  ],
  figures,
});
process.exit(ok ? 0 : 1);
