import { Hono } from 'hono';
import { z } from 'zod';
import type { Store } from '@hindsight/store';
import { definitionInputSchema, rulesSchema } from '@hindsight/schema/validate';
import type { Rule } from '@hindsight/schema';
import { json, parseIntParam, readJson } from '../http/json.js';
import { notFound } from '../http/errors.js';
import type { Engine } from '../engine.js';

export function definitionRoutes(store: Store, engine: Engine, projectId: string) {
  const r = new Hono();

  r.post('/definitions/preview', async (c) => {
    const { rules } = await readJson(c.req.raw, z.object({ rules: rulesSchema }).strict());
    return json(await engine.preview(projectId, rules as Rule[]));
  });

  r.get('/definitions', async () => json({ definitions: await store.listDefinitions(projectId) }));

  r.post('/definitions', async (c) => {
    const input = await readJson(c.req.raw, definitionInputSchema);
    engine.validate(input.rules as Rule[]);
    return json(await store.createDefinition(projectId, input as never), 201);
  });

  r.get('/definitions/:id', async (c) => {
    const d = await store.getDefinition(projectId, c.req.param('id'));
    if (!d) throw notFound('no such definition');
    return json(d);
  });

  r.put('/definitions/:id', async (c) => {
    const input = await readJson(c.req.raw, definitionInputSchema);
    engine.validate(input.rules as Rule[]);
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
