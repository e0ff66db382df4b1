// Request bodies of the admin API, in one place: the routes validate with these and the OpenAPI
// document (../openapi.ts) is generated from these, so the two cannot drift.
import { z } from 'zod';
import { definitionInputSchema, projectSettingsInputSchema, rulesSchema } from '@hindsight/schema/validate';
import { PROP_NAME } from '@hindsight/schema';

export const DAY_MS = 24 * 3600 * 1000;
/** epoch ms or an ISO date */
export const timeSchema = z.union([z.number().finite(), z.string().max(64)]);
/** what an insight counts: a saved definition or ad-hoc rules */
export const targetSchema = z
  .object({ definitionId: z.string().max(64).optional(), rules: rulesSchema.optional() })
  .refine((t) => (t.definitionId === undefined) !== (t.rules === undefined), {
    message: 'give exactly one of definitionId or rules',
  });
const tz = z.number().int().min(-1440).max(1440);

export const loginBody = z.object({ token: z.string().max(1024) });
export const previewBody = z.object({ rules: rulesSchema }).strict();
export const definitionBody = definitionInputSchema;
export const settingsBody = projectSettingsInputSchema;
export const createProjectBody = z.object({ name: z.string().trim().min(1, 'a project needs a name').max(100) }).strict();
/** DELETE /api/projects/:id: the id typed again, so a stray request deletes nothing */
export const deleteProjectBody = z.object({ confirm: z.string().max(100) }).strict();

export const trendBody = z.intersection(
  targetSchema,
  z.object({
    interval: z.enum(['hour', 'day', 'week']),
    from: timeSchema,
    to: timeSchema,
    // minutes east of UTC for local day/week boundaries (CET = 60; JS getTimezoneOffset() is the negation)
    tzOffsetMinutes: tz.optional(),
    // also return the same number of buckets just before (`previous`, same order)
    compare: z.boolean().optional(),
    // also return one series per value (the `limit` values with the most events)
    breakdown: z
      .union([
        z.object({ by: z.enum(['url_path', 'referrer_domain', 'utm_source', 'event_name', 'browser', 'os', 'device_type']) }).strict(),
        // a property the definition extracts from the matched element
        z.object({ by: z.literal('property'), name: z.string().min(1).max(64) }).strict(),
        // a top-level string property of the events (track() props)
        z.object({ by: z.literal('event_property'), name: z.string().regex(PROP_NAME, 'a property name: letters, digits, $ _ . -') }).strict(),
      ])
      .optional(),
    limit: z.number().int().min(1).max(50).optional(),
    // only events whose extracted property (of the definition) has this value
    where: z.object({ property: z.string().min(1).max(64), value: z.string().max(2048) }).strict().optional(),
  }),
);

/** steps in the given order (default) or in any order (packages/store/insights.md) */
const funnelOrder = z.enum(['strict', 'any']);

export const funnelBody = z.object({
  steps: z.array(targetSchema).min(1).max(20),
  windowMs: z.number().int().positive().max(366 * DAY_MS),
  from: timeSchema,
  to: timeSchema,
  order: funnelOrder.optional(),
});

export const dropoffsBody = z.object({
  steps: z.array(targetSchema).min(2).max(20),
  windowMs: z.number().int().positive().max(366 * DAY_MS),
  from: timeSchema,
  to: timeSchema,
  order: funnelOrder.optional(),
  // users who reached step - 1 but not step
  step: z.number().int().min(1).max(19),
  limit: z.number().int().min(1).max(500).optional(),
});

export const retentionBody = z.object({
  start: targetSchema,
  returning: targetSchema,
  interval: z.enum(['day', 'week']),
  periods: z.number().int().min(1).max(60),
  from: timeSchema,
  to: timeSchema,
  tzOffsetMinutes: tz.optional(),
  // "did X, Y and Z within 48 h of the start event" versus the rest
  split: z.object({ steps: z.array(targetSchema).min(1).max(10), withinMs: z.number().int().min(0).max(366 * DAY_MS) }).optional(),
});

export const timeToEventBody = z.object({
  start: targetSchema,
  end: targetSchema,
  windowMs: z.number().int().positive().max(366 * DAY_MS),
  from: timeSchema,
  to: timeSchema,
});

// ---- destinations (webhooks)
const httpUrl = z
  .string()
  .max(2048)
  .refine((u) => {
    try {
      const p = new URL(u).protocol;
      return p === 'http:' || p === 'https:';
    } catch {
      return false;
    }
  }, 'an absolute http:// or https:// URL');
/** 'all' = every definition, including ones created later */
const destinationDefinitions = z.union([z.literal('all'), z.array(z.string().min(1).max(64)).min(1).max(500)]);
export const destinationCreateBody = z
  .object({ name: z.string().trim().min(1).max(200), url: httpUrl, definitions: destinationDefinitions.optional(), enabled: z.boolean().optional() })
  .strict();
export const destinationUpdateBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    url: httpUrl.optional(),
    definitions: destinationDefinitions.optional(),
    enabled: z.boolean().optional(),
    // a new secret; receivers must switch to it
    rotateSecret: z.boolean().optional(),
  })
  .strict();
export const deadLetterRetryBody = z.object({ ids: z.array(z.string().min(1).max(128)).min(1).max(1000).optional() }).strict();
export const backfillBody = z.object({ definitionId: z.string().min(1).max(64) }).strict();
