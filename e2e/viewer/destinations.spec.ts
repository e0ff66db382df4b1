// Destinations in the viewer: an analyst adds a webhook, sees a delivery the receiver refused as
// a dead letter, retries it once the receiver is fixed, backfills a definition's history with a
// progress bar reaching 100 %, pauses and deletes the destination. The receiver (node:http)
// verifies every signature with the secret the page shows.
import { expect, test } from '@playwright/test';
import { startServer, type RunningServer } from '../helpers/server';
import { batch, clickEvent, eventId, postBatch } from '../helpers/batches';
import { loginViewer } from '../helpers/viewer';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';

let server: RunningServer;
let receiver: Receiver;

test.beforeAll(async () => {
  server = await startServer({ env: { HINDSIGHT_DESTINATION_RETRY_BASE_MS: '150', HINDSIGHT_DESTINATION_MAX_ATTEMPTS: '3' } });
  receiver = await startReceiver();
});

test.afterAll(async () => {
  await server?.stop();
  await receiver?.close();
});

const PAST = 25;

test('create a destination, see and retry a dead letter, backfill with progress to 100 %', async ({ page }) => {
  // history: clicks recorded before anyone asked for them
  const past = Array.from({ length: PAST }, (_, i) => clickEvent(`vs-${i % 3}`, i, { url: 'https://shop.example/cart' }));
  expect((await postBatch(server.url, server.projectKey, batch(past))).status).toBe(200);
  const buys = await server.api('/api/definitions', { method: 'POST', body: JSON.stringify({ name: 'Cart buy clicked', rules: [{ event: 'click', selector: 'button.buy', url: { op: 'contains', value: '/cart' } }] }) });
  await server.api('/api/definitions', { method: 'POST', body: JSON.stringify({ name: 'Newsletter', rules: [{ event: 'custom', name: 'Newsletter' }] }) });

  await loginViewer(page, server, '/destinations');
  await expect(page.getByRole('link', { name: 'Destinations' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('empty-state')).toContainText('No destinations yet');

  await page.getByTestId('new-destination').click();
  await page.getByTestId('destination-name').fill('CRM hook');
  await page.getByTestId('destination-url').fill(receiver.url);
  await page.getByTestId('definitions-all').check();
  await page.getByTestId('create-destination').click();
  const card = page.getByTestId('destination-card');
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('All definitions, including future ones');
  receiver.secret = (await card.getByTestId('destination-secret').textContent())!.trim();
  expect(receiver.secret).toMatch(/^whsec_/);

  // the receiver refuses: the live match becomes a dead letter
  receiver.respond = () => 400;
  const live = { id: eventId(), type: 'custom', name: 'Newsletter', ts: Date.now() - 100, sessionId: 'vs-live', anonymousId: 'anon-live', url: 'https://shop.example/' } as const;
  expect((await postBatch(server.url, server.projectKey, batch([live]))).status).toBe(200);
  await expect(card.getByTestId('count-dead')).toHaveText('1', { timeout: 20_000 });
  const row = card.getByTestId('dead-letter-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Newsletter');
  await expect(row).toContainText('HTTP 400');

  // fixed: retry it from the list
  receiver.respond = () => 200;
  await card.getByTestId('retry-all-dead').click();
  await expect(card.getByTestId('count-delivered')).toHaveText('1', { timeout: 20_000 });
  await expect(card.getByTestId('count-dead')).toHaveText('0');
  await expect(card.getByTestId('dead-letters')).toHaveCount(0);
  expect(receiver.delivered().map((r) => r.body.event.id)).toEqual([live.id]);

  // backfill the clicks recorded before the destination existed
  await card.getByTestId('backfill-definition').selectOption(buys.id);
  await card.getByTestId('start-backfill').click();
  const progress = card.getByTestId('backfill-progress');
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(card.getByTestId('backfill-percent')).toHaveText('100 %');
  await expect(card.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(progress).toContainText(`${PAST} sent`);
  await expect(card.getByTestId('count-delivered')).toHaveText(String(PAST + 1), { timeout: 10_000 });
  const backfilled = receiver.delivered().filter((r) => r.body.definition.id === buys.id);
  expect(backfilled.map((r) => r.body.event.id).sort()).toEqual(past.map((e) => e.id).sort());
  expect(receiver.requests.every((r) => r.signatureValid)).toBe(true);

  // pause, then delete with confirmation
  await card.getByTestId('toggle-destination').click();
  await expect(card).toContainText('paused');
  await card.getByTestId('delete-destination').click();
  await card.getByTestId('confirm-delete-destination').click();
  await expect(page.getByTestId('destination-card')).toHaveCount(0);
  await expect(page.getByTestId('empty-state')).toContainText('No destinations yet');
});
