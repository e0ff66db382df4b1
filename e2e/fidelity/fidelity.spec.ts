// Fidelity: the engine's retroactive answer for a selector rule equals what the live page's own
// `closest()` returned at the moment of each click (DESIGN.md, Semantics → Rules).
//
// Real pages (e2e/fidelity/pages) embed the built recorder exactly like customers do; a capture
// listener installed before any page script records the ground truth for every selector on every
// click; scripted user interactions click around; then every selector becomes a definition on the
// real server and the set of matched click events must equal the ground truth, exactly.
//
// Both stores: DuckDB and a real ClickHouse (HINDSIGHT_FIDELITY_STORE=duckdb limits a local run to DuckDB).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Browser } from '@playwright/test';
import { startClickHouse } from '../../packages/store/test/clickhouse-server.js';
import { ROOT, startServer, type RunningServer } from '../helpers/server.js';
import { installGroundTruthOn, invalidSelectors, readGroundTruth, type GroundTruthClick } from './ground-truth.js';
import { Actor, PAGE_SCRIPTS } from './interactions.js';
import { FEATURES, SELECTORS, type Feature } from './selectors.js';
import { startStaticServer } from './static-server.js';

const SELS = SELECTORS.map((s) => s.sel);
const MIN_CLICKS_PER_PAGE = 40;
const BATCH = 10;
const PAGE_CONCURRENCY = 3;

interface StoredEvent {
  id: string;
  type: string;
  ts: number;
  url: string;
  sessionId: string;
  chain?: { tag: string; attrs: Record<string, string>; nth: number[]; trunc?: string[]; textTrunc?: boolean; root?: string }[];
  rec?: { id: string; seq: number };
}

interface PageRun {
  name: string;
  sessionId: string;
  gt: GroundTruthClick[];
  pageErrors: string[];
}

/** A click known to both sides: the ground truth record and the stored event it was zipped with. */
interface Click {
  page: string;
  index: number;
  gt: GroundTruthClick;
  event: StoredEvent;
}

type Interact = (browser: Browser, pageUrl: (path: string) => string, withRecorder: boolean) => Promise<PageRun[]>;

/** Runs every page script in its own browser context (one session per page). */
const interact: Interact = async (browser, pageUrl, withRecorder) => {
  // HINDSIGHT_FIDELITY_PAGES=shop,forms runs a subset (while developing the corpus)
  const only = process.env.HINDSIGHT_FIDELITY_PAGES?.split(',');
  const scripts = PAGE_SCRIPTS.filter((p) => !only || only.includes(p.name));
  const runOne = async (script: (typeof PAGE_SCRIPTS)[number]): Promise<PageRun> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(`${script.name}: ${e.message}`));
    try {
      await installGroundTruthOn(page, SELS);
      await page.goto(pageUrl(script.path));
      if (withRecorder) {
        await page
          .waitForFunction(() => typeof (window as any).hindsight?.sessionId === 'string', null, { timeout: 15_000 })
          .catch(() => {
            throw new Error(`${script.name}: window.hindsight never appeared (recorder.js not loaded?)`);
          });
      }
      await script.run(new Actor(page));
      const gt = await readGroundTruth(page);
      let sessionId = '';
      if (withRecorder) {
        sessionId = await page.evaluate(() => (window as any).hindsight.sessionId as string);
        await page.evaluate(() => (window as any).hindsight.flush());
      }
      return { name: script.name, sessionId, gt, pageErrors };
    } catch (e) {
      throw new Error(`page ${script.name}: ${(e as Error).message}`);
    } finally {
      await context.close();
    }
  };
  // a few pages at a time: separate contexts, separate sessions; the wall clock halves
  const runs: PageRun[] = new Array(scripts.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(PAGE_CONCURRENCY, scripts.length) }, async () => {
      while (next < scripts.length) {
        const i = next++;
        runs[i] = await runOne(scripts[i]);
      }
    }),
  );
  return runs;
};

async function inGroups<T, R>(items: T[], size: number, fn: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map((t, k) => fn(t, i + k)))));
  return out;
}

