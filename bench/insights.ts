// Insights at scale (issue #7): a trend and a 3-step funnel over 10 M stored events in the embedded
// DuckDB store, through the Engine the HTTP API uses; retention and time-to-event for reference.
//   npx tsx bench/insights.ts
// Uses the 10 M-event store cached by bench/definitions.ts (built first when missing), copied to a
// temporary file so a concurrent bench part keeps its own lock. Targets: trend < 2 s, funnel < 3 s.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Rule } from '@hindsight/schema';
import { DuckDBStore } from '@hindsight/store';
import { Engine } from '../apps/server/src/engine.js';
import { BENCH, DATA, ROOT, figure, writePart, type Figure } from './lib.mjs';

const N = 10_000_000;
const cached = join(DATA, `preview-v1-${N}.duckdb`);
if (!existsSync(`${cached}.done`)) {
  console.log('building the 10 M-event store (bench/definitions.ts) first…');
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(BENCH, 'definitions.ts'), `1000000,${N}`], { cwd: ROOT, stdio: 'inherit' });
  if (!existsSync(`${cached}.done`)) throw new Error(`could not build ${cached} (exit ${r.status})`);
}
const dir = mkdtempSync(join(tmpdir(), 'hs-bench-insights-'));
const file = join(dir, 'events.duckdb');
copyFileSync(cached, file);
const store = new DuckDBStore(file);
await store.init();
const engine = new Engine(store);

// the data (bench/definitions.ts): 10 M events from 2026-01-01, one per 50 ms of each 1 M copy,
// 3/4 clicks on ~3,000 product-button chains, 1/4 page views (1/7 of URLs are /cart), 30,000 visitors
const T0 = Date.UTC(2026, 0, 1);
const range = { from: T0, to: T0 + 10 * 1_000_000 * 50 };
const CART: Rule[] = [{ event: 'pageview', url: { op: 'contains', value: '/cart' } }];
const BUY: Rule[] = [{ event: 'click', selector: 'button.btn-buy' }];
const WISH: Rule[] = [{ event: 'click', selector: 'section#featured .card button', text: { op: 'contains', value: 'Wish' } }];

async function time<T>(fn: () => Promise<T>, runs = 3): Promise<{ cold: number; warm: number; result: T }> {
  let t = performance.now();
  const result = await fn();
  const cold = performance.now() - t;
  let warm = Infinity;
  for (let i = 1; i < runs; i++) {
    t = performance.now();
    await fn();
    warm = Math.min(warm, performance.now() - t);
  }
  return { cold, warm, result };
}

const trend = await time(() => engine.trend('default', BUY, 'day', range.from, range.to));
const funnel = await time(() => engine.funnel('default', [CART, BUY, WISH], 3_600_000, range.from, range.to));
const retention = await time(() => engine.retention('default', CART, BUY, { interval: 'day', periods: 5, ...range }), 2);
const tte = await time(() => engine.timeToEvent('default', CART, BUY, range.from, range.to, 3_600_000), 2);
await store.close();
rmSync(dir, { recursive: true, force: true });

const events = trend.result.series.reduce((n, p) => n + p.events, 0);
const steps = funnel.result.steps.map((s) => s.users);
const figures: Figure[] = [
  figure({ label: 'trend over 10 M events (selector rule, daily)', value: trend.cold / 1000, unit: 's', digits: 2, budget: '< 2 s (issue #7)', limit: 2, anchor: `warm ${(trend.warm / 1000).toFixed(2)} s; ${events.toLocaleString('en-US')} matching events` }),
  figure({ label: '3-step funnel over 10 M events (1 h window)', value: funnel.cold / 1000, unit: 's', digits: 2, budget: '< 3 s (issue #7)', limit: 3, anchor: `warm ${(funnel.warm / 1000).toFixed(2)} s; users per step ${steps.join(' → ')}` }),
  figure({ label: 'retention over 10 M events (daily cohorts, 5 periods)', value: retention.cold / 1000, unit: 's', digits: 2, anchor: `warm ${(retention.warm / 1000).toFixed(2)} s` }),
  figure({ label: 'time to event over 10 M events', value: tte.cold / 1000, unit: 's', digits: 2, anchor: `warm ${(tte.warm / 1000).toFixed(2)} s; ${tte.result.converted.toLocaleString('en-US')} of ${tte.result.users.toLocaleString('en-US')} users` }),
];
const ok = writePart('insights', {
  title: '6. Insights over 10 M events (embedded DuckDB)',
  protocol: 'Engine (as the HTTP API) on a copy of the cached 10 M-event store; cold = first run after opening, warm = best of the next runs',
  tables: [],
  figures,
});
process.exit(ok ? 0 : 1);
