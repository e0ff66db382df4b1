// Logging in to the viewer through its login screen, as an analyst does; layout checks.
import { expect, type Page } from '@playwright/test';

export async function loginViewer(page: Page, server: { url: string; adminToken: string }, path = '/'): Promise<void> {
  await page.goto(server.url + path);
  await page.getByTestId('login-token').fill(server.adminToken);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-token')).toHaveCount(0);
}

/**
 * Tables, forms and cards of the page whose right edge lies past their parent's (by test id or
 * tag): at 1280×800 nothing may be pushed out of its column or clipped by it.
 */
export async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('main table, main form, main .card, main td > *'))
      .filter((el) => el.getBoundingClientRect().right > el.parentElement!.getBoundingClientRect().right + 1)
      .map((el) => (el as HTMLElement).dataset.testid ?? el.tagName.toLowerCase()),
  );
}