const chainSummary = (e: StoredEvent | undefined) =>
  (e?.chain ?? [])
    .slice(0, 6)
    .map((c) => {
      const id = c.attrs?.id ? `#${c.attrs.id.slice(0, 30)}` : '';
      const cls = c.attrs?.class ? `.${c.attrs.class.trim().split(/\s+/).slice(0, 4).join('.')}` : '';
      const flags = [c.trunc?.length ? `trunc=${c.trunc.join(',')}` : '', c.root ? 'root=shadow' : ''].filter(Boolean).join(' ');
      return `${c.tag}${id}${cls}{${c.nth?.join(',')}}${flags ? `(${flags})` : ''}`;
    })
    .reverse()
    .join(' > ');

async function runFidelity(browser: Browser, s: RunningServer, label: string, log: (line: string) => void): Promise<{ bad: number; report: string }> {
  const t0 = Date.now();
  const stat = await startStaticServer({ endpoint: s.url, key: s.projectKey });
  let runs: PageRun[];
  try {
    const probe = await browser.newPage();
    expect(await invalidSelectors(probe, SELS), 'selectors Chromium rejects').toEqual([]);
    await probe.close();
    runs = await interact(browser, (p) => stat.url + p, true);
  } finally {
    await stat.close();
  }
  const tInteract = Date.now();
  for (const r of runs) {
    expect(r.gt.filter((c) => c.error), `${r.name}: ground-truth listener errors`).toEqual([]);
    expect(r.gt.length, `${r.name}: clicks`).toBeGreaterThanOrEqual(MIN_CLICKS_PER_PAGE);
  }

  // ---- zip ground truth with stored click events, per session
  const clicks: Click[] = [];
  const alignment: string[] = [];
  for (const r of runs) {
    expect(r.sessionId, `${r.name}: session id`).toBeTruthy();
    const { events } = await s.api<{ events: StoredEvent[] }>(`/api/sessions/${encodeURIComponent(r.sessionId)}/events`);
    const stored = events
      .filter((e) => e.type === 'click')
      .sort((x, y) => x.ts - y.ts || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    expect(stored.length, `${r.name}: every click must have been recorded (ground truth ${r.gt.length}, stored ${stored.length})`).toBe(r.gt.length);
    stored.forEach((e, i) => {
      const g = r.gt[i];
      const t = e.chain?.[0];
      // a cut (or masked) id is listed in `trunc`: only its tag can be compared then
      const idOk = t?.trunc?.includes('id') || (t?.attrs?.id ?? '') === g.id;
      if (!t || t.tag !== g.tag || !idOk)
        alignment.push(`${r.name} #${i}: ground truth ${g.path} ≠ stored ${chainSummary(e)}`);
      clicks.push({ page: r.name, index: i, gt: g, event: e });
    });
  }
  expect(alignment, 'stored clicks (sorted by ts, id) must line up with the dispatch order').toEqual([]);
  const byId = new Map(clicks.map((c) => [c.event.id, c]));
  const tZip = Date.now();

  // ---- ask the engine, one definition per selector
  const actual = await inGroups(SELECTORS, BATCH, async ({ sel }, i) => {
    try {
      const def = await s.api<{ id: string }>('/api/definitions', {
        method: 'POST',
        body: JSON.stringify({ name: `fidelity ${label} #${i}`, rules: [{ event: 'click', selector: sel }] }),
      });
      const ids = new Set<string>();
      for (let offset = 0; ; offset += 1000) {
        const { events } = await s.api<{ events: { id: string }[] }>(`/api/definitions/${def.id}/events?limit=1000&offset=${offset}`);
        events.forEach((e) => ids.add(e.id));
        if (events.length < 1000) break;
      }
      return { ids, error: '' };
    } catch (e) {
      return { ids: new Set<string>(), error: String(e).slice(0, 300) };
    }
  });
  const tApi = Date.now();

  // ---- compare
  interface Row {
    selectors: number;
    correct: number;
    agree: number;
    cells: number;
  }
  const rows = new Map<string, Row>();
  const row = (k: string) => rows.get(k) ?? (rows.set(k, { selectors: 0, correct: 0, agree: 0, cells: 0 }), rows.get(k)!);
  const disagreements: string[] = [];
  SELECTORS.forEach(({ sel, features }, i) => {
    const expected = new Set(clicks.filter((c) => c.gt.m.includes(i)).map((c) => c.event.id));
    const got = actual[i].ids;
    const missing = [...expected].filter((id) => !got.has(id));
    const extra = [...got].filter((id) => !expected.has(id));
    const ok = !actual[i].error && missing.length === 0 && extra.length === 0;
    const agree = clicks.length - missing.length - extra.filter((id) => byId.has(id)).length;
    for (const k of ['ALL', ...features]) {
      const r = row(k);
      r.selectors++;
      if (ok) r.correct++;
      r.agree += agree;
      r.cells += clicks.length;
    }
    if (!ok) {
      const perPage = (kind: string, ids: string[]) => {
        const n = new Map<string, number>();
        for (const id of ids) n.set(byId.get(id)?.page ?? '?', (n.get(byId.get(id)?.page ?? '?') ?? 0) + 1);
        return ids.length ? `${kind} ${[...n].map(([p, k]) => `${p}×${k}`).join(' ')}` : '';
      };
      const where = [perPage('missing', missing), perPage('extra', extra)].filter(Boolean).join('; ');
      const lines = [
        `✗ [${i}] ${sel}   {${features.join(', ')}}   expected ${expected.size}, actual ${got.size}${where ? `   (${where})` : ''}${actual[i].error ? `   ERROR ${actual[i].error}` : ''}`,
      ];
      const show = (kind: string, ids: string[]) => {
        for (const id of ids.slice(0, 4)) {
          const c = byId.get(id);
          lines.push(
            c
              ? `    ${kind} ${c.page}#${c.index} ${id} ${c.gt.trusted ? '' : '(synthetic) '}target ${c.gt.path}\n        stored chain: ${chainSummary(c.event)}  rec=${c.event.rec ? `${c.event.rec.seq}` : '-'}`
              : `    ${kind} ${id} (not one of this run's clicks)`,
          );
        }
        if (ids.length > 4) lines.push(`    … ${ids.length - 4} more ${kind}`);
      };
      show('missing', missing);
      show('extra  ', extra);
      disagreements.push(lines.join('\n'));
    }
  });

  const order = ['ALL', ...FEATURES.filter((f) => rows.has(f))];
  const table = [
    `Fidelity (${label}): ${SELECTORS.length} selectors × ${clicks.length} clicks on ${runs.length} pages ` +
      `(interactions ${((tInteract - t0) / 1000).toFixed(1)} s, session events ${((tZip - tInteract) / 1000).toFixed(1)} s, engine ${((tApi - tZip) / 1000).toFixed(1)} s)`,
    `${'feature'.padEnd(28)} ${'selectors correct'.padStart(18)} ${'click agreement'.padStart(16)}`,
    ...order.map((k) => {
      const r = rows.get(k)!;
      return `${k.padEnd(28)} ${`${r.correct}/${r.selectors}`.padStart(18)} ${`${((100 * r.agree) / r.cells).toFixed(3)} %`.padStart(16)}`;
    }),
  ].join('\n');
  const report = `${table}\n\n${disagreements.length ? `Disagreements (${disagreements.length}):\n${disagreements.join('\n')}` : 'No disagreements.'}\n`;
  log(report);
  return { bad: disagreements.length, report };
}

const built = () =>
  existsSync(join(ROOT, 'apps/server/dist/main.js')) && existsSync(join(ROOT, 'packages/recorder/dist/recorder.js'));

// ------------------------------------------------------------------ corpus self-check (no server)

// The report (every disagreeing selector, with the clicks and their stored chains) is what
// explains a failure here; traces of ten contexts of heavy pages would only slow the run.
test.use({ trace: 'off' });

test.describe('fidelity corpus', () => {
  // Only needed while the recorder/server are not built (the full tests below check the same
  // things with the recorder in the page); HINDSIGHT_FIDELITY_SELFCHECK=1 forces it.
  test.skip(built() && !process.env.HINDSIGHT_FIDELITY_SELFCHECK, 'covered by the full fidelity test');
  test.describe.configure({ timeout: 5 * 60_000 });
  test('every selector parses in Chromium; the ground-truth harness sees every click', async ({ browser }) => {
    expect(SELECTORS.length).toBeGreaterThanOrEqual(300);
    expect(new Set(SELS).size, 'selectors are unique').toBe(SELS.length);
    // no recorder here: the embed points at the static server itself, where recorder.js is a 404
    const stat = await startStaticServer({ endpoint: 'http://127.0.0.1:9', key: 'none' });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(stat.url + '/lists.html');
      expect(await invalidSelectors(page, SELS)).toEqual([]);
      await context.close();
      const runs = await interact(browser, (p) => stat.url + p, false);
      const counts = new Array(SELS.length).fill(0);
      for (const r of runs) {
        expect(r.pageErrors, `${r.name}: page errors`).toEqual([]);
        expect(r.gt.filter((c) => c.error)).toEqual([]);
        expect(r.gt.length, `${r.name}: clicks`).toBeGreaterThanOrEqual(MIN_CLICKS_PER_PAGE);
        for (const c of r.gt) for (const i of c.m) counts[i]++;
      }
      if (process.env.HINDSIGHT_FIDELITY_DUMP) writeFileSync(process.env.HINDSIGHT_FIDELITY_DUMP, JSON.stringify({ sels: SELS, runs }, null, 1));
      const total = runs.reduce((n, r) => n + r.gt.length, 0);
      const never = SELS.filter((_, i) => counts[i] === 0);
      const always = SELS.filter((_, i) => counts[i] === total);
      console.log(
        `fidelity corpus: ${SELS.length} selectors, ${total} clicks (${runs.map((r) => `${r.name} ${r.gt.length}`).join(', ')}); ` +
          `${never.length} selectors match no click, ${always.length} match every click`,
      );
      // a corpus where most selectors never fire would prove nothing
      expect(never.length).toBeLessThan(SELS.length * 0.1);
    } finally {
      await stat.close();
    }
  });
});

