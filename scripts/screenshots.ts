// Refreshes the README screenshots from the real product: builds must exist (`npm run build`).
// Run: npx tsx scripts/screenshots.ts   (the same walk runs in CI: e2e/viewer/screens.spec.ts)
import { chromium } from '@playwright/test';
import { chromiumLaunch } from '../playwright.config.js';
import { startServer } from '../e2e/helpers/server.js';
import { defineEvents, photographViewer, recordShopper } from '../e2e/helpers/tour.js';

const server = await startServer();
const browser = await chromium.launch(chromiumLaunch);
try {
  const sid = await recordShopper(browser, server);
  await defineEvents(server);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const files = await photographViewer(page, server, sid, 'docs/img');
  console.log(`screenshots written: ${files.join(', ')}`);
} finally {
  await browser.close();
  await server.stop();
}
