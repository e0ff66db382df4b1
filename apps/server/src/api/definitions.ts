import { Hono } from 'hono';
import type { Store } from '@hindsight/store';
import { definitionBody, previewBody } from './schemas.js';
import type { Rule } from '@hindsight/schema';
import { checkName, NAMING_CONVENTION_LABELS } from '@hindsight/definitions';
import { json, parseIntParam, readJson } from '../http/json.js';
import { HttpError, notFound } from '../http/errors.js';
import type { Engine } from '../engine.js';
import { loadSettings } from './settings.js';
import { planToCsv, planToMarkdown } from '../plan/render.js';
import { definitionStats, planRows } from '../plan/stats.js';

/**
 * The project's naming convention, checked on every save. The answer carries `suggestion` (the
 * fixed name) next to code and message so clients can offer a one-click fix.
 */
async function namingError(store: Store, projectId: string, name: string): Promise<Response | null> {
  const { namingConvention } = await loadSettings(store, projectId);
  const check = checkName(name, namingConvention);
  if (check.ok) return null;
  return json({ error: { code: 'naming_convention', message: check.message, suggestion: check.suggestion } }, 400);
}

export function definitionRoutes(store: Store, engine: Engine, projectId: string) {
  const r = new Hono();

  r.post('/definitions/preview', async (c) => {
    const { rules } = await readJson(c.req.raw, previewBody);
    return json(await engine.preview(projectId, rules as Rule[]));
  });

  r.get('/definitions', async () => json({ definitions: await store.listDefinitions(projectId) }));

  r.post('/definitions', async (c) => {
    const input = await readJson(c.req.raw, definitionBody);
    engine.validate(input.rules as Rule[]);
    const naming = await namingError(store, projectId, input.name);
    if (naming) return naming;
    return json(await store.createDefinition(projectId, input as never), 201);
  });

  // Registered before /definitions/:id, which would otherwise take "export" and "stats" as ids.
  r.get('/definitions/export', async (c) => {
    const format = new URL(c.req.url).searchParams.get('format') ?? 'csv';
    if (format !== 'csv' && format !== 'md') throw new HttpError(400, 'bad_query', 'format must be csv or md');
    const now = Date.now();
    const rows = await planRows(store, engine, projectId, await store.listDefinitions(projectId), now);
    const day = new Date(now).toISOString().slice(0, 10);
    const body =
      format === 'csv'
        ? planToCsv(rows)
        : planToMarkdown(rows, { generatedAt: now, convention: NAMING_CONVENTION_LABELS[(await loadSettings(store, projectId)).namingConvention] });
    return new Response(body, {
      headers: {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'text/markdown; charset=utf-8',
        'content-disposition': `attachment; filename="tracking-plan-${day}.${format}"`,
        'cache-control': 'no-store',
      },
    });
  });

  // Counts for the definitions list in one request (7 and 30 local days, a daily series for the
  // sparkline) instead of one trend call per definition.
  r.get('/definitions/stats', async (c) => {
    const q = new URL(c.req.url).searchParams;
    const tzOffsetMinutes = parseIntParam('tzOffsetMinutes', q.get('tzOffsetMinutes'), -1440, 1440) ?? 0;
    const now = Date.now();
    const defs = await store.listDefinitions(projectId);
    return json({ now, stats: await definitionStats(store, engine, projectId, defs, { now, tzOffsetMinutes }) });
  });

  r.get('/definitions/:id', async (c) => {
    const d = await store.getDefinition(projectId, c.req.param('id'));
    if (!d) throw notFound('no such definition');
    return json(d);
  });

  r.put('/definitions/:id', async (c) => {
    const input = await readJson(c.req.raw, definitionBody);
    engine.validate(input.rules as Rule[]);
    if (!(await store.getDefinition(projectId, c.req.param('id')))) throw notFound('no such definition');
    const naming = await namingError(store, projectId, input.name);
    if (naming) return naming;
    const d = await store.updateDefinition(projectId, c.req.param('id'), input as never);
    if (!d) throw notFound('no such definition');
    return json(d);
  });

  r.delete('/definitions/:id', async (c) => {
    if (!(await store.deleteDefinition(projectId, c.req.param('id')))) throw notFound('no such definition');
    return json({ ok: true });
  });

  r.get('/definitions/:id/versions', async (c) => {
    const versions = await store.definitionVersions(projectId, c.req.param('id'));
    if (versions.length === 0) throw notFound('no such definition');
    return json({ versions });
  });

  r.get('/definitions/:id/events', async (c) => {
    const d = await store.getDefinition(projectId, c.req.param('id'));
    if (!d) throw notFound('no such definition');
    const q = new URL(c.req.url).searchParams;
    const limit = parseIntParam('limit', q.get('limit'), 1, 1000) ?? 100;
    const offset = parseIntParam('offset', q.get('offset'), 0, 10_000_000) ?? 0;
    const events = await engine.matchingEvents(projectId, d.rules, { limit, offset });
    return json({
      events: events.map((e) => ({
        id: e.id,
        type: e.type,
        ts: e.ts,
        sessionId: e.sessionId,
        userId: e.userId ?? null,
        anonymousId: e.anonymousId,
        url: e.url,
        name: e.name,
        replayUrl: `/sessions/${encodeURIComponent(e.sessionId)}?t=${e.ts}`,
      })),
    });
  });

  return r;
}
