// A 30-minute session on a 10,000-node page (e2e/helpers/long-session.ts): the replay loads
// progressively (index, then only the chunks from the nearest snapshot), and seeking anywhere,
// forwards or back, shows that moment's DOM: the clock text a mutation set and the notes list.
// Timings are measured by bench/replay.ts, not here.
import { expect, test, type Page } from '@playwright/test';
import { startServer, type RunningServer } from '../helpers/server';
import { loginViewer } from '../helpers/viewer';
import { ingestLongSession, makeLongSession, type LongSession } from '../helpers/long-session';

let server: RunningServer;
let s: LongSession;

test.beforeAll(async () => {
  server = await startServer();
  s = makeLongSession();
  await ingestLongSession(server.url, server.projectKey, s);
});

test.afterAll(async () => {
  await server?.stop();
});

const login = (page: Page, path = '/') => loginViewer(page, server, path);

// the replay on screen (hidden, ready pages of other segments sit next to it)
const frame = (page: Page) => page.frameLocator('[data-testid=replay-frame-container] [data-active] iframe');
/** the list row of the click made `m` minutes in (row 0 is the page view) */
const clickRow = (page: Page, m: number) => page.getByTestId('event-row').nth(m).locator('.event-main');

test('a cold index answers the start of the first segment first (enough for a first frame), then the whole session', async () => {
  const s2 = makeLongSession({ durationMs: 12 * 60_000 });
  await ingestLongSession(server.url, server.projectKey, s2);
  const first = await server.api(`/api/sessions/${s2.sessionId}/replay/index?first=true`);
  expect(first.complete).toBe(false);
  expect(first.chunks.length).toBeLessThan(s2.chunks.length);
  // the first Meta's chunk and the one after it (the FullSnapshot), nothing more
  expect(first.chunks.flatMap((c: any) => c.metas).length).toBe(1);
  expect(first.chunks[first.chunks.length - 2].metas.length).toBe(1);
  expect(first.lastTs).toBe(s2.chunks[s2.chunks.length - 1].ts);
  const all = await server.api(`/api/sessions/${s2.sessionId}/replay/index`);
  expect(all.complete).toBe(true);
  expect(all.chunks.map((c: any) => c.id)).toEqual(s2.chunks.map((c) => c.id));
  expect(all.chunks.slice(0, first.chunks.length)).toEqual(first.chunks);
  // head=true: the same prefix plus the first frame's chunks, exactly as `chunks` returns them
  const withHead = await server.api(`/api/sessions/${s2.sessionId}/replay/index?first=true&head=true`);
  const { head, ...prefix } = withHead;
  expect(prefix).toEqual(first);
  const ids = [s2.chunks[0].id, s2.chunks[1].id];
  expect(head).toEqual((await server.api(`/api/sessions/${s2.sessionId}/replay/chunks?ids=${ids.join(',')}`)).chunks);
  expect(head[0].events).toEqual(s2.chunks[0].events);
  // also on the complete index (the first segment's start is the same)
  expect((await server.api(`/api/sessions/${s2.sessionId}/replay/index?head=true`)).head).toEqual(head);
  const bad = await fetch(`${server.url}/api/sessions/${s2.sessionId}/replay/index?head=maybe`, { headers: { authorization: `Bearer ${server.adminToken}` } });
  expect(bad.status).toBe(400);
  expect((await bad.json()).error.code).toBe('bad_query');
});

