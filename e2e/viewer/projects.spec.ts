// The Project page: write keys created and revoked in the UI (checked against ingest), and the
// server admin creating a project, seeing its secrets once and switching to it.
import { expect, test } from '@playwright/test';
import { batch, clickEvent, postBatch } from '../helpers/batches';
import { startServer, type RunningServer } from '../helpers/server';
import { loginViewer } from '../helpers/viewer';

let server: RunningServer;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  server = await startServer();
  expect((await postBatch(server.url, server.projectKey, batch([clickEvent('sess-default', 0)]))).ok).toBe(true);
});
test.afterAll(async () => server?.stop());

const send = (key: string) => postBatch(server.url, key, batch([clickEvent('sess-default', 1)]));

test('creates a write key and revokes the old one after confirming', async ({ page }) => {
  await loginViewer(page, server, '/project');
  await expect(page.getByTestId('project-title')).toHaveText('Default');
  const rows = page.getByTestId('key-row');
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId('embed-snippet')).toContainText(`data-key="${server.projectKey}"`);

  await page.getByTestId('new-key').click();
  await expect(rows).toHaveCount(2);
  const fresh = (await rows.nth(1).getAttribute('data-key'))!;
  expect(fresh).not.toBe(server.projectKey);
  // new embeds get the newest key; both keys are live during the rotation
  await expect(page.getByTestId('embed-snippet')).toContainText(`data-key="${fresh}"`);
  expect((await send(fresh)).status).toBe(200);
  expect((await send(server.projectKey)).status).toBe(200);

  const old = page.locator(`[data-testid="key-row"][data-key="${server.projectKey}"]`);
  await old.getByTestId('revoke-key').click();
  await expect(old.getByRole('group')).toContainText('stop recording');
  await old.getByTestId('confirm-revoke').click();
  await expect(old).toHaveAttribute('data-state', 'revoked');
  expect((await send(server.projectKey)).status).toBe(401);
  expect((await send(fresh)).status).toBe(200);

  // the last live key cannot go: the server's reason is shown
  const last = page.locator(`[data-testid="key-row"][data-key="${fresh}"]`);
  await last.getByTestId('revoke-key').click();
  await last.getByTestId('confirm-revoke').click();
  await expect(page.getByTestId('key-error')).toContainText('only live write key');
  await expect(last).toHaveAttribute('data-state', 'live');
});

test('the server admin creates a project, sees its secrets once and switches to it', async ({ page }) => {
  await loginViewer(page, server, '/');
  await expect(page.getByTestId('session-row')).toHaveCount(1);
  await page.getByRole('link', { name: 'Project', exact: true }).click();
  await expect(page.getByTestId('project-row')).toHaveCount(1);

  await page.getByTestId('project-name').fill('Blog');
  await page.getByTestId('new-project').click();
  const secret = page.getByTestId('secret-once');
  await expect(secret).toContainText('Project “Blog” created');
  const adminToken = (await page.getByTestId('secret-admin-token').textContent())!;
  const writeKey = (await page.getByTestId('secret-write-key').textContent())!;
  expect(adminToken).toMatch(/^hs_pa_/);
  await page.getByTestId('secret-done').click();
  await expect(secret).toHaveCount(0);
  await expect(page.getByTestId('project-row')).toHaveCount(2);

  const blog = page.locator('[data-testid="project-row"]', { hasText: 'Blog' });
  await blog.getByTestId('switch-project').click();
  // lands on the sessions list of the new project: empty
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('nav-project')).toHaveText('Blog');
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await expect(page.getByTestId('session-row')).toHaveCount(0);

  // its write key records into it (and the choice survives a reload)
  expect((await postBatch(server.url, writeKey, batch([clickEvent('sess-blog', 0)]))).status).toBe(200);
  await page.reload();
  await expect(page.getByTestId('session-row')).toHaveCount(1);
  await expect(page.getByTestId('session-row')).toHaveAttribute('data-session-id', 'sess-blog');

  // its page shows the key, and the switcher goes back to default
  await page.getByTestId('nav-project').click();
  await expect(page.getByTestId('project-title')).toHaveText('Blog');
  await expect(page.getByTestId('key-row')).toHaveAttribute('data-key', writeKey);
  await page.getByTestId('project-switcher').selectOption('default');
  await expect(page.getByTestId('nav-project')).toHaveText('Default');
  await expect(page.getByTestId('session-row')).toHaveAttribute('data-session-id', 'sess-default');

  // the project's own admin token signs in to that project only
  await page.getByTestId('logout').click();
  await page.getByTestId('login-token').fill(adminToken);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('nav-project')).toHaveText('Blog');
  await expect(page.getByTestId('session-row')).toHaveAttribute('data-session-id', 'sess-blog');
  await page.getByTestId('nav-project').click();
  await expect(page.getByTestId('projects-table')).toHaveCount(0);
});

