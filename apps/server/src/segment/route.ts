// Segment-compatible tracking API: POST /segment/v1/{track,identify,page,screen,group,alias,batch}.
// Segment's server libraries and plain HTTP calls work by pointing their host at
// http://HOST:8787/segment. Auth is Segment's: the write key as the Basic-auth user name (or
// `writeKey` in the body). Messages land next to auto-captured events, deduplicated by messageId.
import { Hono } from 'hono';
import { z } from 'zod';
import { describeZodError } from '@hindsight/schema/validate';
import { rawEventSchema } from '@hindsight/schema/validate';
import { chainHash, type Store, type StoredEvent } from '@hindsight/store';
import { HttpError } from '../http/errors.js';
import { inflateCapped, parseJson, readBodyCapped } from '../http/body.js';
import { json } from '../http/json.js';
import { correctTimestamps, MAX_AGE_MS, withUserAgent, type IngestDeps } from '../ingest.js';
import { parseUserAgent } from '../user-agent.js';
import type { RateLimiter } from '../http/rate-limit.js';
import { SEGMENT_TYPES, segmentMessageSchema, segmentToEvent, toMs } from './map.js';

export interface SegmentDeps {
  store: Store;
  projectForKey: IngestDeps['projectForKey'];
  maxBodyBytes: number;
  maxInflatedBytes: number;
  limiter?: RateLimiter;
  onStored?: IngestDeps['onStored'];
}

const MAX_MESSAGES = 5000;

/** the write key: Basic auth user name (Segment's way), else `writeKey` in the body */
function writeKey(req: Request, body: unknown): string | null {
  const auth = req.headers.get('authorization');
  if (auth?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
    const user = decoded.split(':')[0];
    if (user) return user;
  }
  const k = body && typeof body === 'object' ? (body as { writeKey?: unknown }).writeKey : undefined;
  return typeof k === 'string' && k ? k : null;
}

export function segmentRoutes(deps: SegmentDeps) {
  const r = new Hono();
  // one route per call type (not `/v1/:type`), so the OpenAPI document lists exactly these
  for (const type of [...SEGMENT_TYPES, 'batch', 'import'] as const) r.post(`/v1/${type}`, async (c) => {
    const raw = await readBodyCapped(c.req.raw, deps.maxBodyBytes);
    if (raw.length === 0) throw new HttpError(400, 'empty_body', 'request body is empty');
    const body = parseJson((await inflateCapped(raw, deps.maxInflatedBytes)).toString('utf8'));
    const key = writeKey(c.req.raw, body);
    if (!key) throw new HttpError(401, 'missing_key', 'write key required: Basic auth with the write key as user name, or "writeKey" in the body');
    const projectId = await deps.projectForKey(key);
    if (!projectId) throw new HttpError(401, 'invalid_key', 'unknown or revoked write key');
    const wait = deps.limiter?.take(key) ?? null;
    if (wait !== null) throw new HttpError(429, 'rate_limited', `too many requests for this write key; retry in ${wait} s`, { 'retry-after': String(wait) });

    // one message, or { batch: [...] } (Segment's /v1/batch and /v1/import)
    let messages: unknown[];
    let sentAt: number | undefined;
    if (type === 'batch' || type === 'import') {
      const b = z.object({ batch: z.array(z.unknown()).max(MAX_MESSAGES), sentAt: z.union([z.string().max(64), z.number()]).optional() }).safeParse(body);
      if (!b.success) throw new HttpError(400, 'invalid_batch', describeZodError(b.error));
      messages = b.data.batch;
      sentAt = toMs(b.data.sentAt);
    } else {
      messages = [body && typeof body === 'object' && !Array.isArray(body) ? { ...(body as object), type } : body];
    }
    const now = Date.now();
    const stored: StoredEvent[] = [];
    for (let i = 0; i < messages.length; i++) {
      const m = segmentMessageSchema.safeParse(messages[i]);
      const where = type === 'batch' || type === 'import' ? `batch.${i}` : 'message';
      if (!m.success) throw new HttpError(400, 'invalid_message', `${where}: ${describeZodError(m.error)}`);
      const e = segmentToEvent(m.data, now);
      if (typeof e === 'string') throw new HttpError(400, 'invalid_message', `${where}: ${e}`);
      const checked = rawEventSchema.safeParse(e);
      if (!checked.success) throw new HttpError(400, 'invalid_message', `${where}: ${describeZodError(checked.error)}`);
      // per-message sentAt (single calls) or the batch's; skew-corrected like recorder batches
      // browsers' Segment libraries put the User-Agent in context (server libraries send none)
      const ua = typeof m.data.context?.userAgent === 'string' ? parseUserAgent(m.data.context.userAgent) : null;
      const [fixed] = correctTimestamps([withUserAgent(e, ua)], toMs(m.data.sentAt) ?? sentAt ?? now, now);
      if (fixed.ts < now - MAX_AGE_MS) continue;
      stored.push({ ...fixed, receivedAt: now, chainHash: chainHash(fixed.chain) });
    }
    const res = await deps.store.append(projectId, stored, []);
    deps.onStored?.(projectId, stored, []);
    return json({ success: true, inserted: res.inserted, duplicates: res.duplicates });
  });
  return r;
}
