// /api/destinations: webhooks that receive matches of definitions (docs/destinations.md).
import { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import type { Destination, Store } from '@hindsight/store';
import { backfillBody, deadLetterRetryBody, destinationCreateBody, destinationUpdateBody } from './schemas.js';
import { json, parseIntParam, readJson } from '../http/json.js';
import { HttpError, notFound } from '../http/errors.js';
import { newSecret } from '../destinations/signature.js';
import { receives } from '../destinations/live.js';
import type { DestinationService } from '../destinations/service.js';

/** the destination with its delivery counts */
async function view(store: Store, projectId: string, d: Destination) {
  return { ...d, deliveries: await store.destinations.deliveryCounts(projectId, { destinationId: d.id }) };
}

/** a list of definition ids must name existing definitions */
async function checkDefinitions(store: Store, projectId: string, defs: Destination['definitions'] | undefined): Promise<void> {
  if (defs === undefined || defs === 'all') return;
  const known = new Set((await store.listDefinitions(projectId)).map((d) => d.id));
  const unknown = defs.filter((id) => !known.has(id));
  if (unknown.length) throw new HttpError(400, 'unknown_definition', `no such definition: ${unknown.slice(0, 5).join(', ')}`);
}

export function destinationRoutes(store: Store, service: DestinationService, projectId: string) {
  const r = new Hono();
  const load = async (id: string): Promise<Destination> => {
    const d = await store.destinations.getDestination(projectId, id);
    if (!d) throw notFound('no such destination');
    return d;
  };

  r.get('/destinations', async () => {
    const list = await store.destinations.listDestinations(projectId);
    return json({ destinations: await Promise.all(list.map((d) => view(store, projectId, d))) });
  });

  r.post('/destinations', async (c) => {
    const input = await readJson(c.req.raw, destinationCreateBody);
    await checkDefinitions(store, projectId, input.definitions);
    const now = Date.now();
    const d: Destination = {
      id: randomUUID(),
      name: input.name,
      url: input.url,
      secret: newSecret(),
      definitions: input.definitions ?? 'all',
      enabled: input.enabled ?? true,
      createdAt: now,
      updatedAt: now,
    };
    await store.destinations.saveDestination(projectId, d);
    return json(await view(store, projectId, d), 201);
  });

  r.get('/destinations/:id', async (c) => json(await view(store, projectId, await load(c.req.param('id')))));

  r.put('/destinations/:id', async (c) => {
    const old = await load(c.req.param('id'));
    const input = await readJson(c.req.raw, destinationUpdateBody);
    await checkDefinitions(store, projectId, input.definitions);
    const { rotateSecret, ...changes } = input;
    const d: Destination = { ...old, ...changes, ...(rotateSecret ? { secret: newSecret() } : {}), updatedAt: Date.now() };
    await store.destinations.saveDestination(projectId, d);
    // enabling it again makes its waiting deliveries due
    if (d.enabled) service.sender.wake();
    return json(await view(store, projectId, d));
  });

  r.delete('/destinations/:id', async (c) => {
    if (!(await store.destinations.deleteDestination(projectId, c.req.param('id')))) throw notFound('no such destination');
    return json({ ok: true });
  });

  r.get('/destinations/:id/dead-letters', async (c) => {
    const d = await load(c.req.param('id'));
    const limit = parseIntParam('limit', c.req.query('limit'), 1, 1000) ?? 100;
    return json({ deadLetters: await store.destinations.listDeliveries(projectId, { destinationId: d.id, state: 'dead', limit }) });
  });

  r.post('/destinations/:id/dead-letters/retry', async (c) => {
    const d = await load(c.req.param('id'));
    const { ids } = await readJson(c.req.raw, deadLetterRetryBody);
    return json({ retried: await service.retryDead(projectId, d.id, ids) });
  });

  r.post('/destinations/:id/backfill', async (c) => {
    const d = await load(c.req.param('id'));
    const { definitionId } = await readJson(c.req.raw, backfillBody);
    const def = await store.getDefinition(projectId, definitionId);
    if (!def) throw new HttpError(400, 'unknown_definition', 'no such definition');
    if (!receives(d, def.id)) throw new HttpError(400, 'not_subscribed', 'this destination does not receive that definition; add it to the destination first');
    const job = await service.backfills.start(projectId, d, def);
    return json({ jobId: job.id, job: await service.backfills.view(projectId, job) }, 202);
  });

  r.get('/destinations/:id/backfills', async (c) => {
    const d = await load(c.req.param('id'));
    const jobs = await store.destinations.listBackfillJobs(projectId, d.id);
    return json({ jobs: await Promise.all(jobs.map((j) => service.backfills.view(projectId, j))) });
  });

  r.get('/destinations/:id/backfills/:jobId', async (c) => {
    const d = await load(c.req.param('id'));
    const job = await store.destinations.getBackfillJob(projectId, c.req.param('jobId'));
    if (!job || job.destinationId !== d.id) throw notFound('no such backfill job');
    return json(await service.backfills.view(projectId, job));
  });

  return r;
}
