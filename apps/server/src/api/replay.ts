// Progressive replay loading and per-session definition matches (mounted by sessions.ts).
// `GET /sessions/:id/replay` (the whole array) stays the contract; these let the viewer fetch an
// index first and then only the chunks from the nearest snapshot before the wanted time.
import type { Hono } from 'hono';
import type { Store } from '@hindsight/store';
import type { Engine } from '../engine.js';
import { HttpError, badRequest } from '../http/errors.js';
import { JSON_HEADERS, json, parseBoolParam } from '../http/json.js';
import { headIds, ReplayIndexCache } from '../replay-index.js';

/** chunk ids per request: bounds the response (a 10k-node snapshot chunk is ~1 MB of JSON) */
export const MAX_CHUNK_IDS = 200;
/** matched events listed per definition (a marker each on the timeline) */
const MAX_MATCHES_PER_DEFINITION = 2000;

export function addReplayRoutes(r: Hono, store: Store, engine: Engine, projectId: string): void {
  const index = new ReplayIndexCache(store);

  r.get('/sessions/:id/replay/index', async (c) => {
    const q = new URL(c.req.url).searchParams;
    const first = parseBoolParam('first', q.get('first'));
    const head = parseBoolParam('head', q.get('head'));
    const sessionId = c.req.param('id');
    const idx = await index.get(projectId, sessionId, { firstSegment: first });
    if (!head) return json(idx);
    // the chunk bodies are spliced in as text (a snapshot chunk is ~1 MB of JSON)
    const bodies = await index.chunkBodies(projectId, sessionId, headIds(idx));
    const text = JSON.stringify(idx);
    return new Response(`${text.slice(0, -1)},"head":[${bodies.join(',')}]}`, { headers: JSON_HEADERS });
  });

  r.get('/sessions/:id/replay/chunks', async (c) => {
    const raw = new URL(c.req.url).searchParams.get('ids') ?? '';
    const ids = [...new Set(raw.split(',').filter(Boolean))];
    if (ids.length === 0) throw badRequest('ids: give one or more chunk ids, comma-separated', 'bad_query');
    if (ids.length > MAX_CHUNK_IDS) throw badRequest(`ids: at most ${MAX_CHUNK_IDS} chunk ids per request`, 'bad_query');
    if (ids.some((id) => id.length > 128)) throw badRequest('ids: chunk id too long', 'bad_query');
    const bodies = await index.chunkBodies(projectId, c.req.param('id'), ids);
    // one chunk per enqueue: a long session's snapshot chunks never sit in one giant string
    const enc = new TextEncoder();
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      start(ctrl) {
        ctrl.enqueue(enc.encode('{"chunks":['));
      },
      pull(ctrl) {
        if (i >= bodies.length) {
          ctrl.enqueue(enc.encode(']}'));
          ctrl.close();
          return;
        }
        ctrl.enqueue(enc.encode((i ? ',' : '') + bodies[i++]));
      },
    });
    return new Response(body, { headers: JSON_HEADERS });
  });

  r.get('/sessions/:id/matches', async (c) => {
    const sessionId = c.req.param('id');
    const matches: { definitionId: string; name: string; eventId: string; ts: number }[] = [];
    for (const d of await store.listDefinitions(projectId)) {
      let filters;
      try {
        filters = await engine.filtersFor(projectId, d.rules, { sessionIds: [sessionId] });
      } catch (e) {
        // a stored definition the current validator refuses must not break the replay page
        if (e instanceof HttpError && e.status < 500) continue;
        throw e;
      }
      // the exact-path filter is a bare eventIds list: restrict every filter to this session
      const scoped = filters.map((f) => ({ ...f, sessionIds: [sessionId] }));
      for (const e of await store.findEvents(projectId, scoped, { limit: MAX_MATCHES_PER_DEFINITION })) {
        matches.push({ definitionId: d.id, name: d.name, eventId: e.id, ts: e.ts });
      }
    }
    matches.sort((a, b) => a.ts - b.ts || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
    return json({ matches });
  });
}
