import { Hono } from 'hono';
import type { EventFilter, Store } from '@hindsight/store';
import { SESSION_SORTS, type SessionSort } from '@hindsight/schema';
import type { Engine } from '../engine.js';
import { JSON_HEADERS, json, parseBoolParam, parseIntParam, parseTime } from '../http/json.js';
import { HttpError, notFound } from '../http/errors.js';
import { addReplayRoutes } from './replay.js';

export function sessionRoutes(store: Store, engine: Engine, projectId: string) {
  const r = new Hono();
  r.get('/sessions', async (c) => {
    const q = new URL(c.req.url).searchParams;
    const str = (k: string) => {
      const v = q.get(k);
      return v ? v.slice(0, 2048) : undefined;
    };
    const definitionId = str('definitionId');
    let events: EventFilter[] | undefined;
    if (definitionId !== undefined) {
      const def = await store.getDefinition(projectId, definitionId);
      if (!def) throw new HttpError(400, 'bad_query', `definitionId: no definition with id "${definitionId.slice(0, 64)}"`);
      events = await engine.filtersFor(projectId, def.rules);
    }
    const sort = str('sort');
    if (sort !== undefined && !(SESSION_SORTS as readonly string[]).includes(sort)) {
      throw new HttpError(400, 'bad_query', `sort must be one of ${SESSION_SORTS.join(', ')}`);
    }
    const res = await store.listSessions(projectId, {
      limit: parseIntParam('limit', q.get('limit'), 1, 500) ?? 50,
      cursor: str('cursor') ?? null,
      userId: str('userId'),
      url: str('url'),
      from: parseTime('from', q.get('from')),
      to: parseTime('to', q.get('to')),
      hasError: parseBoolParam('hasError', q.get('hasError')),
      frustrated: parseBoolParam('frustrated', q.get('frustrated')),
      minDurationMs: parseIntParam('minDurationMs', q.get('minDurationMs'), 0, Number.MAX_SAFE_INTEGER),
      events,
      sort: sort as SessionSort | undefined,
    });
    return json(res);
  });
  r.get('/sessions/:id', async (c) => {
    const s = await store.getSession(projectId, c.req.param('id'));
    if (!s) throw notFound('no such session');
    return json(s);
  });
  r.get('/sessions/:id/events', async (c) => {
    const events = await store.sessionEvents(projectId, c.req.param('id'));
    return json({ events: events.map(({ projectId: _p, chainHash: _h, ...e }) => e) });
  });
  r.get('/sessions/:id/replay', async (c) => {
    const chunks = await store.replayChunks(projectId, c.req.param('id'));
    // Stream the array chunk by chunk instead of building one huge string for long sessions.
    const enc = new TextEncoder();
    let i = 0;
    let first = true;
    const body = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        if (i >= chunks.length) {
          ctrl.enqueue(enc.encode(']'));
          ctrl.close();
          return;
        }
        const parts: string[] = [];
        for (const ev of chunks[i++].events) {
          parts.push((first ? '' : ',') + JSON.stringify(ev));
          first = false;
        }
        ctrl.enqueue(enc.encode((i === 1 ? '[' : '') + parts.join('')));
      },
      start(ctrl) {
        if (chunks.length === 0) {
          ctrl.enqueue(enc.encode('['));
        }
      },
    });
    return new Response(body, { headers: JSON_HEADERS });
  });
  addReplayRoutes(r, store, engine, projectId);
  return r;
}
