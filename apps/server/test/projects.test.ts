// The project registry (kept in the store's settings rows, cached REGISTRY_TTL_MS) and who may act
// on which project (http/access.ts).
import { describe, expect, it } from 'vitest';
import type { Store } from '@hindsight/store';
import { envKeyId, ProjectRegistry, REGISTRY_NAMESPACE, REGISTRY_TTL_MS } from '../src/projects/registry.js';
import { resolveAccess, sessionCookieFor } from '../src/http/access.js';
import { COOKIE_NAME, SERVER_SCOPE } from '../src/http/auth.js';

/** just the settings part of a Store, shared by "servers", counting reads */
function settingsStore() {
  const rows = new Map<string, Record<string, string>>();
  const s = {
    reads: 0,
    async getSettings(p: string) {
      s.reads++;
      return { ...(rows.get(p) ?? {}) };
    },
    async putSettings(p: string, v: Record<string, string>) {
      rows.set(p, { ...(rows.get(p) ?? {}), ...v });
    },
  };
  return s;
}

function setup() {
  const store = settingsStore();
  let now = 1_000_000;
  const clock = { advance: (ms: number) => (now += ms) };
  const registry = new ProjectRegistry(store as unknown as Store, ['env-key'], () => now);
  return { store, clock, registry, other: new ProjectRegistry(store as unknown as Store, ['env-key'], () => now) };
}

describe('project registry', () => {
  it('env keys are live write keys of default until revoked; a revoked key stays listed', async () => {
    const { registry } = setup();
    expect(await registry.projectForKey('env-key')).toBe('default');
    expect(await registry.projectForKey('nope')).toBeUndefined();
    expect(await registry.revokeKey('default', envKeyId('env-key'))).toBe('last');
    const k = await registry.createKey('default');
    const revoked = await registry.revokeKey('default', envKeyId('env-key'));
    expect(revoked).toMatchObject({ source: 'env', revokedAt: expect.any(Number) });
    expect(await registry.projectForKey('env-key')).toBeUndefined();
    expect(await registry.projectForKey(k.key)).toBe('default');
    expect((await registry.snapshot()).keysOf('default').map((x) => x.id)).toEqual([envKeyId('env-key'), k.id]);
  });

  it('a new project gets its own key and an admin token stored only as a hash', async () => {
    const { registry, store } = setup();
    const created = await registry.createProject('My Shop!');
    expect(created.project.id).toMatch(/^my-shop-[0-9a-f]{6}$/);
    expect(await registry.projectForKey(created.writeKey.key)).toBe(created.project.id);
    const snap = await registry.snapshot();
    expect(snap.projectForAdminToken(created.adminToken)).toBe(created.project.id);
    expect(JSON.stringify(await store.getSettings(REGISTRY_NAMESPACE))).not.toContain(created.adminToken);
    const next = await registry.rotateAdminToken(created.project.id);
    const after = await registry.snapshot();
    expect(after.projectForAdminToken(created.adminToken)).toBeUndefined();
    expect(after.projectForAdminToken(next)).toBe(created.project.id);
  });

  it('reads the store at most once per TTL; local changes apply at once, other servers within the TTL', async () => {
    const { registry, other, store, clock } = setup();
    await registry.projectForKey('x');
    const reads = store.reads;
    for (let i = 0; i < 100; i++) await registry.projectForKey('x');
    expect(store.reads).toBe(reads);
    expect(await other.projectForKey('x')).toBeUndefined(); // caches "no such key" too
    const k = await registry.createKey('default');
    expect(await registry.projectForKey(k.key)).toBe('default');
    expect(await other.projectForKey(k.key)).toBeUndefined();
    clock.advance(REGISTRY_TTL_MS);
    expect(await other.projectForKey(k.key)).toBe('default');
  });
});

describe('access', () => {
  const ADMIN = 'server-admin-token';
  const req = (headers: Record<string, string>, path = '/api/sessions') => new Request(`http://x${path}`, { headers });

  type Case = [string, Record<string, string>, { projectId: string; serverAdmin: boolean } | number, string?];
  it.each<Case>([
    ['server admin', { authorization: `Bearer ${ADMIN}` }, { projectId: 'default', serverAdmin: true }],
    ['server admin on B', { authorization: `Bearer ${ADMIN}`, 'x-hindsight-project': 'B' }, { projectId: 'B', serverAdmin: true }],
    ['server admin via ?project=', { authorization: `Bearer ${ADMIN}` }, { projectId: 'B', serverAdmin: true }, '/api/definitions/export?project=B'],
    ['server admin, unknown project', { authorization: `Bearer ${ADMIN}`, 'x-hindsight-project': 'nope' }, 404],
    ['project admin', { authorization: 'Bearer TOKEN_B' }, { projectId: 'B', serverAdmin: false }],
    ['project admin naming itself', { authorization: 'Bearer TOKEN_B', 'x-hindsight-project': 'B' }, { projectId: 'B', serverAdmin: false }],
    ['project admin naming default', { authorization: 'Bearer TOKEN_B', 'x-hindsight-project': 'default' }, 403],
    ['write key as bearer', { authorization: 'Bearer KEY_B' }, 401],
    ['write key header', { 'x-hindsight-key': 'KEY_B' }, 401],
    ['write key as cookie', { cookie: `${COOKIE_NAME}=KEY_B` }, 401],
    ['nothing', {}, 401],
  ])('%s', async (_name, headers, expected, path = '/api/sessions') => {
    const { registry } = setup();
    const b = await registry.createProject('B');
    const id = b.project.id;
    const swap = (v: string) => v.replace('TOKEN_B', b.adminToken).replace('KEY_B', b.writeKey.key).replace(/^B$/, id).replace('project=B', `project=${id}`);
    const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, swap(v)]));
    const run = resolveAccess(registry, ADMIN, req(h, swap(path)));
    if (typeof expected === 'number') await expect(run).rejects.toMatchObject({ status: expected });
    else expect(await run).toMatchObject({ ...expected, projectId: swap(expected.projectId) });
  });

  it('cookies carry the project; rotating its admin token revokes them', async () => {
    const { registry } = setup();
    const b = await registry.createProject('B');
    const cookie = sessionCookieFor(ADMIN, await registry.snapshot(), b.project.id);
    const withCookie = (c: string) => req({ cookie: `${COOKIE_NAME}=${c}` });
    expect(await resolveAccess(registry, ADMIN, withCookie(cookie))).toMatchObject({ projectId: b.project.id, serverAdmin: false, via: 'cookie' });
    const server = sessionCookieFor(ADMIN, await registry.snapshot(), SERVER_SCOPE);
    await registry.rotateAdminToken(b.project.id);
    await expect(resolveAccess(registry, ADMIN, withCookie(cookie))).rejects.toMatchObject({ status: 401 });
    expect(await resolveAccess(registry, ADMIN, withCookie(server))).toMatchObject({ serverAdmin: true });
    // another server admin token (a changed HINDSIGHT_ADMIN_TOKEN) revokes every cookie
    await expect(resolveAccess(registry, 'changed', withCookie(server))).rejects.toMatchObject({ status: 401 });
  });
});
