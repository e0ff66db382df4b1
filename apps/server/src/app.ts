// The HTTP surface: ingest (/v1/batch), the admin API (/api/*), the recorder bundle and the viewer.
import { Hono } from 'hono';
import type { Store } from '@hindsight/store';
import type { Config } from './config.js';
import { ingestBatch } from './ingest.js';
import { segmentRoutes } from './segment/route.js';
import { loginBody } from './api/schemas.js';
import { openApiDocument } from './openapi.js';
import { HttpError, toErrorResponse } from './http/errors.js';
import { cookieHeader, SESSION_TTL_MS } from './http/auth.js';
import { loginScope, resolveAccess, sessionCookieFor, type Access } from './http/access.js';
import { json, readJson } from './http/json.js';
import { contentType, readStatic } from './http/static.js';
import { SECURITY_HEADERS } from './http/csp.js';
import { RateLimiter } from './http/rate-limit.js';
import { sessionRoutes } from './api/sessions.js';
import { definitionRoutes } from './api/definitions.js';
import { insightRoutes } from './api/insights.js';
import { userRoutes } from './api/users.js';
import { settingsRoutes } from './api/settings.js';
import { projectRoutes, type ApiEnv } from './api/projects.js';
import { DEFAULT_PROJECT, ProjectRegistry } from './projects/registry.js';
import { Engine } from './engine.js';
import { destinationRoutes } from './api/destinations.js';
import { DestinationService } from './destinations/service.js';

export interface AppDeps {
  config: Config;
  store: Store;
  paths: { viewerDist: string; recorderDist: string };
  log: (msg: string) => void;
}

export { DEFAULT_PROJECT };

const INGEST_CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'content-type, x-hindsight-key',
  'access-control-max-age': '86400',
  // the recorder reads Retry-After on 429/503 from a cross-origin page
  'access-control-expose-headers': 'retry-after',
};

