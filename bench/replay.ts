// Replay of a long session: a synthetic 30-minute recording of a 10,000-node page (checkouts every
// 5 minutes, mutations, mouse moves, scrolls; e2e/helpers/long-session.ts) is ingested into a real
// server and opened in the viewer in Chromium. Measures time to first frame from navigation start,
// twice: *built* (the snapshot's clock is in the replay iframe's DOM, the player's or the one shown
// before the app started, lib/early-frame.ts) and *painted* (the frame after that one, so the
// browser has styled, laid out and painted the rebuilt page; for 10,000 nodes that alone is ~0.5 s
// on this 2-core machine). Each is the median of OPENS opens: cold (a
// new browser context and a session the server has not indexed yet), fresh browser (a new context,
// server index ready), warm (reopened: IndexedDB cache) and from the sessions list (a new context
// that loads the list, then clicks the session's row: from that press), and, for information, a
// deep link (`?t=` 22 minutes in, as a definition's sample match opens) to a session never opened
// before. Then seek latency (timeline pointerdown
// → the iframe shows that moment's clock text) at random positions, spaced (2 s apart, the figure
// against the budget) and in a rapid burst. And the floor under the first frame: the same page as
// plain HTML from a local server, no app and no data to fetch, opened the same way (first
// contentful paint): what Chromium itself needs on this machine to show it. Needs the built server
// and viewer (`npm run build`).
//   npx tsx bench/replay.ts [seeks=12] [opens=5]
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT, startServer } from '../e2e/helpers/server.js';
import { ingestLongSession, makeLongSession } from '../e2e/helpers/long-session.js';

const SEEKS = Number(process.argv[2] ?? 12);
const OPENS = Number(process.argv[3] ?? 5);
/** before the first seek, and between spaced seeks */
const WARMUP_MS = 10_000;
const THINK_MS = 2_000;
const BUDGET = { firstFrameMs: 1000, seekMs: 300 };
const CLOCK_EVERY = 5_000;
/** where the deep links open: past four checkouts, between two clock changes */
const DEEP_LINK_AT = 22 * 60_000 + 2_500;
/** how long the sessions list is on screen before a row is clicked */
const LIST_READ_MS = 2_000;

// deterministic "random" positions
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const round = (n: number) => Math.round(n * 10) / 10;

interface Open {
  built: number;
  painted: number;
  /** the replayed page's first contentful paint as presented (NaN: none reported) */
  shown: number;
}

/**
 * [built, painted, shown] in the page's performance.now() (from its navigation start). rAF
 * callbacks run before the frame's style and layout: the second one after the clock appeared runs
 * once the frame showing it has been produced. shown: the replay iframe's own first contentful
 * paint (presentation time where Chromium reports it), NaN when none came within 3 s. A string,
 * so no bundler helper leaks into the page.
 */
async function frameTimes(page: Page, text = 'T+0s'): Promise<number[]> {
  return (await page.evaluate(`new Promise((resolve, reject) => {
    const text = ${JSON.stringify(text)};
    const until = performance.now() + 60000;
    function tick() {
      const f = document.querySelector('[data-testid=replay-frame-container] [data-active] iframe, [data-testid=replay-frame-early] [data-active] iframe');
      const clock = f && f.contentDocument && f.contentDocument.getElementById('clock');
      if (clock && clock.textContent === text) {
        const built = performance.now();
        requestAnimationFrame(() => requestAnimationFrame(() => {
          const painted = performance.now();
          // shown: the replayed page's first contentful paint, as presented (its own timeline)
          const w = f.contentWindow;
          const poll = () => {
            const e = w && w.performance.getEntriesByName('first-contentful-paint')[0];
            if (e) resolve([built, painted, (e.presentationTime || e.startTime) + w.performance.timeOrigin - performance.timeOrigin]);
            else if (performance.now() - painted > 3000) resolve([built, painted, NaN]);
            else setTimeout(poll, 20);
          };
          poll();
        }));
      } else if (performance.now() > until) reject(new Error('no first frame within 60 s'));
      else requestAnimationFrame(tick);
    }
    tick();
  })`)) as number[];
}

