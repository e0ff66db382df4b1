// Segment's tracking API message shape → Hindsight events. Pure, so the mapping is table-tested.
// Spec: https://segment.com/docs/connections/spec/ (common fields, track, identify, page, screen,
// group, alias). Unknown fields are ignored, as Segment does.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { RawEvent } from '@hindsight/schema';
import { MAX_EPOCH_MS } from '../http/json.js';

const str = (max = 8192) => z.string().max(max);
const obj = z.record(z.string().max(256), z.unknown());
const time = z.union([z.string().max(64), z.number().finite()]);

const common = {
  messageId: str(256).optional(),
  anonymousId: z.union([str(256), z.number()]).nullable().optional(),
  userId: z.union([str(256), z.number()]).nullable().optional(),
  timestamp: time.optional(),
  sentAt: time.optional(),
  originalTimestamp: time.optional(),
  context: obj.optional(),
  integrations: z.unknown().optional(),
};

/** each call's message; `type` comes from the path for single calls, from the message in a batch */
export const SEGMENT_SCHEMAS = {
  track: z.object({ type: z.literal('track'), event: str(1024).min(1), properties: obj.optional(), ...common }),
  identify: z.object({ type: z.literal('identify'), traits: obj.optional(), ...common }),
  page: z.object({ type: z.literal('page'), name: str(1024).nullable().optional(), category: str(1024).nullable().optional(), properties: obj.optional(), ...common }),
  screen: z.object({ type: z.literal('screen'), name: str(1024).nullable().optional(), properties: obj.optional(), ...common }),
  group: z.object({ type: z.literal('group'), groupId: z.union([str(256), z.number()]), traits: obj.optional(), ...common }),
  alias: z.object({ type: z.literal('alias'), previousId: z.union([str(256), z.number()]), ...common }),
};

export const segmentMessageSchema = z.discriminatedUnion('type', [
  SEGMENT_SCHEMAS.track,
  SEGMENT_SCHEMAS.identify,
  SEGMENT_SCHEMAS.page,
  SEGMENT_SCHEMAS.screen,
  SEGMENT_SCHEMAS.group,
  SEGMENT_SCHEMAS.alias,
]);
export type SegmentMessage = z.infer<typeof segmentMessageSchema>;

export const SEGMENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;

/** Hindsight ids are 1–64 characters: longer ones are replaced by a stable hash (dedupe still works). */
export function fitId(s: string): string {
  return s.length >= 1 && s.length <= 64 ? s : createHash('sha256').update(s).digest('hex');
}

/** epoch ms of an ISO string or a number; undefined when absent or unparseable */
export function toMs(v: string | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Date.parse(v);
  return Number.isFinite(n) ? n : undefined;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const page = (m: SegmentMessage): Record<string, unknown> => {
  const p = m.context?.page;
  return p && typeof p === 'object' ? (p as Record<string, unknown>) : {};
};

/**
 * One Segment message as a Hindsight event, or an error message. `now` anchors messages without a
 * timestamp; skew correction (against `sentAt`) happens afterwards, like for recorder batches.
 * Sessions: Segment has none, so `context.sessionId` when given, else one per (visitor, UTC day).
 */
export function segmentToEvent(m: SegmentMessage, now: number): RawEvent | string {
  const userId = m.userId === null || m.userId === undefined || m.userId === '' ? null : String(m.userId);
  const anon = m.anonymousId === null || m.anonymousId === undefined || m.anonymousId === '' ? null : String(m.anonymousId);
  const visitor = m.type === 'alias' ? String(m.previousId) : (anon ?? userId);
  if (!visitor) return 'anonymousId or userId is required';
  const ts = toMs(m.timestamp) ?? toMs(m.originalTimestamp) ?? now;
  // past what a Date can hold (±8.64e15 ms, the year 275760): refused like a negative timestamp
  if (Math.abs(ts) > MAX_EPOCH_MS) return 'timestamp is out of range';
  const day = new Date(Math.max(0, ts)).toISOString().slice(0, 10);
  const ctxSession = text(m.context?.sessionId) ?? (typeof m.context?.sessionId === 'number' ? String(m.context.sessionId) : undefined);
  const pg = page(m);
  const props = 'properties' in m ? m.properties : undefined;
  const base: RawEvent = {
    id: fitId(m.messageId ?? `seg-${createHash('sha256').update(JSON.stringify(m)).digest('hex')}`),
    type: 'custom',
    ts,
    sessionId: fitId(ctxSession ?? `segment:${visitor}:${day}`),
    anonymousId: fitId(visitor),
    userId,
    url: text(props?.url) ?? text(pg.url) ?? '',
  };
  const title = text(props?.title) ?? text(pg.title);
  const referrer = text(props?.referrer) ?? text(pg.referrer);
  if (title !== undefined) base.title = title;
  if (referrer !== undefined) base.referrer = referrer;
  switch (m.type) {
    case 'track':
      return { ...base, name: m.event, ...(props ? { props } : {}) };
    case 'identify':
      if (!userId) return 'identify needs a userId';
      return { ...base, type: 'identify', ...(m.traits ? { props: m.traits } : {}) };
    case 'page':
    case 'screen':
      return { ...base, type: 'pageview', ...(m.name ? { name: m.name } : {}), ...(props ? { props } : {}) };
    case 'group':
      // a named custom event, so definitions (`name: "$group"`) and insights can use it
      return { ...base, name: '$group', props: { groupId: String(m.groupId), ...(m.traits ?? {}) } };
    case 'alias':
      // previousId becomes (an anonymous id of) userId, like identify does for the recorder
      if (!userId) return 'alias needs a userId';
      return { ...base, type: 'identify', props: { $alias: true } };
  }
}