export function createApp({ config, store, paths, log }: AppDeps) {
  const app = new Hono();
  const engine = new Engine(store);
  // webhooks: live matching after ingest, the sender (started by main.ts), backfills
  const destinations = new DestinationService({ store, engine, log });
  // projects, write keys and admin tokens (kept in the store, cached briefly: projects/registry.ts)
  const registry = new ProjectRegistry(store, config.projectKeys);
  const projectForKey = (key: string) => registry.projectForKey(key);
  const limiter = new RateLimiter(config.rateLimitPerSecond);

  app.onError((err) => toErrorResponse(err, log));
  app.notFound(() => toErrorResponse(new HttpError(404, 'not_found', 'no such route'), log));

  app.get('/healthz', () => json({ ok: true, store: store.kind }));

  // ---- ingest (public write key; any site origin may post)
  // Site origins allowed to post (HINDSIGHT_ALLOWED_ORIGINS); default any. A text/plain POST is a
  // "simple" request that reaches us whatever CORS says, so a disallowed Origin is refused here.
  const corsFor = (origin: string | null) => {
    if (!config.allowedOrigins) return INGEST_CORS;
    const ok = origin !== null && config.allowedOrigins.includes(origin);
    return { ...INGEST_CORS, 'access-control-allow-origin': ok ? origin : 'null', vary: 'Origin' };
  };
  app.options('/v1/batch', (c) => new Response(null, { status: 204, headers: corsFor(c.req.header('origin') ?? null) }));
  app.post('/v1/batch', async (c) => {
    const origin = c.req.header('origin') ?? null;
    const cors = corsFor(origin);
    try {
      if (config.allowedOrigins && origin !== null && !config.allowedOrigins.includes(origin)) {
        throw new HttpError(403, 'origin_not_allowed', `origin ${origin.slice(0, 200)} may not send to this server`);
      }
      const ack = await ingestBatch(c.req.raw, {
        store,
        projectForKey,
        maxBodyBytes: config.maxBodyBytes,
        maxInflatedBytes: config.maxInflatedBytes,
        limiter,
        onStored: destinations.notify,
      });
      return json(ack, 200, cors);
    } catch (err) {
      const res = toErrorResponse(err, log);
      for (const [k, v] of Object.entries(cors)) res.headers.set(k, v);
      return res;
    }
  });

  // ---- Segment-compatible tracking API (server libraries, plain HTTP; no browser CORS needed)
  app.route(
    '/segment',
    segmentRoutes({ store, projectForKey, maxBodyBytes: config.maxBodyBytes, maxInflatedBytes: config.maxInflatedBytes, limiter, onStored: destinations.notify }),
  );

  // ---- recorder bundle (cross-origin pages load it; the worker source is fetched with CORS)
  for (const file of ['recorder.js', 'recorder.worker.js', 'index.mjs']) {
    app.get(`/${file}`, async () => {
      const f = await readStatic(paths.recorderDist, file);
      if (!f) throw new HttpError(404, 'not_built', `${file} is not built; run npm run build`);
      return new Response(new Uint8Array(f.body), {
        headers: {
          'content-type': contentType(f.path),
          'access-control-allow-origin': '*',
          'cache-control': 'public, max-age=300',
          'cross-origin-resource-policy': 'cross-origin',
        },
      });
    });
  }

  // ---- admin API
  app.post('/api/login', async (c) => {
    const { token } = await readJson(c.req.raw, loginBody);
    const scope = await loginScope(registry, config.adminToken, token);
    const cookie = sessionCookieFor(config.adminToken, await registry.snapshot(), scope);
    return json({ ok: true }, 200, { 'set-cookie': cookieHeader(cookie, SESSION_TTL_MS) });
  });
  // public: it describes the API, no data (generated from the validation schemas: ./openapi.ts)
  const openapi = JSON.stringify(openApiDocument('0.1.0'));
  app.get('/api/openapi.json', () => new Response(openapi, { headers: { 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*' } }));
  app.post('/api/logout', () => json({ ok: true }, 200, { 'set-cookie': cookieHeader('', 0) }));
  // Every /api route of one project lives in its own sub-app, built once per project: the
  // project comes from the credential (never from the request body), so a route cannot reach
  // another project's data by mistake.
  // The caller's Access (./http/access.ts) reaches the routes as the request's env.
  const projectApis = new Map<string, Hono<ApiEnv>>();
  const projectApi = (projectId: string): Hono<ApiEnv> => {
    let api = projectApis.get(projectId);
    if (!api) {
      api = new Hono<ApiEnv>();
      api.onError((err) => toErrorResponse(err, log));
      api.route('/api', projectRoutes(registry, store, config.adminToken, projectId));
      api.route('/api', sessionRoutes(store, engine, projectId));
      api.route('/api', definitionRoutes(store, engine, projectId));
      api.route('/api', insightRoutes(store, engine, projectId));
      api.route('/api', userRoutes(store, projectId));
      api.route('/api', settingsRoutes(store, projectId));
      api.route('/api', destinationRoutes(store, destinations, projectId));
      api.all('/api/*', () => {
        throw new HttpError(404, 'not_found', 'no such API route');
      });
      projectApis.set(projectId, api);
    }
    return api;
  };
  app.all('/api/*', async (c) => {
    const access: Access = await resolveAccess(registry, config.adminToken, c.req.raw);
    const res = await projectApi(access.projectId).fetch(c.req.raw, { access });
    const out = new Response(res.body, res);
    out.headers.set('cache-control', 'no-store');
    return out;
  });

  // ---- viewer SPA: static assets, else index.html for client routes
  app.get('*', async (c) => {
    const path = new URL(c.req.url).pathname;
    const f = path !== '/' && !path.endsWith('/') ? await readStatic(paths.viewerDist, path) : null;
    const file = f ?? (await readStatic(paths.viewerDist, 'index.html'));
    if (!file) {
      return new Response('The viewer is not built. Run `npm run build`.', {
        status: 503,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
    }
    const isAsset = f !== null && path.startsWith('/assets/');
    return new Response(new Uint8Array(file.body), {
      headers: {
        'content-type': contentType(file.path),
        'cache-control': isAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
        ...SECURITY_HEADERS,
      },
    });
  });

  return { app, engine, registry, projectApi, destinations };
}
