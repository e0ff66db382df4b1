// Projects and their credentials: /api/me, /api/projects(/:id), /api/keys, /api/admin-token/rotate.
// Mounted in every project's API (app.ts); the caller's Access comes in as the request's env.
import { Hono } from 'hono';
import type { Store } from '@hindsight/store';
import type { Access } from '../http/access.js';
import { sessionCookieFor } from '../http/access.js';
import { cookieHeader, SESSION_TTL_MS } from '../http/auth.js';
import { HttpError, notFound } from '../http/errors.js';
import { json, readJson } from '../http/json.js';
import { DEFAULT_PROJECT, type ProjectRegistry } from '../projects/registry.js';
import { createProjectBody, deleteProjectBody } from './schemas.js';

export type ApiEnv = { Bindings: { access: Access } };

const serverAdminOnly = (access: Access) => {
  if (!access.serverAdmin) throw new HttpError(403, 'server_admin_only', 'only the server admin (HINDSIGHT_ADMIN_TOKEN) may do this');
};

export function projectRoutes(registry: ProjectRegistry, store: Store, adminToken: string, projectId: string) {
  const r = new Hono<ApiEnv>();

  r.get('/me', async (c) => {
    const project = (await registry.snapshot()).projects.get(projectId);
    return json({ ok: true, project: projectId, projectName: project?.name ?? projectId, serverAdmin: c.env.access.serverAdmin });
  });

  // a project admin sees only its own project
  r.get('/projects', async (c) => {
    const all = [...(await registry.snapshot()).projects.values()];
    const projects = c.env.access.serverAdmin ? all.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id)) : all.filter((p) => p.id === projectId);
    return json({ projects });
  });

  r.post('/projects', async (c) => {
    serverAdminOnly(c.env.access);
    const { name } = await readJson(c.req.raw, createProjectBody);
    return json(await registry.createProject(name), 201);
  });

  // a project admin may rename its own project; the server admin any
  r.put('/projects/:id', async (c) => {
    const id = c.req.param('id');
    if (!c.env.access.serverAdmin && id !== projectId) throw notFound('no such project');
    const { name } = await readJson(c.req.raw, createProjectBody);
    const project = await registry.renameProject(id, name);
    if (!project) throw notFound('no such project');
    return json({ project });
  });

  // the server admin only, with the id typed again; `default` (the env-configured project) stays
  r.delete('/projects/:id', async (c) => {
    serverAdminOnly(c.env.access);
    const id = c.req.param('id');
    const { confirm } = await readJson(c.req.raw, deleteProjectBody);
    if (id === DEFAULT_PROJECT) throw new HttpError(409, 'default_project', 'the default project cannot be deleted (its key and admin come from the environment)');
    const snap = await registry.snapshot(true);
    // a deleted one may be deleted again: that removes what a failed delete, or another server
    // within its registry cache time, left behind
    if (!snap.projects.has(id) && !snap.deleted.has(id)) throw notFound('no such project');
    if (confirm !== id) throw new HttpError(400, 'confirm_mismatch', `to delete this project, send {"confirm": "${id}"}`);
    // keys and token first, so nothing new arrives while the data goes
    if (snap.projects.has(id)) await registry.deleteProject(id);
    const deleted = await store.deleteProject(id);
    return json({ deleted: id, ...deleted });
  });

  r.get('/keys', async () => json({ keys: (await registry.snapshot()).keysOf(projectId) }));

  // rotation: the new key is live next to the old ones until those are revoked
  r.post('/keys', async () => json(await registry.createKey(projectId), 201));

  r.delete('/keys/:id', async (c) => {
    const res = await registry.revokeKey(projectId, c.req.param('id'));
    if (res === null) throw notFound('no such write key in this project');
    if (res === 'last') {
      throw new HttpError(409, 'last_key', 'this is the project’s only live write key: create a new key (and deploy it) before revoking this one');
    }
    return json(res);
  });

  r.post('/admin-token/rotate', async (c) => {
    if (projectId === DEFAULT_PROJECT) {
      throw new HttpError(409, 'env_admin_token', 'the default project’s admin is the server admin token (HINDSIGHT_ADMIN_TOKEN): change that variable and restart to rotate it');
    }
    const token = await registry.rotateAdminToken(projectId);
    // the caller's own cookie was signed for the old token: hand them one for the new token
    const renew = c.env.access.via === 'cookie' && !c.env.access.serverAdmin;
    const headers: Record<string, string> = renew ? { 'set-cookie': cookieHeader(sessionCookieFor(adminToken, await registry.snapshot(), projectId), SESSION_TTL_MS) } : {};
    return json({ project: projectId, adminToken: token }, 200, headers);
  });

  return r;
}
