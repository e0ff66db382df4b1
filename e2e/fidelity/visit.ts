// The browser side of a fidelity run, shared by the fixed corpus and the seeded fuzz: one page
// visit in its own browser context (so one session), with the ground-truth listener installed
// before any page script, then the recorder flushed so every click is stored.
import type { Browser, Page } from '@playwright/test';
import type { PageRun } from './compare.js';
import { installGroundTruthOn, readGroundTruth } from './ground-truth.js';

export interface Visit {
  name: string;
  url: string;
  run: (page: Page) => Promise<void>;
  /** before the page opens, after the ground truth (more init scripts) */
  prepare?: (page: Page) => Promise<void>;
}

export async function visitPage(browser: Browser, sels: string[], v: Visit, withRecorder: boolean): Promise<PageRun> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(`${v.name}: ${e.message}`));
  try {
    await installGroundTruthOn(page, sels);
    await v.prepare?.(page);
    await page.goto(v.url);
    if (withRecorder) {
      await page
        .waitForFunction(() => typeof (window as any).hindsight?.sessionId === 'string', null, { timeout: 15_000 })
        .catch(() => {
          throw new Error(`${v.name}: window.hindsight never appeared (recorder.js not loaded?)`);
        });
    }
    await v.run(page);
    const gt = await readGroundTruth(page);
    let sessionId = '';
    if (withRecorder) {
      sessionId = await page.evaluate(() => (window as any).hindsight.sessionId as string);
      await page.evaluate(() => (window as any).hindsight.flush());
    }
    return { name: v.name, sessionId, gt, pageErrors };
  } catch (e) {
    throw new Error(`page ${v.name}: ${(e as Error).message}`);
  } finally {
    await context.close();
  }
}

/** `fn` over every item, at most `n` at a time, results in item order. */
export async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}
