// Define an event over all recorded history and read its daily trend, from Node.
// Run: HINDSIGHT_URL=http://localhost:8787 HINDSIGHT_ADMIN_TOKEN=… npx tsx packages/client/examples/define-and-trend.ts
import { HindsightClient, Tracker } from '@hindsight/client';

const baseUrl = process.env.HINDSIGHT_URL ?? 'http://localhost:8787';
const hs = new HindsightClient({ baseUrl, token: process.env.HINDSIGHT_ADMIN_TOKEN });

// backend-only events (the browser never sees a payment succeed)
if (process.env.HINDSIGHT_PROJECT_KEY) {
  const tracker = new Tracker({ endpoint: baseUrl, writeKey: process.env.HINDSIGHT_PROJECT_KEY });
  tracker.track('Payment Succeeded', { amount: 42, currency: 'EUR' }, { userId: 'ana@example.com' });
  await tracker.close(); // resolves once the server acknowledged it
}

const existing = (await hs.listDefinitions()).find((d) => d.name === 'Add to cart');
const def =
  existing ??
  (await hs.createDefinition({
    name: 'Add to cart',
    category: 'engagement',
    rules: [{ event: 'click', selector: '[data-testid=add-to-cart]' }],
  }));
const to = Date.now();
const { series } = await hs.trend({ definitionId: def.id, interval: 'day', from: to - 7 * 86_400_000, to, tzOffsetMinutes: -new Date().getTimezoneOffset() });
for (const p of series) console.log(new Date(Number(p.t)).toISOString().slice(0, 10), `${p.events} events`, `${p.users} users`);