// ------------------------------------------------------------------ the real thing

test.describe('fidelity: DuckDB', () => {
  test.describe.configure({ timeout: 10 * 60_000 });
  test('retroactive selector matching equals live closest() for every selector and click', async ({ browser }, info) => {
    expect(built(), 'run `npm run build` first (apps/server/dist/main.js, packages/recorder/dist/recorder.js)').toBe(true);
    const s = await startServer();
    try {
      const { bad, report } = await runFidelity(browser, s, 'duckdb', (l) => console.log(l));
      await info.attach('fidelity-duckdb.txt', { body: report, contentType: 'text/plain' });
      expect(bad, 'selectors whose engine answer differs from live closest()').toBe(0);
    } finally {
      await s.stop();
    }
  });
});

test.describe('fidelity: ClickHouse', () => {
  test.skip(process.env.HINDSIGHT_FIDELITY_STORE === 'duckdb', 'HINDSIGHT_FIDELITY_STORE=duckdb limits this run to DuckDB');
  test.describe.configure({ timeout: 10 * 60_000 });
  test('retroactive selector matching equals live closest() for every selector and click', async ({ browser }, info) => {
    expect(built(), 'run `npm run build` first').toBe(true);
    const t = Date.now();
    const ch = await startClickHouse();
    try {
      const s = await startServer({ env: { HINDSIGHT_STORE: ch.url } });
      console.log(`fidelity: ClickHouse and server ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      try {
        const { bad, report } = await runFidelity(browser, s, 'clickhouse', (l) => console.log(l));
        await info.attach('fidelity-clickhouse.txt', { body: report, contentType: 'text/plain' });
        expect(bad, 'selectors whose engine answer differs from live closest()').toBe(0);
      } finally {
        await s.stop();
      }
    } finally {
      await ch.stop();
    }
  });
});
