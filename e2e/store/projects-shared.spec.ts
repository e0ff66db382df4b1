// Projects on a shared ClickHouse: the registry lives in the store, so a project, key or token
// created or revoked through one server holds on the other within the registry's cache time
// (REGISTRY_TTL_MS, 5 s), and cookies made by one server work on the other.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { twoServersOnClickHouse, type SharedClickHouse } from '../helpers/shared-clickhouse';
import { batch, clickEvent, postBatch } from '../helpers/batches';
import { ROOT, type RunningServer } from '../helpers/server';

test.skip(!existsSync(join(ROOT, 'apps/server/dist/main.js')), 'server not built (node apps/server/build.mjs)');

let shared: SharedClickHouse;
let a: RunningServer;
let b: RunningServer;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  shared = await twoServersOnClickHouse();
  ({ a, b } = shared);
});
test.afterAll(async () => shared?.stop());

const status = async (s: RunningServer, path: string, headers: Record<string, string>) => (await fetch(s.url + path, { headers })).status;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const send = (s: RunningServer, key: string, session: string) => postBatch(s.url, key, batch([clickEvent(session, 0)]));
/** within the registry's cache time plus slack */
const soon = { timeout: 8000, intervals: [250] };

test('a project made on one server works on the other: tokens, keys, cookies, revocation, rotation', async () => {
  const created = await a.api('/api/projects', { method: 'POST', body: JSON.stringify({ name: 'shared' }) });
  const { project, adminToken, writeKey } = created;
  // the server admin can name it on B at once (an unknown project makes B re-read the registry)
  expect(await status(b, '/api/sessions', { ...bearer(b.adminToken), 'x-hindsight-project': project.id })).toBe(200);
  await expect.poll(() => status(b, '/api/me', bearer(adminToken)), soon).toBe(200);
  await expect.poll(async () => (await send(b, writeKey.key, 'sess-shared-b')).status, soon).toBe(200);
  const seen = await b.api('/api/sessions', { headers: { authorization: `Bearer ${adminToken}` } });
  expect(seen.sessions.map((x: { id: string }) => x.id)).toEqual(['sess-shared-b']);

  const login = await fetch(`${a.url}/api/login`, { method: 'POST', body: JSON.stringify({ token: adminToken }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0];
  expect(await status(b, '/api/sessions', { cookie })).toBe(200);

  // rotate the key on A: B refuses the old one within the cache time
  const next = await a.api('/api/keys', { method: 'POST', headers: { 'x-hindsight-project': project.id } });
  await a.api(`/api/keys/${writeKey.id}`, { method: 'DELETE', headers: { 'x-hindsight-project': project.id } });
  expect((await send(a, writeKey.key, 'sess-shared-a')).status).toBe(401);
  await expect.poll(async () => (await send(b, writeKey.key, 'sess-shared-b')).status, soon).toBe(401);
  await expect.poll(async () => (await send(b, next.key, 'sess-shared-b')).status, soon).toBe(200);

  // rotate the admin token on A: the old token and the cookie die on B too
  const rotated = await a.api('/api/admin-token/rotate', { method: 'POST', headers: { 'x-hindsight-project': project.id } });
  await expect.poll(() => status(b, '/api/me', bearer(adminToken)), soon).toBe(401);
  expect(await status(b, '/api/me', { cookie })).toBe(401);
  expect(await status(b, '/api/me', bearer(rotated.adminToken))).toBe(200);
});