test('renames the current project in place: title, navigation and the projects list follow', async ({ page }) => {
  await loginViewer(page, server, '/');
  await page.getByTestId('nav-project').click();
  await expect(page.getByTestId('project-title')).toHaveText('Default');
  await page.getByTestId('rename-project').click();
  await page.getByTestId('project-name-input').fill('   ');
  await page.getByTestId('save-project-name').click();
  await expect(page.getByTestId('rename-error')).toContainText('name');
  await page.getByTestId('project-name-input').fill('Main shop');
  await page.getByTestId('save-project-name').click();
  await expect(page.getByTestId('project-title')).toHaveText('Main shop');
  await expect(page.getByTestId('nav-project')).toHaveText('Main shop');
  await expect(page.locator('[data-testid="project-row"][data-project="default"]')).toContainText('Main shop');
  // kept by the server: a reload shows it, and the project's data is where it was
  await page.reload();
  await expect(page.getByTestId('project-title')).toHaveText('Main shop');
  await page.goto(server.url + '/');
  await expect(page.getByTestId('session-row').first()).toHaveAttribute('data-session-id', 'sess-default');
  // Escape leaves the name as it is
  await page.getByTestId('nav-project').click();
  await page.getByTestId('rename-project').click();
  await page.getByTestId('project-name-input').fill('Oops');
  await page.getByTestId('project-name-input').press('Escape');
  await expect(page.getByTestId('project-title')).toHaveText('Main shop');
});

test('the server admin deletes a project after typing its id; its data and key are gone', async ({ page }) => {
  const created = await server.api('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'Scratch' }) });
  const id: string = created.project.id;
  expect((await postBatch(server.url, created.writeKey.key, batch([clickEvent('sess-scratch', 0)]))).status).toBe(200);
  await loginViewer(page, server, '/project');
  const row = page.locator(`[data-testid="project-row"][data-project="${id}"]`);
  await expect(row).toBeVisible();
  // neither the built-in project nor the current one offers it
  await expect(page.locator('[data-testid="project-row"][data-project="default"]').getByTestId('delete-project')).toHaveCount(0);

  // Escape and Cancel keep it; the button waits for the exact id
  await row.getByTestId('delete-project').click();
  await row.getByTestId('delete-project-id').press('Escape');
  await expect(row.getByTestId('confirm-delete-project')).toHaveCount(0);
  await row.getByTestId('delete-project').click();
  await row.getByTestId('delete-project-id').fill('Scratch');
  await expect(row.getByTestId('delete-project-confirm')).toBeDisabled();
  await row.getByTestId('delete-project-id').fill(id);
  await row.getByTestId('delete-project-confirm').click();
  await expect(row).toHaveCount(0);
  await expect(page.getByTestId('delete-project-error')).toHaveCount(0);

  expect((await postBatch(server.url, created.writeKey.key, batch([clickEvent('sess-scratch', 1)]))).status).toBe(401);
  const res = await fetch(`${server.url}/api/sessions`, { headers: { authorization: `Bearer ${server.adminToken}`, 'x-hindsight-project': id } });
  expect(res.status).toBe(404);
  // the rest is untouched
  await page.getByRole('link', { name: 'Sessions', exact: true }).click();
  await expect(page.getByTestId('session-row').first()).toHaveAttribute('data-session-id', 'sess-default');
});