/** A replay URL opened directly (typed, a shared link): navigation start → first frame. */
async function firstFrame(page: Page, url: string, text?: string): Promise<Open> {
  await page.goto(url);
  const [built, painted, shown] = await frameTimes(page, text);
  return { built, painted, shown };
}

/**
 * A replay opened from the sessions list, the usual way in: the list is loaded and read for
 * LIST_READ_MS, then the row is clicked; its press → first frame.
 */
async function fromList(page: Page, base: string, sessionId: string): Promise<Open> {
  await page.goto(`${base}/`);
  const link = page.locator(`[data-testid=session-row][data-session-id="${sessionId}"] .row-link`);
  await link.waitFor();
  await page.waitForTimeout(LIST_READ_MS);
  await page.evaluate(() => addEventListener('pointerdown', () => ((window as any).__press = performance.now()), { capture: true, once: true }));
  await link.click();
  const [built, painted, shown] = await frameTimes(page);
  const press = (await page.evaluate(() => (window as any).__press)) as number;
  return { built: built - press, painted: painted - press, shown: shown - press };
}

/** First contentful paint of `html` served as a static page, in `opens` new browser contexts. */
async function staticPageFcp(browser: Browser, html: string, opens: number): Promise<number[]> {
  const site = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(html);
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  try {
    const out: number[] = [];
    for (let i = 0; i < opens; i++) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await ctx.newPage();
      await page.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`);
      out.push((await page.evaluate(`new Promise((resolve) => new PerformanceObserver((l, o) => { const fcp = l.getEntriesByName('first-contentful-paint')[0]; if (fcp) { o.disconnect(); resolve(fcp.startTime); } }).observe({ type: 'paint', buffered: true }))`)) as number);
      await ctx.close();
    }
    return out;
  } finally {
    site.close();
  }
}

const median = (xs: number[]) => quantile(xs, 0.5);
/** medians; `shown` over the opens that reported one (null when none did) */
const summarize = (opens: Open[]) => {
  const shown = opens.map((o) => o.shown).filter((x) => Number.isFinite(x));
  return { built: round(median(opens.map((o) => o.built))), painted: round(median(opens.map((o) => o.painted))), shown: shown.length ? round(median(shown)) : null };
};

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
    // one session per cold open: each is the first open of a session the server has not indexed
    const sessions = Array.from({ length: OPENS }, () => makeLongSession());
    // and one per deep link (`?t=`, as a sample match opens), also never opened before
    const linked = Array.from({ length: OPENS }, () => makeLongSession());
    const s = sessions[0];
    const t0 = performance.now();
    await ingestLongSession(server.url, server.projectKey, s);
    const ingestMs = performance.now() - t0;
    for (const other of sessions.slice(1)) await ingestLongSession(server.url, server.projectKey, other);
    const browser = await chromium.launch({
      executablePath: process.env.HINDSIGHT_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    });
    try {
      /** a new browser context (empty HTTP cache and IndexedDB), logged in */
      const freshPage = async () => {
        const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await ctx.newPage();
        const login = await page.request.post(`${server.url}/api/login`, { data: { token: server.adminToken } });
        if (!login.ok()) throw new Error(`login: ${login.status()}`);
        return page;
      };
      const urlOf = (x: { sessionId: string }) => `${server.url}/sessions/${x.sessionId}`;
      const url = urlOf(s);
      // cold: empty caches, and the server indexes the session on this first open; the last
      // page stays open for the seeks below
      const cold: Open[] = [];
      for (const x of sessions.slice(1)) {
        const p = await freshPage();
        cold.push(await firstFrame(p, urlOf(x)));
        await p.context().close();
      }
      const page = await freshPage();
      cold.push(await firstFrame(page, url));
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
      const warm: Open[] = [];
      for (let i = 0; i < OPENS; i++) {
        await page.goto(`${server.url}/`);
        warm.push(await firstFrame(page, url));
      }
      // another analyst: empty browser cache, the server's replay index already built (the first
      // page leaves the replay, so its background work does not share the 2 cores)
      await page.goto(`${server.url}/`);
      const fresh: Open[] = [];
      for (let i = 0; i < OPENS; i++) {
        const p = await freshPage();
        fresh.push(await firstFrame(p, url));
        await p.context().close();
      }
      // opened from the sessions list: empty browser cache, the app and the list already loaded
      const listed: Open[] = [];
      for (const x of sessions) {
        const p = await freshPage();
        listed.push(await fromList(p, server.url, x.sessionId));
        await p.context().close();
      }
      // a deep link into the session's last third, a session never opened (the server indexes it)
      // (ingested only now: ingesting them before the cold opens slowed those by ~200 ms)
      for (const x of linked) await ingestLongSession(server.url, server.projectKey, x);
      const deep: Open[] = [];
      for (const x of linked) {
        const at = x.start + DEEP_LINK_AT;
        const p = await freshPage();
        deep.push(await firstFrame(p, `${urlOf(x)}?t=${at}`, x.clockAt(at)));
        await p.context().close();
      }
      const opened = { cold: summarize(cold), freshBrowser: summarize(fresh), warm: summarize(warm), fromList: summarize(listed), deepLink: summarize(deep) };
      const floor = await staticPageFcp(browser, s.html(), OPENS);
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
        // medians of OPENS opens each. painted (the headline, what the analyst sees): the frame
        // after the snapshot's DOM is in, styled, laid out and painted; built: that DOM is in.
        // cold: first open of a session after ingest (the server indexes it), empty browser;
        // freshBrowser: empty browser, server index ready; warm: reopened (IndexedDB cache);
        // fromList: empty browser, clicked in the sessions list (from the row's press, not navigation)
        opens: OPENS,
        firstFrameMs: { cold: opened.cold.painted, freshBrowser: opened.freshBrowser.painted, warm: opened.warm.painted, fromList: opened.fromList.painted },
        // informational: a deep link (`?t=`) into a session never opened (no budget of its own)
        deepLinkMs: { ...opened.deepLink, atMin: Math.floor(DEEP_LINK_AT / 60_000), samples: deep.map((o) => [round(o.built), round(o.painted)]) },
        builtMs: { cold: opened.cold.built, freshBrowser: opened.freshBrowser.built, warm: opened.warm.built, fromList: opened.fromList.built },
        // the floor: the same page as static HTML (no app, nothing to fetch), first contentful
        // paint in a new browser context, median of OPENS
        staticPageFcpMs: { median: round(median(floor)), samples: floor.map(round) },
        // the replayed page's own first contentful paint as presented (Chromium's paint timing in
        // the replay iframe): a check on `painted`, which it should match within a frame or so
        shownMs: { cold: opened.cold.shown, freshBrowser: opened.freshBrowser.shown, warm: opened.warm.shown, fromList: opened.fromList.shown, deepLink: opened.deepLink.shown },
        shownSamples: { cold: cold.map((o) => round(o.shown)), freshBrowser: fresh.map((o) => round(o.shown)), warm: warm.map((o) => round(o.shown)), fromList: listed.map((o) => round(o.shown)), deepLink: deep.map((o) => round(o.shown)) },
        firstFrameSamples: { cold: cold.map((o) => [round(o.built), round(o.painted)]), freshBrowser: fresh.map((o) => [round(o.built), round(o.painted)]), warm: warm.map((o) => [round(o.built), round(o.painted)]), fromList: listed.map((o) => [round(o.built), round(o.painted)]) },
        seekMs: { n: seeks.length, thinkMs: THINK_MS, median: round(quantile(seeks, 0.5)), p95: round(quantile(seeks, 0.95)), max: round(Math.max(...seeks)), samples: seeks.map(round) },
        rapidSeekMs: { n: rapid.length, median: round(quantile(rapid, 0.5)), p95: round(quantile(rapid, 0.95)), max: round(Math.max(...rapid)), samples: rapid.map(round) },
        loadAverage: loadavg().map(round),
        cpus: cpus().length,
        budget: BUDGET,
        ok: Math.max(opened.cold.painted, opened.freshBrowser.painted, opened.warm.painted, opened.fromList.painted) < BUDGET.firstFrameMs && quantile(seeks, 0.95) < BUDGET.seekMs,
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
