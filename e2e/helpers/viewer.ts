// Logging in to the viewer through its login screen, as an analyst does.
import { expect, type Page } from '@playwright/test';

export async function loginViewer(page: Page, server: { url: string; adminToken: string }, path = '/'): Promise<void> {
  await page.goto(server.url + path);
  await page.getByTestId('login-token').fill(server.adminToken);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-token')).toHaveCount(0);
}
