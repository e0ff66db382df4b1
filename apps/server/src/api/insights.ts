import { Hono } from 'hono';
import { trendBuckets, type Breakdown, type BreakdownSeries, type Store, type TrendPoint } from '@hindsight/store';
import type { PropertySpec, Rule } from '@hindsight/schema';
import { epochMs, json, readJson } from '../http/json.js';
import { badRequest, notFound } from '../http/errors.js';
import type { Engine } from '../engine.js';
import { DAY_MS, dropoffsBody, funnelBody, retentionBody, timeToEventBody, trendBody } from './schemas.js';

const DAY = DAY_MS;
const UA_PROPS = { browser: '$browser', os: '$os', device_type: '$device' } as const;

function toMs(name: string, v: number | string): number {
  const n = epochMs(v);
  if (n === null) throw badRequest(`${name} must be epoch milliseconds or an ISO date (within ±8.64e15 ms)`);
  return Math.floor(n); // events have whole-ms times: an instant inside a ms is that ms
}

/** how many buckets (or cohorts) the store answers with: the partial ones at both ends count */
function bucketCount(interval: 'hour' | 'day' | 'week', from: number, to: number, tzOffsetMinutes?: number): number {
  const b = trendBuckets({ interval, from, to, tzOffsetMinutes });
  return (b.last - b.first) / b.size + 1;
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
    const body = await readJson(c.req.raw, trendBody);
    const { from, to } = range(body.from, body.to);
    const size = { hour: 3.6e6, day: DAY, week: 7 * DAY }[body.interval];
    const buckets = bucketCount(body.interval, from, to, body.tzOffsetMinutes);
    if (buckets > 5000) throw badRequest(`too many ${body.interval} buckets (${buckets}); at most 5000`);
    const rules = await rulesOf(body);
    const property = async (name: string): Promise<PropertySpec> => {
      const def = body.definitionId ? await store.getDefinition(projectId, body.definitionId) : null;
      const p = def?.properties?.find((x) => x.name === name);
      if (!p) throw badRequest(`"${name.slice(0, 64)}" is not a property extracted by this definition`, 'unknown_property');
      return p;
    };
    const where = body.where && { prop: await property(body.where.property), value: body.where.value };
    const filters = (r: { from: number; to: number }) =>
      where ? engine.filtersWhere(projectId, rules, where.prop, where.value, r) : engine.filtersFor(projectId, rules, r);
    const opts = { interval: body.interval, tzOffsetMinutes: body.tzOffsetMinutes };
    const now = await filters({ from, to });
    const res: { series: TrendPoint[]; previous?: TrendPoint[]; breakdown?: BreakdownSeries[] } = {
      series: await store.trend(projectId, now, { ...opts, from, to }),
    };
    if (body.compare) {
      // a whole number of buckets back keeps the bucket boundaries (and so the bucket count)
      const shift = Math.max(1, Math.ceil((to - from + 1) / size)) * size;
      const prev = { from: from - shift, to: to - shift };
      res.previous = await store.trend(projectId, await filters(prev), { ...opts, ...prev });
    }
    if (body.breakdown) {
      // browser, OS and device type are the `$browser`/`$os`/`$device` props ingest derives from the User-Agent
      const b = body.breakdown;
      const bd: Breakdown =
        b.by === 'property'
          ? { kind: 'chain', values: await engine.propertyValues(projectId, rules, await property(b.name)) }
          : b.by === 'event_property'
            ? { kind: 'prop', name: b.name }
            : b.by === 'browser' || b.by === 'os' || b.by === 'device_type'
              ? { kind: 'prop', name: UA_PROPS[b.by] }
              : { kind: b.by };
      res.breakdown = await store.trendBreakdown(projectId, now, { ...opts, from, to, breakdown: bd, limit: body.limit });
    }
    return json(res);
  });

  r.post('/insights/funnel', async (c) => {
    const body = await readJson(c.req.raw, funnelBody);
    const { from, to } = range(body.from, body.to);
    const steps = await Promise.all(body.steps.map(rulesOf));
    return json(await engine.funnel(projectId, steps, body.windowMs, from, to, body.order));
  });

  r.post('/insights/funnel/dropoffs', async (c) => {
    const body = await readJson(c.req.raw, dropoffsBody);
    if (body.step >= body.steps.length) throw badRequest(`step must be 1 to ${body.steps.length - 1}`);
    const { from, to } = range(body.from, body.to);
    const steps = await Promise.all(body.steps.map(rulesOf));
    const users = await engine.funnelDropoffs(projectId, steps, body.windowMs, from, to, body.step, body.limit, body.order);
    // the replay opens at the moment they were last at the funnel
    return json({ users: users.map((u) => ({ ...u, replayUrl: `/sessions/${encodeURIComponent(u.sessionId)}?t=${u.ts}` })) });
  });

  r.post('/insights/retention', async (c) => {
    const body = await readJson(c.req.raw, retentionBody);
    const { from, to } = range(body.from, body.to);
    const cohorts = bucketCount(body.interval, from, to, body.tzOffsetMinutes);
    if (cohorts > 1000) throw badRequest(`too many ${body.interval} cohorts (${cohorts}); at most 1000`);
    const split = body.split && { steps: await Promise.all(body.split.steps.map(rulesOf)), withinMs: body.split.withinMs };
    return json(
      await engine.retention(
        projectId,
        await rulesOf(body.start),
        await rulesOf(body.returning),
        { interval: body.interval, periods: body.periods, from, to, tzOffsetMinutes: body.tzOffsetMinutes },
        split,
      ),
    );
  });

  r.post('/insights/time-to-event', async (c) => {
    const body = await readJson(c.req.raw, timeToEventBody);
    const { from, to } = range(body.from, body.to);
    return json(await engine.timeToEvent(projectId, await rulesOf(body.start), await rulesOf(body.end), from, to, body.windowMs));
  });

  return r;
}
