import { Hono } from 'hono';
import { z } from 'zod';
import type { Store } from '@hindsight/store';
import { rulesSchema } from '@hindsight/schema/validate';
import type { Rule } from '@hindsight/schema';
import { json, readJson } from '../http/json.js';
import { badRequest, notFound } from '../http/errors.js';
import type { Engine } from '../engine.js';

const time = z.union([z.number().finite(), z.string().max(64)]);
const target = z
  .object({ definitionId: z.string().max(64).optional(), rules: rulesSchema.optional() })
  .refine((t) => (t.definitionId === undefined) !== (t.rules === undefined), {
    message: 'give exactly one of definitionId or rules',
  });

function toMs(name: string, v: number | string): number {
  const n = typeof v === 'number' ? v : /^-?\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(n)) throw badRequest(`${name} must be epoch milliseconds or an ISO date`);
  return n;
}

export function insightRoutes(store: Store, engine: Engine, projectId: string) {
  const r = new Hono();
  const rulesOf = async (t: { definitionId?: string; rules?: unknown }): Promise<Rule[]> => {
    if (t.rules) return t.rules as Rule[];
    const d = await store.getDefinition(projectId, t.definitionId!);
    if (!d) throw notFound(`no such definition: ${t.definitionId}`);
    return d.rules;
  };
  const range = (from: number | string, to: number | string) => {
    const f = toMs('from', from);
    const t = toMs('to', to);
    if (t < f) throw badRequest('to must not be before from');
    return { from: f, to: t };
  };

  r.post('/insights/trend', async (c) => {
    const body = await readJson(
      c.req.raw,
      z.intersection(
        target,
        z.object({
          interval: z.enum(['hour', 'day', 'week']),
          from: time,
          to: time,
          // minutes east of UTC for local day/week boundaries (CET = 60; JS getTimezoneOffset() is the negation)
          tzOffsetMinutes: z.number().int().min(-1440).max(1440).optional(),
        }),
      ),
    );
    const { from, to } = range(body.from, body.to);
    const buckets = (to - from) / { hour: 3.6e6, day: 8.64e7, week: 6.048e8 }[body.interval];
    if (buckets > 5000) throw badRequest(`too many ${body.interval} buckets (${Math.ceil(buckets)}); at most 5000`);
    return json(await engine.trend(projectId, await rulesOf(body), body.interval, from, to, body.tzOffsetMinutes));
  });

  r.post('/insights/funnel', async (c) => {
    const body = await readJson(
      c.req.raw,
      z.object({
        steps: z.array(target).min(1).max(20),
        windowMs: z.number().int().positive().max(366 * 24 * 3600 * 1000),
        from: time,
        to: time,
      }),
    );
    const { from, to } = range(body.from, body.to);
    const steps = await Promise.all(body.steps.map(rulesOf));
    return json(await engine.funnel(projectId, steps, body.windowMs, from, to));
  });

  return r;
}
