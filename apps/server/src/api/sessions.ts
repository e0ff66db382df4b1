import { Hono } from 'hono';
import type { Store } from '@hindsight/store';
import { json, parseBoolParam, parseIntParam, parseTime } from '../http/json.js';
import { notFound } from '../http/errors.js';

export function sessionRoutes(store: Store, projectId: string) {
  const r = new Hono();
  r.get('/sessions', async (c) => {
    const q = new URL(c.req.url).searchParams;
    const str = (k: string) => {
      const v = q.get(k);
      return v ? v.slice(0, 2048) : undefined;
    };
    const res = await store.listSessions(projectId, {
      limit: parseIntParam('limit', q.get('limit'), 1, 500) ?? 50,
      cursor: str('cursor') ?? null,
      userId: str('userId'),
      url: str('url'),
      from: parseTime('from', q.get('from')),
      to: parseTime('to', q.get('to')),
      hasError: parseBoolParam('hasError', q.get('hasError')),
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
    return new Response(body, { headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } });
  });
  return r;
}