test('the API serves an index and chosen chunks; the whole array keeps its contract', async () => {
  const index = await server.api(`/api/sessions/${s.sessionId}/replay/index`);
  expect(index.v).toBe(1);
  expect(index.chunks.length).toBe(s.chunks.length);
  expect(index.chunks.filter((c: any) => c.metas.length).length).toBe(7); // start + 6 checkouts
  const ids = index.chunks.slice(0, 3).map((c: any) => c.id);
  const { chunks } = await server.api(`/api/sessions/${s.sessionId}/replay/chunks?ids=${ids.join(',')}`);
  expect(chunks.map((c: any) => c.id)).toEqual(ids);
  expect(chunks[0].events).toEqual(s.chunks[0].events);
  const all = await server.api(`/api/sessions/${s.sessionId}/replay`);
  expect(all.length).toBe(s.rrwebEvents);
  const bad = await fetch(`${server.url}/api/sessions/${s.sessionId}/replay/chunks?ids=`, { headers: { authorization: `Bearer ${server.adminToken}` } });
  expect(bad.status).toBe(400);
  const many = Array.from({ length: 201 }, (_, i) => `c${i}`).join(',');
  const tooMany = await fetch(`${server.url}/api/sessions/${s.sessionId}/replay/chunks?ids=${many}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
  expect(tooMany.status).toBe(400);
});

test('plays from the first snapshot without loading the rest, and seeks anywhere to the right state', async ({ page }) => {
  test.setTimeout(180_000);
  const requested: string[][] = [];
  const indexQueries: string[] = [];
  let wholeArray = false;
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.endsWith('/replay/chunks')) requested.push((u.searchParams.get('ids') ?? '').split(','));
    if (u.pathname.endsWith('/replay/index')) indexQueries.push(u.search);
    if (u.pathname.endsWith(`/${s.sessionId}/replay`)) wholeArray = true; // must not be used
  });
  await login(page);
  await page.goto(`${server.url}/sessions/${s.sessionId}`);
  await expect(frame(page).locator('#clock')).toHaveText('T+0s');
  expect(wholeArray).toBe(false);
  // the first frame came from one request: the first segment's index prefix with its head (the
  // Meta + FullSnapshot chunks); those chunks are never asked for again, the rest loads afterwards
  expect(indexQueries[0]).toBe('?first=true&head=true');
  const { head } = await server.api(`/api/sessions/${s.sessionId}/replay/index?first=true&head=true`);
  expect(head.map((c: any) => c.id)).toEqual([s.chunks[0].id, s.chunks[1].id]);
  await expect(frame(page).locator('.card')).toHaveCount(s.cards);
  await expect.poll(() => requested.length).toBeGreaterThan(0); // the rest of the first segment
  for (const c of head) expect(requested.flat()).not.toContain(c.id);

  // forwards into a later segment, back into an earlier one, then near the end
  for (const m of [17, 3, 29, 11]) {
    await clickRow(page, m).click();
    const at = s.start + m * 60_000 + 50;
    await expect(frame(page).locator('#clock')).toHaveText(s.clockAt(at));
    // a note is added every 30 s and only the last 20 stay
    await expect(frame(page).locator('#notes .note').last()).toHaveText(`Note ${m * 2}`);
    await expect(frame(page).locator('#notes .note')).toHaveCount(Math.min(20, m * 2));
  }

  // playing on from a seek keeps advancing through the recording
  await clickRow(page, 24).click();
  await page.getByTestId('play-button').click();
  await expect(frame(page).locator('#clock')).toHaveText(s.clockAt(s.start + 24 * 60_000 + 5_000), { timeout: 20_000 });
  await page.getByTestId('play-button').click();
});

/**
 * Watches a replay URL open: each animation frame, notes the first one whose replay iframe (the
 * early skeleton's or the player's) shows `T+0s`, whether the app's controls existed by then, and
 * marks that iframe's document, so the test can tell whether the player later shows that very
 * document (adopted) or a rebuilt one.
 */
async function watchFirstFrame(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as any;
    const tick = () => {
      const early = document.querySelector('[data-testid=replay-frame-early] [data-active] iframe') as HTMLIFrameElement | null;
      const f = early ?? (document.querySelector('[data-testid=replay-frame-container] [data-active] iframe') as HTMLIFrameElement | null);
      const doc = f?.contentDocument as any;
      if (doc?.getElementById('clock')?.textContent === 'T+0s') {
        doc.firstFrame = true;
        const r = f!.getBoundingClientRect();
        w.firstFrame = { early: !!early, app: !!document.querySelector('[data-testid=play-button]'), rect: [r.left, r.top, r.width, r.height] };
      } else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

test('a replay opened directly shows its first frame before the app starts, and the player keeps that very page', async ({ page }) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await login(page);
  await watchFirstFrame(page);
  await page.goto(`${server.url}/sessions/${s.sessionId}`);
  await expect(page.getByTestId('play-button')).toBeVisible();
  await expect(frame(page).locator('#clock')).toHaveText('T+0s');
  const first = await page.evaluate(() => (window as any).firstFrame);
  // the frame came first, in the skeleton, with no app (no controls) yet
  expect(first).toMatchObject({ early: true, app: false });
  // the player shows the same document: moved into its stage, not rebuilt (nor reloaded blank)
  await expect(page.locator('.early-replay')).toHaveCount(0);
  expect(await page.locator('[data-testid=replay-frame-container] [data-active] iframe').evaluate((f: HTMLIFrameElement) => (f.contentDocument as any).firstFrame)).toBe(true);
  await expect(frame(page).locator('.card')).toHaveCount(s.cards);
  // where the skeleton showed it: the frame does not jump when the app takes over
  const rect = await page.locator('[data-testid=replay-frame-container] [data-active] iframe').evaluate((f) => {
    const r = f.getBoundingClientRect();
    return [r.left, r.top, r.width, r.height];
  });
  for (let i = 0; i < 4; i++) expect(Math.abs(rect[i] - first.rect[i])).toBeLessThanOrEqual(2);
  // and it is the player's now: it plays, and seeks elsewhere
  await page.getByTestId('play-button').click();
  await expect(frame(page).locator('#clock')).toHaveText(s.clockAt(s.start + 5_000), { timeout: 20_000 });
  await page.getByTestId('play-button').click();
  await clickRow(page, 17).click();
  await expect(frame(page).locator('#clock')).toHaveText(s.clockAt(s.start + 17 * 60_000 + 50));
  // the adopted page was replaced: it goes (rrweb removes it from where it now is)
  await expect.poll(() => page.locator('[data-testid=replay-frame-container] .replayer-wrapper').evaluateAll((ws) => ws.filter((w) => w.querySelector('iframe')?.contentDocument && (w.querySelector('iframe')!.contentDocument as any).firstFrame).length)).toBe(0);
  // and leaving the replay leaves a working app
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sessions' }).click();
  await expect(page.getByTestId('session-row').first()).toBeVisible();
  expect(errors).toEqual([]);
});

test('a browser that cannot move a live iframe gets the first frame from the player itself', async ({ page }) => {
  await login(page);
  await page.addInitScript(() => delete (Element.prototype as any).moveBefore);
  await watchFirstFrame(page);
  await page.goto(`${server.url}/sessions/${s.sessionId}`);
  await expect(frame(page).locator('#clock')).toHaveText('T+0s');
  expect(await page.evaluate(() => (window as any).firstFrame)).toMatchObject({ early: false, app: true });
  await expect(page.locator('.early-replay')).toHaveCount(0);
  await clickRow(page, 3).click();
  await expect(frame(page).locator('#clock')).toHaveText(s.clockAt(s.start + 3 * 60_000 + 50));
});

test('signed out, a replay link shows the login screen (no outline left over it), then the replay', async ({ page }) => {
  await loginViewer(page, server, `/sessions/${s.sessionId}`);
  await expect(page.locator('.early-replay')).toHaveCount(0);
  await expect(frame(page).locator('#clock')).toHaveText('T+0s');
  await expect(page.getByTestId('play-button')).toBeVisible();
});

test('a slow server: the app starts anyway (its menu usable), and the replay still shows once it answers', async ({ page }) => {
  test.setTimeout(120_000);
  await login(page);
  // the first-frame index answers well after the entry stopped waiting for it (5 s; the margin is
  // for a loaded CI machine, where the app itself then takes seconds to start)
  await page.route('**/replay/index?first=true*', async (r) => {
    await new Promise((res) => setTimeout(res, 15_000));
    await r.continue().catch(() => {});
  });
  await watchFirstFrame(page);
  await page.goto(`${server.url}/sessions/${s.sessionId}`);
  // usable, not merely there: nothing lies over it (a trial click checks what would receive it)
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Definitions' }).click({ trial: true, timeout: 13_000 });
  await expect(page.getByText('Loading replay…')).toBeVisible();
  await expect(frame(page).locator('#clock')).toHaveText('T+0s', { timeout: 30_000 });
  await expect(page.locator('.early-replay')).toHaveCount(0);
  await expect(page.locator('[data-testid=replay-frame-container] [data-active] iframe')).toHaveCount(1);
  await clickRow(page, 3).click();
  await expect(frame(page).locator('#clock')).toHaveText(s.clockAt(s.start + 3 * 60_000 + 50));
});

test('index.html preloads the app chunk, so it loads beside the entry rather than after it', async () => {
  const html = await (await fetch(`${server.url}/sessions/${s.sessionId}`)).text();
  const boot = /<link rel="modulepreload" crossorigin href="(\/assets\/boot-[\w-]+\.js)">/.exec(html)?.[1];
  expect(boot).toBeTruthy();
  const r = await fetch(server.url + boot);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toMatch(/javascript/);
  // it is the chunk the entry imports
  const entry = /<script type="module" crossorigin src="(\/assets\/index-[\w-]+\.js)">/.exec(html)![1];
  expect(await (await fetch(server.url + entry)).text()).toContain(boot!.slice('/assets/'.length));
});

test('a deep link (?t=) opens at that moment', async ({ page }) => {
  await login(page);
  const t = s.start + 25.5 * 60_000 + 1_000;
  await page.goto(`${server.url}/sessions/${s.sessionId}?t=${t}`);
  await expect(frame(page).locator('#clock')).toHaveText(s.clockAt(t));
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-label', 'Play');
});

test('a deep link into a session never opened asks for the whole index at once (the first-frame prefix cannot hold that moment)', async ({ page }) => {
  // Asking for the prefix first made that frame wait for the rest of the index, which waits for
  // a painted frame: seconds of nothing (the paint grace) before a sample match showed.
  const s2 = makeLongSession({ durationMs: 12 * 60_000 });
  await ingestLongSession(server.url, server.projectKey, s2);
  await login(page);
  const indexQueries: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.endsWith('/replay/index')) indexQueries.push(u.search);
  });
  const t = s2.start + 7 * 60_000 + 50;
  await page.goto(`${server.url}/sessions/${s2.sessionId}?t=${t}`);
  await expect(frame(page).locator('#clock')).toHaveText(s2.clockAt(t));
  expect(indexQueries).toEqual(['']);
});

test('from the sessions list: the replay code loads while the list is shown, the session on the row press, and the click opens from that', async ({ page }) => {
  const scripts: string[] = [];
  const indexAt: { stage: string; q: string }[] = [];
  let stage = 'list';
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/assets/') && u.pathname.endsWith('.js')) scripts.push(u.pathname);
    if (u.pathname === `/api/sessions/${s.sessionId}/replay/index`) indexAt.push({ stage, q: u.search });
  });
  await login(page);
  const link = page.locator(`[data-testid=session-row][data-session-id="${s.sessionId}"] .row-link`);
  await expect(link).toBeVisible();
  // rrweb's chunk (the Player) arrives while the analyst reads the list, before any replay is opened
  await expect.poll(() => scripts.some((p) => /\/Player-[\w-]+\.js$/.test(p))).toBe(true);
  expect(indexAt).toEqual([]);
  // the press starts the session's first frame; the click that follows uses it
  const box = (await link.boundingBox())!;
  await page.mouse.move(box.x + 5, box.y + box.height / 2);
  stage = 'press';
  await page.mouse.down();
  await expect.poll(() => indexAt.length).toBe(1);
  stage = 'click';
  await page.mouse.up();
  await expect(page).toHaveURL(new RegExp(`/sessions/${s.sessionId}$`));
  await expect(frame(page).locator('#clock')).toHaveText('T+0s');
  await expect(frame(page).locator('.card')).toHaveCount(s.cards);
  // one first-frame request, the pressed one (later index requests complete the session)
  expect(indexAt.filter((x) => x.q === '?first=true&head=true')).toEqual([{ stage: 'press', q: '?first=true&head=true' }]);
});
