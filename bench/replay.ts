// Replay of a long session: a synthetic 30-minute recording of a 10,000-node page (checkouts every
// 5 minutes, mutations, mouse moves, scrolls; e2e/helpers/long-session.ts) is ingested into a real
// server and opened in the viewer in Chromium. Measures time to first frame (navigation start →
// the snapshot's clock visible in the replay iframe), cold (empty IndexedDB cache) and warm (the
// session reopened), and seek latency (timeline pointerdown → the iframe shows that moment's clock
// text) at random positions. Needs the built server and viewer (`npm run build`).
// Seeks are measured spaced (2 s apart, the figure against the budget) and in a rapid burst.
//   npx tsx bench/replay.ts [seeks=12]
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { ROOT, startServer } from '../e2e/helpers/server.js';
import { ingestLongSession, makeLongSession } from '../e2e/helpers/long-session.js';

const SEEKS = Number(process.argv[2] ?? 12);
/** before the first seek, and between spaced seeks */
const WARMUP_MS = 10_000;
const THINK_MS = 2_000;
const BUDGET = { firstFrameMs: 1000, seekMs: 300 };
const CLOCK_EVERY = 5_000;

// deterministic "random" positions
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const round = (n: number) => Math.round(n * 10) / 10;

async function firstFrame(page: Page, url: string): Promise<number> {
  await page.goto(url);
  // performance.now() counts from this document's navigation start
  const h = await page.waitForFunction(
    () => {
      const f = document.querySelector<HTMLIFrameElement>('[data-testid=replay-frame-container] [data-active] iframe');
      return f?.contentDocument?.getElementById('clock')?.textContent === 'T+0s' ? performance.now() : 0;
    },
    undefined,
    { polling: 'raf', timeout: 60_000 },
  );
  return (await h.jsonValue()) as number;
}

/** Clicks the timeline at fraction `frac`; ms from pointerdown until the iframe shows that moment. */
async function seek(page: Page, frac: number, total: number): Promise<number> {
  const track = page.locator('[data-testid=timeline] .timeline-track');
  const box = (await track.boundingBox())!;
  // the offset the Timeline computes for this x (same formula), so the expected clock is exact
  await page.evaluate(
    ({ total, every }) => {
      const w = window as any;
      w.__seek = null;
      document.querySelector('[data-testid=timeline]')!.addEventListener(
        'pointerdown',
        (e: Event) => {
          const r = document.querySelector('[data-testid=timeline] .timeline-track')!.getBoundingClientRect();
          const off = Math.min(1, Math.max(0, ((e as PointerEvent).clientX - r.left) / Math.max(1, r.width))) * total;
          w.__seek = { t0: performance.now(), want: `T+${(Math.floor(off / every) * every) / 1000}s` };
        },
        { capture: true, once: true },
      );
    },
    { total, every: CLOCK_EVERY },
  );
  await page.mouse.click(box.x + frac * box.width, box.y + box.height / 2);
  const h = await page.waitForFunction(
    () => {
      const s = (window as any).__seek;
      const f = document.querySelector<HTMLIFrameElement>('[data-testid=replay-frame-container] [data-active] iframe');
      return s && f?.contentDocument?.getElementById('clock')?.textContent === s.want ? performance.now() - s.t0 : 0;
    },
    undefined,
    { polling: 'raf', timeout: 30_000 },
  );
  return (await h.jsonValue()) as number;
}

async function main() {
  const server = await startServer();
  try {
    const s = makeLongSession();
    const t0 = performance.now();
    await ingestLongSession(server.url, server.projectKey, s);
    const ingestMs = performance.now() - t0;
    const browser = await chromium.launch({
      executablePath: process.env.HINDSIGHT_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    });
    try {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await ctx.newPage();
      const login = await page.request.post(`${server.url}/api/login`, { data: { token: server.adminToken } });
      if (!login.ok()) throw new Error(`login: ${login.status()}`);
      const url = `${server.url}/sessions/${s.sessionId}`;
      // cold: empty cache (the server's replay index is built on this first open too)
      const cold = await firstFrame(page, url);
      // the viewer prepares the other segments' pages while idle (replay-driver.ts); a user
      // watches a few seconds before seeking, and looks at each frame before the next seek
      await page.waitForTimeout(WARMUP_MS);
      const total = s.end - s.start;
      const position = () => {
        // avoid landing within 100 ms of a clock change (pixel rounding could pick either side)
        let frac = rnd();
        while ((frac * total) % CLOCK_EVERY < 100 || (frac * total) % CLOCK_EVERY > CLOCK_EVERY - 100) frac = rnd();
        return frac;
      };
      const seeks: number[] = [];
      for (let i = 0; i < SEEKS; i++) {
        seeks.push(await seek(page, position(), total));
        await page.waitForTimeout(THINK_MS);
      }
      // a burst: each seek right after the previous frame showed (background work competes)
      const rapid: number[] = [];
      for (let i = 0; i < SEEKS; i++) rapid.push(await seek(page, position(), total));
      // warm: the same session reopened (IndexedDB cache)
      await page.goto(`${server.url}/`);
      const warm = await firstFrame(page, url);
      // a second analyst: empty browser cache, the server's replay index already built (the first
      // page leaves the replay, so its background work does not share the 2 cores)
      await page.goto(`${server.url}/`);
      const ctx2 = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page2 = await ctx2.newPage();
      await page2.request.post(`${server.url}/api/login`, { data: { token: server.adminToken } });
      const freshBrowser = await firstFrame(page2, url);
      await ctx2.close();
      const result = {
        bench: 'replay',
        at: new Date().toISOString(),
        session: {
          durationMin: total / 60_000,
          nodes: s.nodes,
          rrwebEvents: s.rrwebEvents,
          chunks: s.chunks.length,
          jsonBytes: s.chunks.reduce((a, c) => a + JSON.stringify(c.events).length, 0),
          checkouts: s.chunks.filter((c) => c.events.some((e: any) => e.type === 2)).length,
        },
        ingestMs: Math.round(ingestMs),
        // cold: first open after ingest (server indexes the session); freshBrowser: another browser,
        // server index ready; warm: reopened in the same browser (IndexedDB cache)
        firstFrameMs: { cold: round(cold), freshBrowser: round(freshBrowser), warm: round(warm) },
        seekMs: { n: seeks.length, thinkMs: THINK_MS, median: round(quantile(seeks, 0.5)), p95: round(quantile(seeks, 0.95)), max: round(Math.max(...seeks)), samples: seeks.map(round) },
        rapidSeekMs: { n: rapid.length, median: round(quantile(rapid, 0.5)), p95: round(quantile(rapid, 0.95)), max: round(Math.max(...rapid)), samples: rapid.map(round) },
        loadAverage: loadavg().map(round),
        cpus: cpus().length,
        budget: BUDGET,
        ok: Math.max(cold, freshBrowser, warm) < BUDGET.firstFrameMs && quantile(seeks, 0.95) < BUDGET.seekMs,
      };
      const out = JSON.stringify(result, null, 2);
      console.log(out);
      mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
      writeFileSync(join(ROOT, 'bench/results/replay.json'), out + '\n');
      process.exitCode = result.ok ? 0 : 1;
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
