// Several projects on one server: data sent with a project's write key is visible through that
// project's admin credentials only, in every read API; write keys rotate (several live at once)
// and never read; admin tokens rotate and take their cookies with them.
import { expect, test } from '@playwright/test';
import { batch, clickEvent, eventId, postBatch } from '../helpers/batches';
import { startServer, type RunningServer } from '../helpers/server';

let s: RunningServer;

interface Tenant {
  name: 'alpha' | 'bravo';
  id: string;
  adminToken: string;
  writeKey: string;
  keyId: string;
  defId: string;
  chunkId: string;
  clicks: number;
}
const t: Record<'alpha' | 'bravo', Tenant> = {} as never;

/** an /api call with a given bearer token (and optional X-Hindsight-Project) */
async function call(token: string, path: string, init: { method?: string; body?: unknown; project?: string; cookie?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.project) headers['x-hindsight-project'] = init.project;
  if (init.cookie) headers.cookie = init.cookie;
  const r = await fetch(s.url + path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await r.text();
  return { status: r.status, text, json: () => JSON.parse(text) };
}

const marker = (x: Tenant) => `${x.name}.example`;
const rules = (x: Tenant) => [{ event: 'click', selector: 'button.buy', url: { op: 'contains', value: marker(x) } }];

async function seed(x: Tenant) {
  const sessionId = `sess-${x.name}`;
  const url = `https://${marker(x)}/cart`;
  const events = Array.from({ length: x.clicks }, (_, i) => clickEvent(sessionId, i, { url, userId: `user-${x.name}` }));
  const ts = Date.now() - 5000;
  const replay = [{ id: x.chunkId, sessionId, rec: `rec-${x.name}`, seq: 0, ts, events: [{ type: 4, data: { href: url, width: 800, height: 600 }, timestamp: ts }] }];
  expect((await postBatch(s.url, x.writeKey, { ...batch(events), replay })).status).toBe(200);
  const def = await call(x.adminToken, '/api/definitions', { method: 'POST', body: { name: `${x.name} buy`, rules: rules(x) } });
  expect(def.status).toBe(201);
  x.defId = def.json().id;
}

test.beforeAll(async () => {
  s = await startServer();
  for (const [name, clicks] of [['alpha', 3], ['bravo', 5]] as const) {
    const r = await call(s.adminToken, '/api/projects', { method: 'POST', body: { name } });
    expect(r.status).toBe(201);
    const { project, adminToken, writeKey } = r.json();
    t[name] = { name, id: project.id, adminToken, writeKey: writeKey.key, keyId: writeKey.id, defId: '', chunkId: eventId(), clicks };
    await seed(t[name]);
  }
});
test.afterAll(async () => s?.stop());

test('creating projects: server admin only, validated, listed', async () => {
  expect(t.alpha.id).toMatch(/^alpha-[0-9a-f]{6}$/);
  const bad = await call(s.adminToken, '/api/projects', { method: 'POST', body: { name: '  ' } });
  expect(bad.status).toBe(400);
  expect(bad.json().error.code).toBe('invalid_body');
  const asProject = await call(t.alpha.adminToken, '/api/projects', { method: 'POST', body: { name: 'sneaky' } });
  expect(asProject.status).toBe(403);
  const all = (await call(s.adminToken, '/api/projects')).json().projects.map((p: { id: string }) => p.id);
  expect(all).toEqual(['default', t.alpha.id, t.bravo.id]);
  expect((await call(t.alpha.adminToken, '/api/projects')).json().projects.map((p: { id: string }) => p.id)).toEqual([t.alpha.id]);
  expect((await call(t.bravo.adminToken, '/api/me')).json()).toEqual({ ok: true, project: t.bravo.id, projectName: 'bravo', serverAdmin: false });
  expect((await call(s.adminToken, '/api/me')).json()).toEqual({ ok: true, project: 'default', projectName: 'Default', serverAdmin: true });
});

test('renaming projects: the id, keys and data stay; a project admin renames only its own', async () => {
  const created = (await call(s.adminToken, '/api/projects', { method: 'POST', body: { name: 'charlie' } })).json();
  const id: string = created.project.id;
  const renamed = await call(s.adminToken, `/api/projects/${id}`, { method: 'PUT', body: { name: '  Charlie shop ' } });
  expect(renamed.status).toBe(200);
  expect(renamed.json()).toEqual({ project: { id, name: 'Charlie shop', createdAt: created.project.createdAt } });
  expect((await call(created.adminToken, '/api/me')).json().projectName).toBe('Charlie shop');
  expect((await call(s.adminToken, '/api/projects')).json().projects.find((p: { id: string }) => p.id === id).name).toBe('Charlie shop');
  // its own admin may rename it, not another project; the write key still ingests into it
  expect((await call(created.adminToken, `/api/projects/${id}`, { method: 'PUT', body: { name: 'Charlie' } })).status).toBe(200);
  expect((await call(created.adminToken, `/api/projects/${t.alpha.id}`, { method: 'PUT', body: { name: 'taken over' } })).status).toBe(404);
  expect((await call(t.alpha.adminToken, '/api/me')).json().projectName).toBe('alpha');
  expect((await postBatch(s.url, created.writeKey.key, batch([clickEvent('sess-charlie', 0)]))).status).toBe(200);
  // bad input changes nothing
  const bad = await call(s.adminToken, `/api/projects/${id}`, { method: 'PUT', body: { name: '' } });
  expect(bad.status).toBe(400);
  expect((await call(s.adminToken, `/api/projects/${id}`, { method: 'PUT', body: { name: 'x', extra: 1 } })).status).toBe(400);
  expect((await call(s.adminToken, '/api/projects/no-such-1a2b3c', { method: 'PUT', body: { name: 'ghost' } })).status).toBe(404);
  expect((await call(created.adminToken, '/api/me')).json().projectName).toBe('Charlie');
  // the built-in project too
  expect((await call(s.adminToken, '/api/projects/default', { method: 'PUT', body: { name: 'Main site' } })).status).toBe(200);
  expect((await call(s.adminToken, '/api/me')).json().projectName).toBe('Main site');
  expect((await call(s.adminToken, '/api/projects/default', { method: 'PUT', body: { name: 'Default' } })).status).toBe(200);
});

test('deleting a project: server admin only, with its id typed again; its data, keys and token go', async () => {
  const created = (await call(s.adminToken, '/api/projects', { method: 'POST', body: { name: 'delta' } })).json();
  const id: string = created.project.id;
  const d: Tenant = { name: 'delta' as never, id, adminToken: created.adminToken, writeKey: created.writeKey.key, keyId: created.writeKey.id, defId: '', chunkId: eventId(), clicks: 4 };
  await seed(d);
  expect((await call(d.adminToken, '/api/settings', { method: 'PUT', body: { namingConvention: 'snake_case' } })).status).toBe(200);
  const login = await fetch(s.url + '/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: d.adminToken }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0];
  const sessionsOf = async () => (await call(s.adminToken, '/api/sessions', { project: id })).json().sessions.length;
  expect(await sessionsOf()).toBe(1);

  // refused, and nothing changes
  const del = (token: string, target: string, body: unknown) => call(token, `/api/projects/${target}`, { method: 'DELETE', body });
  expect((await del(d.adminToken, id, { confirm: id })).json().error.code).toBe('server_admin_only');
  const mismatch = await del(s.adminToken, id, { confirm: 'delta' });
  expect([mismatch.status, mismatch.json().error.code]).toEqual([400, 'confirm_mismatch']);
  expect((await del(s.adminToken, id, {})).status).toBe(400);
  const dflt = await del(s.adminToken, 'default', { confirm: 'default' });
  expect([dflt.status, dflt.json().error.code]).toEqual([409, 'default_project']);
  expect((await del(s.adminToken, 'no-such-1a2b3c', { confirm: 'no-such-1a2b3c' })).status).toBe(404);
  expect(await sessionsOf()).toBe(1);

  const ok = await del(s.adminToken, id, { confirm: id });
  expect(ok.status).toBe(200);
  expect(ok.json()).toEqual({ deleted: id, events: 4, chunks: 1 });
  // gone from the list, unreachable by any credential it had, and its key ingests nothing
  expect((await call(s.adminToken, '/api/projects')).json().projects.map((p: { id: string }) => p.id)).not.toContain(id);
  expect((await call(s.adminToken, '/api/sessions', { project: id })).json().error.code).toBe('unknown_project');
  expect((await call(d.adminToken, '/api/me')).status).toBe(401);
  expect((await call('', '/api/me', { cookie })).status).not.toBe(200);
  const late = await postBatch(s.url, d.writeKey, batch([clickEvent('sess-late', 0)]));
  expect(late.status).toBe(401);
  // deleting again removes anything left behind (here: nothing), and still wants the id
  expect((await del(s.adminToken, id, { confirm: 'x' })).status).toBe(400);
  expect((await del(s.adminToken, id, { confirm: id })).json()).toEqual({ deleted: id, events: 0, chunks: 0 });
  // the other projects keep everything
  expect((await call(t.alpha.adminToken, '/api/sessions')).json().sessions.map((x: { id: string }) => x.id)).toEqual(['sess-alpha']);
  expect((await call(t.bravo.adminToken, `/api/definitions/${t.bravo.defId}`)).status).toBe(200);
});

// every read API, as the owner (sees its marker) and as the other project (sees nothing of it)
const READS: [string, (x: Tenant) => string][] = [
  ['sessions list', () => '/api/sessions'],
  ['session', (x) => `/api/sessions/sess-${x.name}`],
  ['session events', (x) => `/api/sessions/sess-${x.name}/events`],
  ['replay', (x) => `/api/sessions/sess-${x.name}/replay`],
  ['replay index', (x) => `/api/sessions/sess-${x.name}/replay/index`],
  ['replay chunks', (x) => `/api/sessions/sess-${x.name}/replay/chunks?ids=${x.chunkId}`],
  ['session matches', (x) => `/api/sessions/sess-${x.name}/matches`],
  ['user', (x) => `/api/users/user-${x.name}`],
  ['definitions list', () => '/api/definitions'],
  ['definition', (x) => `/api/definitions/${x.defId}`],
  ['definition versions', (x) => `/api/definitions/${x.defId}/versions`],
  ['definition events', (x) => `/api/definitions/${x.defId}/events`],
  ['definitions stats', () => '/api/definitions/stats'],
  ['tracking plan export', () => '/api/definitions/export?format=csv'],
];

for (const [what, path] of READS) {
  test(`isolation: ${what}`, async () => {
    for (const [owner, other] of [[t.alpha, t.bravo], [t.bravo, t.alpha]]) {
      const own = await call(owner.adminToken, path(owner));
      expect(own.status, `${owner.name} reads its own ${what}`).toBe(200);
      expect(own.text).toMatch(new RegExp(`${owner.name}|${owner.defId}`));
      const foreign = await call(other.adminToken, path(owner));
      expect([200, 404], `${other.name} → ${foreign.status}`).toContain(foreign.status);
      expect(foreign.text).not.toContain(owner.name);
      expect(foreign.text).not.toContain(owner.defId);
    }
  });
}

test('isolation: previews, trends, funnels and definition writes count only the own project', async () => {
  const from = Date.now() - 3_600_000;
  for (const [x, y] of [[t.alpha, t.bravo], [t.bravo, t.alpha]]) {
    const any = [{ event: 'click', selector: 'button.buy' }];
    const preview = (await call(x.adminToken, '/api/definitions/preview', { method: 'POST', body: { rules: any } })).json();
    expect(preview).toMatchObject({ events: x.clicks, sessions: 1, users: 1 });
    const trend = (await call(x.adminToken, '/api/insights/trend', { method: 'POST', body: { rules: any, interval: 'day', from, to: Date.now() } })).json();
    expect(trend.series.reduce((n: number, p: { events: number }) => n + p.events, 0)).toBe(x.clicks);
    const funnel = (await call(x.adminToken, '/api/insights/funnel', { method: 'POST', body: { steps: [{ rules: any }], windowMs: 60_000, from, to: Date.now() } })).json();
    expect(funnel.steps[0].users).toBe(1);
    // the other project's definition does not exist here
    expect((await call(x.adminToken, '/api/insights/trend', { method: 'POST', body: { definitionId: y.defId, interval: 'day', from, to: Date.now() } })).status).toBe(404);
    expect((await call(x.adminToken, `/api/definitions/${y.defId}`, { method: 'PUT', body: { name: 'hijack', rules: any } })).status).toBe(404);
    expect((await call(x.adminToken, `/api/definitions/${y.defId}`, { method: 'DELETE' })).status).toBe(404);
  }
  expect((await call(t.bravo.adminToken, `/api/definitions/${t.bravo.defId}`)).json().name).toBe('bravo buy');
  // the default project (HINDSIGHT_PROJECT_KEY) has none of it
  expect((await s.api('/api/sessions')).sessions).toEqual([]);
  expect((await s.api('/api/definitions')).definitions).toEqual([]);
});

test('isolation: settings', async () => {
  const put = await call(t.bravo.adminToken, '/api/settings', { method: 'PUT', body: { namingConvention: 'snake_case' } });
  expect(put.json()).toEqual({ namingConvention: 'snake_case' });
  expect((await call(t.alpha.adminToken, '/api/settings')).json()).toEqual({ namingConvention: 'none' });
  expect((await s.api('/api/settings')).namingConvention).toBe('none');
  await call(t.bravo.adminToken, '/api/settings', { method: 'PUT', body: { namingConvention: 'none' } });
});

test('a write key never reads: not as bearer, cookie or X-Hindsight-Key', async () => {
  for (const key of [t.alpha.writeKey, s.projectKey]) {
    expect((await call(key, '/api/sessions')).status).toBe(401);
    expect((await call('', '/api/sessions', { cookie: `hs_session=${key}` })).status).toBe(401);
    const r = await fetch(`${s.url}/api/sessions`, { headers: { 'x-hindsight-key': key } });
    expect(r.status).toBe(401);
    expect((await fetch(`${s.url}/api/login`, { method: 'POST', body: JSON.stringify({ token: key }) })).status).toBe(401);
  }
});

test('the server admin acts on any project by header; a project admin cannot escape its own', async () => {
  const asServer = await call(s.adminToken, '/api/sessions', { project: t.bravo.id });
  expect(asServer.json().sessions.map((x: { id: string }) => x.id)).toEqual(['sess-bravo']);
  const unknown = await call(s.adminToken, '/api/sessions', { project: 'nope' });
  expect(unknown.status).toBe(404);
  expect(unknown.json().error.code).toBe('unknown_project');
  const escape = await call(t.alpha.adminToken, '/api/sessions', { project: t.bravo.id });
  expect(escape.status).toBe(403);
  expect(escape.json().error.code).toBe('forbidden_project');
  expect((await call(t.alpha.adminToken, '/api/sessions', { project: 'default' })).status).toBe(403);
  expect((await call(t.alpha.adminToken, '/api/sessions', { project: t.alpha.id })).status).toBe(200);
  // a plain link (tracking-plan download) names the project in the query instead
  const link = await call(s.adminToken, `/api/definitions/export?format=csv&project=${t.bravo.id}`);
  expect(link.text).toContain('bravo buy');
});

test('write key rotation: two keys live at once, the revoked one is refused, the last one cannot go', async () => {
  const x = t.bravo;
  const next = await call(x.adminToken, '/api/keys', { method: 'POST' });
  expect(next.status).toBe(201);
  const k2 = next.json();
  expect(k2).toMatchObject({ projectId: x.id, revokedAt: null, source: 'api' });
  const keys = (await call(x.adminToken, '/api/keys')).json().keys;
  expect(keys.filter((k: { revokedAt: null }) => k.revokedAt === null).map((k: { key: string }) => k.key).sort()).toEqual([x.writeKey, k2.key].sort());
  const send = (key: string) => postBatch(s.url, key, batch([clickEvent('sess-rotation', 0, { url: 'https://bravo.example/r' })]));
  expect((await send(x.writeKey)).status).toBe(200);
  expect((await send(k2.key)).status).toBe(200);
  // another project cannot revoke it
  expect((await call(t.alpha.adminToken, `/api/keys/${x.keyId}`, { method: 'DELETE' })).status).toBe(404);
  const revoked = await call(x.adminToken, `/api/keys/${x.keyId}`, { method: 'DELETE' });
  expect(revoked.json().revokedAt).toEqual(expect.any(Number));
  const old = await send(x.writeKey);
  expect(old.status).toBe(401);
  expect((await old.json()).error.code).toBe('invalid_key');
  expect((await send(k2.key)).status).toBe(200);
  const last = await call(x.adminToken, `/api/keys/${k2.id}`, { method: 'DELETE' });
  expect(last.status).toBe(409);
  expect(last.json().error.message).toMatch(/only live write key/);
  x.writeKey = k2.key;
  x.keyId = k2.id;
});

test('admin token rotation: the old token and its cookies stop working', async () => {
  const x = t.alpha;
  const login = await fetch(`${s.url}/api/login`, { method: 'POST', body: JSON.stringify({ token: x.adminToken }) });
  expect(login.status).toBe(200);
  const cookie = login.headers.get('set-cookie')!.split(';')[0];
  expect((await call('', '/api/me', { cookie })).json().project).toBe(x.id);
  const rotated = await call(x.adminToken, '/api/admin-token/rotate', { method: 'POST' });
  expect(rotated.status).toBe(200);
  const { adminToken } = rotated.json();
  expect((await call(x.adminToken, '/api/sessions')).status).toBe(401);
  expect((await call('', '/api/sessions', { cookie })).status).toBe(401);
  expect((await call(adminToken, '/api/sessions')).json().sessions.map((y: { id: string }) => y.id)).toEqual(['sess-alpha']);
  x.adminToken = adminToken;
  // default's admin is HINDSIGHT_ADMIN_TOKEN
  const dflt = await call(s.adminToken, '/api/admin-token/rotate', { method: 'POST' });
  expect(dflt.status).toBe(409);
  expect(dflt.json().error.message).toMatch(/HINDSIGHT_ADMIN_TOKEN/);
  // the server admin rotates a project's token with the header
  const bySrv = await call(s.adminToken, '/api/admin-token/rotate', { method: 'POST', project: x.id });
  expect((await call(x.adminToken, '/api/me')).status).toBe(401);
  x.adminToken = bySrv.json().adminToken;
  expect((await call(x.adminToken, '/api/me')).status).toBe(200);
});

test('Segment calls with a project key land in that project', async () => {
  const basic = `Basic ${Buffer.from(`${t.bravo.writeKey}:`).toString('base64')}`;
  const r = await fetch(`${s.url}/segment/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basic },
    body: JSON.stringify({ batch: [{ type: 'track', messageId: 'seg-bravo-1', userId: 'seg-user-bravo', event: 'Bravo Paid' }] }),
  });
  expect(r.status).toBe(200);
  const preview = (rulesOf: unknown) => ({ method: 'POST', body: { rules: rulesOf } });
  const paid = [{ event: 'custom', name: 'Bravo Paid' }];
  expect((await call(t.bravo.adminToken, '/api/definitions/preview', preview(paid))).json().events).toBe(1);
  expect((await call(t.alpha.adminToken, '/api/definitions/preview', preview(paid))).json().events).toBe(0);
  expect((await s.api('/api/definitions/preview', { method: 'POST', body: JSON.stringify({ rules: paid }) })).events).toBe(0);
  const revoked = await fetch(`${s.url}/segment/v1/track`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${s.projectKey}x:`).toString('base64')}` },
    body: JSON.stringify({ userId: 'u', event: 'x' }),
  });
  expect(revoked.status).toBe(401);
});

test('HINDSIGHT_PROJECT_KEY keys are default’s write keys and can be rotated away through the API', async () => {
  expect((await postBatch(s.url, s.projectKey, batch([clickEvent('sess-default', 0)]))).status).toBe(200);
  expect((await s.api('/api/sessions')).sessions.map((x: { id: string }) => x.id)).toEqual(['sess-default']);
  const keys = (await s.api('/api/keys')).keys;
  expect(keys).toEqual([expect.objectContaining({ key: s.projectKey, source: 'env', projectId: 'default', revokedAt: null })]);
  const fresh = await s.api('/api/keys', { method: 'POST' });
  await s.api(`/api/keys/${keys[0].id}`, { method: 'DELETE' });
  expect((await postBatch(s.url, s.projectKey, batch([clickEvent('sess-default', 1)]))).status).toBe(401);
  expect((await postBatch(s.url, fresh.key, batch([clickEvent('sess-default', 2)]))).status).toBe(200);
});
