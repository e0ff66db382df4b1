// POST /v1/batch: validate, bound, correct clock skew, dedupe (in the store), acknowledge only
// once the store says the batch is durable.
import { unpackChunk, type BatchAck, type RawEvent } from '@hindsight/schema';
import { describeZodError, parseBatch } from '@hindsight/schema/validate';
import { chainHash, type Store, type StoredEvent } from '@hindsight/store';
import { HttpError } from './http/errors.js';
import { inflateCapped, parseJson, readBodyCapped } from './http/body.js';
import type { RateLimiter } from './http/rate-limit.js';
import { parseUserAgent, type UserAgentInfo } from './user-agent.js';

export interface IngestDeps {
  store: Store;
  /** live write key → project id (the project registry; cached, so usually no store read) */
  projectForKey: (key: string) => Promise<string | undefined> | string | undefined;
  maxBodyBytes: number;
  maxInflatedBytes: number;
  now?: () => number;
  limiter?: RateLimiter;
  /**
   * told about the events of every stored batch (duplicates included), after they are durable,
   * and the sessions it stored replay chunks for
   */
  onStored?: (projectId: string, events: StoredEvent[], replaySessions: string[]) => void;
}

/**
 * Client clocks can be wrong by minutes or hours; trust the client's relative times but anchor
 * them at our receive time. A difference under SKEW_MIN_MS is not corrected: it is mostly transit
 * (a full snapshot on a slow uplink takes seconds) and it varies per batch, so shifting by it
 * would move a slow batch's events after the next batch's (funnels and event lists go by time).
 * A clock that is a few seconds ahead is still never stored in the future (clamped to now).
 */
export const SKEW_MIN_MS = 10_000;
/** Events older than this (after skew correction) are rejected rather than silently backdated. */
export const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

export function correctTimestamps(events: RawEvent[], sentAt: number, now: number): RawEvent[] {
  const shift = clockShift(sentAt, now);
  return events.map((e) => {
    const ts = correctTs(e.ts, shift, now);
    return ts === e.ts ? e : { ...e, ts };
  });
}

/** how far to move a batch's times: the sender's clock error, when it is big enough to be one */
function clockShift(sentAt: number, now: number): number {
  const skew = now - sentAt;
  return Math.abs(skew) >= SKEW_MIN_MS ? skew : 0;
}

function correctTs(ts: number, shift: number, now: number): number {
  return Math.min(Math.round(ts + shift), now); // never in the future
}

export async function ingestBatch(req: Request, deps: IngestDeps): Promise<BatchAck> {
  const url = new URL(req.url);
  const early = url.searchParams.get('key') ?? req.headers.get('x-hindsight-key');
  // limit before reading the body when the key comes with the request line or headers
  if (early) await limit(deps, early);
  const raw = await readBodyCapped(req, deps.maxBodyBytes);
  if (raw.length === 0) throw new HttpError(400, 'empty_body', 'request body is empty');
  const inflated = await inflateCapped(raw, deps.maxInflatedBytes);
  const body = parseJson(inflated.toString('utf8'));
  const key =
    url.searchParams.get('key') ??
    req.headers.get('x-hindsight-key') ??
    (body && typeof body === 'object' && typeof (body as { key?: unknown }).key === 'string'
      ? (body as { key: string }).key
      : null);
  if (!key) throw new HttpError(401, 'missing_key', 'write key required (?key=, X-Hindsight-Key or "key" in the body)');
  const projectId = await deps.projectForKey(key);
  if (!projectId) throw new HttpError(401, 'invalid_key', 'unknown or revoked write key');
  if (!early) await limit(deps, key);

  const parsed = parseBatch(body);
  if (!parsed.success) throw new HttpError(400, 'invalid_batch', describeZodError(parsed.error));
  const batch = parsed.data;
  const now = deps.now?.() ?? Date.now();
  const shift = clockShift(batch.sentAt, now);
  const oldest = now - MAX_AGE_MS;
  // the browser that sent the batch (the recorder's fetch/beacon carries the page's User-Agent)
  const ua = parseUserAgent(req.headers.get('user-agent'));
  const stored: StoredEvent[] = [];
  for (const e of batch.events as RawEvent[]) {
    const ts = correctTs(e.ts, shift, now);
    if (ts < oldest) continue; // too old to be a real buffered event: drop, do not backdate history
    // One object per event, every field always present (undefined when absent): objects of one
    // shape keep the store's per-event code monomorphic; spreads of parsed JSON are not.
    stored.push({
      id: e.id,
      type: e.type,
      ts,
      sessionId: e.sessionId,
      anonymousId: e.anonymousId,
      userId: e.userId,
      url: e.url,
      title: e.title,
      referrer: e.referrer,
      name: e.name,
      props: propsWithUserAgent(e.props, ua),
      chain: e.chain,
      nodeId: e.nodeId,
      rec: e.rec,
      receivedAt: now,
      chainHash: chainHash(e.chain),
    });
  }
  const replay = batch.replay ?? [];
  // the recorder leaves implied node ids out and marks the chunk (node-ids.ts); from here on
  // every chunk has them all
  replay.forEach(unpackChunk);
  const res = await deps.store.append(projectId, stored, replay as never);
  deps.onStored?.(projectId, stored, [...new Set(replay.map((c) => c.sessionId))]);
  return { ok: true, inserted: res.inserted, duplicates: res.duplicates, chunks: res.chunks };
}

// ingestBatch copies RawEvent field by field: a field added to RawEvent must be added there too
type Copied = 'id' | 'type' | 'ts' | 'sessionId' | 'anonymousId' | 'userId' | 'url' | 'title' | 'referrer' | 'name' | 'props' | 'chain' | 'nodeId' | 'rec';
const allFieldsCopied: Exclude<keyof RawEvent, Copied> extends never ? true : never = true;
void allFieldsCopied;

/** `$browser`, `$os`, `$device` props from the sender's User-Agent (the server's word wins) */
export function withUserAgent<E extends RawEvent>(e: E, ua: UserAgentInfo | null): E {
  return ua ? { ...e, props: propsWithUserAgent(e.props, ua) } : e;
}

function propsWithUserAgent(props: RawEvent['props'], ua: UserAgentInfo | null): RawEvent['props'] {
  return ua ? { ...props, ...ua } : props;
}

async function limit(deps: IngestDeps, key: string): Promise<void> {
  if (!deps.limiter || !(await deps.projectForKey(key))) return;
  const wait = deps.limiter.take(key);
  if (wait !== null) {
    throw new HttpError(429, 'rate_limited', `too many batches for this write key; retry in ${wait} s`, {
      'retry-after': String(wait),
    });
  }
}
