// Edge validation of everything that arrives from outside (ingest bodies, API bodies).
// Kept apart from index.ts so the recorder bundle never pulls in zod.
import { z } from 'zod';
import { depthOf } from './depth.js';
import { isCleanBatch } from './fast-batch.js';
import { CATEGORIES, CHAIN_STATES, EVENT_TYPES, LIMITS, NAMING_CONVENTIONS, STRING_OPS, WIRE_VERSION } from './index.js';

const str = (max: number = LIMITS.string) => z.string().max(max);
const id = z.string().min(1).max(64);

export const chainElementSchema = z.object({
  tag: str(128).min(1),
  ns: z.enum(['svg', 'math']).optional(),
  attrs: z
    .record(str(256), str(LIMITS.attrValue * 4))
    .refine((a) => Object.keys(a).length <= LIMITS.attrsPerElement, {
      message: `at most ${LIMITS.attrsPerElement} attributes per element`,
    }),
  trunc: z.array(str(256)).max(LIMITS.attrsPerElement).optional(),
  nth: z.tuple([z.number().int().min(1), z.number().int().min(1), z.number().int().min(1), z.number().int().min(1)]),
  text: str(LIMITS.text * 4).optional(),
  textTrunc: z.boolean().optional(),
  root: z.literal('shadow').optional(),
  state: z
    .number()
    .int()
    .min(0)
    .max(2 ** CHAIN_STATES.length - 1)
    .optional(),
});

/** props: a JSON object, nested at most LIMITS.propsDepth levels (the props object itself is one) */
const props = z.record(str(256), z.unknown()).refine((p) => depthOf(p, LIMITS.propsDepth) <= LIMITS.propsDepth, {
  message: `props nested deeper than ${LIMITS.propsDepth} levels`,
});

export const rawEventSchema = z.object({
  id,
  type: z.enum(EVENT_TYPES),
  ts: z.number().finite().nonnegative(),
  sessionId: id,
  anonymousId: id,
  userId: str(256).nullable().optional(),
  url: str(),
  title: str().optional(),
  referrer: str().optional(),
  name: str(1024).optional(),
  props: props.optional(),
  chain: z.array(chainElementSchema).max(LIMITS.chainDepth).optional(),
  nodeId: z.number().int().optional(),
  rec: z.object({ id, seq: z.number().int().nonnegative() }).optional(),
});

export const replayChunkSchema = z.object({
  id,
  sessionId: id,
  rec: id,
  seq: z.number().int().nonnegative(),
  ts: z.number().finite().nonnegative(),
  events: z.array(z.unknown()).max(100_000),
  /** the sender left out ids that rrweb's numbering implies (node-ids.ts) */
  impliedIds: z.literal(true).optional(),
});

export const batchSchema = z.object({
  v: z.literal(WIRE_VERSION),
  sentAt: z.number().finite(),
  key: str(256).optional(),
  events: z.array(rawEventSchema).max(LIMITS.eventsPerBatch),
  replay: z.array(replayChunkSchema).max(LIMITS.chunksPerBatch).optional(),
});

export const stringCondSchema = z.object({
  op: z.enum(STRING_OPS),
  value: str(2048),
});

export const ruleSchema = z
  .object({
    event: str(128).min(1),
    selector: str(4096).min(1).optional(),
    text: stringCondSchema.optional(),
    url: stringCondSchema.optional(),
    name: z.union([str(1024), stringCondSchema]).optional(),
    href: stringCondSchema.optional(),
  })
  .strict();

export const rulesSchema = z.array(ruleSchema).min(1).max(50);

export const definitionInputSchema = z
  .object({
    name: str(200).trim().min(1),
    description: str(4000).optional(),
    category: z.enum(CATEGORIES).optional(),
    rules: rulesSchema,
    properties: z
      .array(
        z
          .object({
            name: str(64).trim().min(1),
            attr: z.string().min(1).max(256).regex(/^[^\s"'>/=]+$/, 'an attribute name').optional(),
            text: z.literal(true).optional(),
          })
          .strict()
          .refine((p) => (p.attr === undefined) !== (p.text === undefined), { message: 'a property takes exactly one of attr or text' }),
      )
      .max(10)
      .refine((ps) => new Set(ps.map((p) => p.name)).size === ps.length, { message: 'property names must be unique' })
      .optional(),
  })
  .strict();

/** Turns a zod error into one readable line: `events.3.chain.0.tag: expected string`. */
export function describeZodError(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`)
    .join('; ');
}

export { z };

/** `PUT /api/settings`: a partial update; unknown keys are refused so typos do not pass silently. */
export const projectSettingsInputSchema = z
  .object({
    namingConvention: z.enum(NAMING_CONVENTIONS).optional(),
  })
  .strict();

/**
 * `batchSchema.safeParse`, with a fast path: a body that `isCleanBatch` vouches for is returned
 * as is (zod would return an equal copy, at ~20 µs per event).
 */
export function parseBatch(body: unknown): { success: true; data: Batch } | { success: false; error: z.ZodError } {
  if (isCleanBatch(body)) return { success: true, data: body as Batch };
  return batchSchema.safeParse(body);
}

export type Batch = z.infer<typeof batchSchema>;
