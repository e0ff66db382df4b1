// The OpenAPI document against the real app: every route is documented, every documented operation
// exists, and every documented request body is the one the route validates with (a body the
// document calls invalid is refused with a 400).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { DuckDBStore } from '@hindsight/store';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

const dir = mkdtempSync(join(tmpdir(), 'hs-openapi-'));
const store = new DuckDBStore(join(dir, 'db.duckdb'));
const config = { ...loadConfig({ HINDSIGHT_DATA_DIR: dir, HINDSIGHT_ADMIN_TOKEN: 'admin', HINDSIGHT_PROJECT_KEY: 'wk' }), rateLimitPerSecond: 0 };
const { app, projectApi } = createApp({ config, store, paths: { viewerDist: dir, recorderDist: dir }, log: () => {} });
let doc: { openapi: string; paths: Record<string, Record<string, { operationId: string; requestBody?: unknown; security: unknown[] }>> };

beforeAll(async () => {
  await store.init();
  const r = await app.request('/api/openapi.json');
  expect(r.status).toBe(200);
  doc = await r.json();
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Hono's registered routes as `METHOD /path/{param}` (the /api routes live in a per-project
 * sub-app, the same for every project); middleware (`ALL`), catch-alls and CORS preflights are not operations.
 */
function appRoutes(): string[] {
  return [
    ...new Set(
      [...app.routes, ...projectApi('default').routes]
        .filter((r) => r.method !== 'ALL' && r.method !== 'OPTIONS' && !r.path.includes('*'))
        .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    ),
  ].sort();
}
const docRoutes = () =>
  Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document (checked by a validator) with unique operation ids', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const res = await validator.validate(doc as never);
    expect(res.errors ?? [], String(JSON.stringify(res.errors)).slice(0, 2000)).toEqual([]);
    expect(res.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('documents exactly the routes the server has', () => {
    // path parameter names may differ (`:id` in code): compare with parameters normalised
    const norm = (xs: string[]) => xs.map((x) => x.replace(/\{\w+\}/g, '{}'));
    const [documented, served] = [norm(docRoutes()), norm(appRoutes())];
    expect({ undocumented: served.filter((r) => !documented.includes(r)), missing: documented.filter((r) => !served.includes(r)) }).toEqual({
      undocumented: [],
      missing: [],
    });
  });

  it('every documented body is validated by its route: an empty object is refused', async () => {
    const withBody = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.requestBody)
        .map(([method, op]) => ({ method: method.toUpperCase(), path: path.replace(/\{\w+\}/g, 'x'), op })),
    );
    const requires = (op: { requestBody?: unknown }) =>
      ((op.requestBody as { content: Record<string, { schema: { required?: string[]; allOf?: { required?: string[] }[] } }> }).content['application/json'].schema);
    expect(withBody.length).toBeGreaterThan(10);
    for (const { method, path, op } of withBody) {
      // a body whose fields are all optional accepts {}: the document says so, and so must the server
      const schema = requires(op);
      // (only for /api: ingest bodies also need "anonymousId or userId", which JSON Schema here does not say)
      const emptyIsValid = path.startsWith('/api/') && !schema.required?.length && !schema.allOf?.some((x) => x.required?.length);
      const headers: Record<string, string> = { 'content-type': 'application/json', authorization: 'Bearer admin' };
      if (path.startsWith('/segment')) headers.authorization = `Basic ${Buffer.from('wk:').toString('base64')}`;
      const url = path === '/v1/batch' ? `${path}?key=wk` : path;
      const r = await app.request(url, { method, headers, body: '{}' });
      if (emptyIsValid) {
        // (a route of an unknown id answers 404 whatever the body)
        if (!(r.status === 404 && /\/x(\/|$)/.test(path))) expect(r.status, `${method} ${path} accepts {}`).toBeLessThan(300);
        continue;
      }
      expect([400, 404], `${method} ${path} → ${r.status}`).toContain(r.status);
      if (r.status === 404) expect(path).toMatch(/\/x(\/|$)/); // only unknown ids may be 404
    }
  });
});
