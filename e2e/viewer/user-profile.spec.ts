// The user page: identify merges anonymous ids (sessions before identify included), traits merge
// in time order, every event is listed and opens its replay at that moment.
import { expect, test, type Page } from '@playwright/test';
import type { RawEvent } from '@hindsight/schema';
import { batch, eventId, postBatch } from '../helpers/batches';
import { startServer, type RunningServer } from '../helpers/server';
import { loginViewer } from '../helpers/viewer';

let server: RunningServer;
const T = Date.now() - 2 * 3600_000;
const USER = 'ana@example.com';

function e(sessionId: string, anon: string, type: RawEvent['type'], ts: number, extra: Partial<RawEvent> = {}): RawEvent {
  return { id: eventId(), type, ts, sessionId, anonymousId: anon, url: 'https://shop.example/', ...extra };
}

test.beforeAll(async () => {
  server = await startServer();
  const events: RawEvent[] = [
    // laptop: an anonymous visit first, then sign-in in a later session
    e('early', 'laptop', 'pageview', T),
    e('early', 'laptop', 'custom', T + 1000, { name: 'Viewed pricing' }),
    e('signin', 'laptop', 'pageview', T + 60_000),
    e('signin', 'laptop', 'identify', T + 61_000, { userId: USER, props: { name: 'Ana', plan: 'pro' } }),
    // phone: already signed in; a later identify upgrades the plan
    e('phone', 'phone', 'pageview', T + 120_000, { userId: USER, url: 'https://shop.example/m' }),
    e('phone', 'phone', 'identify', T + 121_000, { userId: USER, props: { plan: 'team' } }),
    // somebody else
    e('other', 'stranger', 'pageview', T + 5000),
  ];
  expect((await postBatch(server.url, server.projectKey, batch(events))).ok).toBe(true);
});
test.afterAll(async () => server?.stop());

const login = (page: Page, path = '/') => loginViewer(page, server, path);

test('from the sessions list to the profile: merged sessions, traits, events → replay', async ({ page }) => {
  await login(page);
  await expect(page.getByTestId('session-row')).toHaveCount(4);
  await page.getByTestId('user-link').first().click();
  await expect(page).toHaveURL(new RegExp(`/users/${encodeURIComponent(USER)}$`));
  await expect(page.getByTestId('user-id')).toHaveText(USER);
  // the anonymous 'early' session counts: identify linked the laptop
  const sessions = page.getByTestId('session-row');
  await expect(sessions).toHaveCount(3);
  // no "profile" link on the profile itself
  await expect(page.getByTestId('user-link')).toHaveCount(0);
  expect(await sessions.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-session-id')))).toEqual(['phone', 'signin', 'early']);
  // later identify calls win per trait
  await expect(page.getByTestId('user-traits')).toContainText('plan');
  await expect(page.getByTestId('user-traits')).toContainText('team');
  await expect(page.getByTestId('user-traits')).not.toContainText('pro');
  await expect(page.getByTestId('user-traits')).toContainText('Ana');
  await expect(page.getByTestId('user-traits')).toContainText('laptop');
  await expect(page.getByTestId('user-traits')).toContainText('phone');
  const events = page.getByTestId('user-event');
  await expect(events).toHaveCount(6);
  await expect(events.last()).toContainText('pageview');
  await events.filter({ hasText: 'Viewed pricing' }).getByRole('link', { name: 'Replay' }).click();
  await expect(page).toHaveURL(/\/sessions\/early\?t=\d+/);
});

test('an unknown user is a 404 with a clear message', async ({ page }) => {
  const r = await fetch(`${server.url}/api/users/nobody`, { headers: { authorization: `Bearer ${server.adminToken}` } });
  expect(r.status).toBe(404);
  expect((await r.json()).error.code).toBe('not_found');
  await login(page, '/users/nobody');
  await expect(page.getByText('no sessions for this user')).toBeVisible();
});
