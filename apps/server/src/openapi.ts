// The OpenAPI 3.1 document of every HTTP endpoint, served at /api/openapi.json. Request bodies are
// generated from the zod schemas the routes validate with (api/schemas.ts, the schema package), so
// the document cannot drift from what the server accepts; test/openapi.test.ts checks that every
// route of the app is documented and every documented operation exists.
import { z } from 'zod';
import { batchSchema } from '@hindsight/schema/validate';
import * as S from './api/schemas.js';
import { SEGMENT_SCHEMAS, segmentMessageSchema } from './segment/map.js';

type Method = 'get' | 'post' | 'put' | 'delete';
type Auth = 'admin' | 'writeKey' | 'segment' | 'none';

export interface Operation {
  method: Method;
  /** OpenAPI path (`{id}` parameters) */
  path: string;
  summary: string;
  tag: 'ingest' | 'sessions' | 'definitions' | 'insights' | 'users' | 'settings' | 'auth' | 'projects' | 'destinations' | 'segment' | 'meta';
  auth: Auth;
  body?: z.ZodType;
  query?: { name: string; schema: Record<string, unknown>; description: string }[];
  /** success status when not 200 (201 for creations) */
  status?: number;
  /** response content type when not JSON */
  produces?: string;
}

const int = { type: 'integer' };
const str = { type: 'string' };
const bool = { type: 'boolean' };
const q = (name: string, schema: Record<string, unknown>, description: string) => ({ name, schema, description });

export const OPERATIONS: Operation[] = [
  { method: 'get', path: '/healthz', summary: 'Liveness and the store in use', tag: 'meta', auth: 'none' },
  { method: 'post', path: '/v1/batch', summary: 'Ingest a recorder batch (gzip or JSON; events and replay chunks)', tag: 'ingest', auth: 'writeKey', body: batchSchema, query: [q('key', str, 'write key (or X-Hindsight-Key, or "key" in the body)')] },
  ...(['track', 'identify', 'page', 'screen', 'group', 'alias'] as const).map(
    (t): Operation => ({
      method: 'post',
      path: `/segment/v1/${t}`,
      summary: `Segment-compatible ${t} call (anonymousId or userId required)`,
      tag: 'segment',
      auth: 'segment',
      // the path gives the type
      body: SEGMENT_SCHEMAS[t].extend({ type: SEGMENT_SCHEMAS[t].shape.type.optional() }),
    }),
  ),
  ...(['batch', 'import'] as const).map(
    (t): Operation => ({
      method: 'post',
      path: `/segment/v1/${t}`,
      summary: `Segment-compatible ${t}: several messages at once`,
      tag: 'segment',
      auth: 'segment',
      body: z.object({ batch: z.array(segmentMessageSchema).max(5000), sentAt: z.union([z.string(), z.number()]).optional() }),
    }),
  ),
  ...(['recorder.js', 'recorder.worker.js', 'index.mjs'] as const).map(
    (f): Operation => ({ method: 'get', path: `/${f}`, summary: `The recorder bundle (${f}), CORS-enabled`, tag: 'meta', auth: 'none', produces: 'text/javascript' }),
  ),
  { method: 'get', path: '/api/openapi.json', summary: 'This document', tag: 'meta', auth: 'none' },
  { method: 'post', path: '/api/login', summary: 'Log in with the server or a project admin token: sets the viewer session cookie for its scope', tag: 'auth', auth: 'none', body: S.loginBody },
  { method: 'post', path: '/api/logout', summary: 'Clear the session cookie', tag: 'auth', auth: 'none' },
  { method: 'get', path: '/api/me', summary: 'The caller’s project, its name, and whether the caller is the server admin', tag: 'auth', auth: 'admin' },
  { method: 'get', path: '/api/projects', summary: 'Projects (every one for the server admin, else the caller’s own)', tag: 'projects', auth: 'admin' },
  { method: 'post', path: '/api/projects', summary: 'Create a project: its admin token and first write key, shown once (server admin only)', tag: 'projects', auth: 'admin', body: S.createProjectBody, status: 201 },
  { method: 'put', path: '/api/projects/{id}', summary: 'Rename a project (the server admin any, a project admin its own); its id stays', tag: 'projects', auth: 'admin', body: S.createProjectBody },
  { method: 'delete', path: '/api/projects/{id}', summary: 'Delete a project and all its data (server admin only; body {confirm: id}; not `default`)', tag: 'projects', auth: 'admin', body: S.deleteProjectBody },
  { method: 'get', path: '/api/keys', summary: 'The project’s write keys, revoked ones included', tag: 'projects', auth: 'admin' },
  { method: 'post', path: '/api/keys', summary: 'A new live write key (the old ones stay live: rotation)', tag: 'projects', auth: 'admin', status: 201 },
  { method: 'delete', path: '/api/keys/{id}', summary: 'Revoke a write key (409 for the last live one)', tag: 'projects', auth: 'admin' },
  { method: 'post', path: '/api/admin-token/rotate', summary: 'A new admin token for the project; the old one and its cookies stop working', tag: 'projects', auth: 'admin' },
  {
    method: 'get',
    path: '/api/sessions',
    summary: 'List sessions, filtered and sorted, with a cursor',
    tag: 'sessions',
    auth: 'admin',
    query: [
      q('limit', int, '1–500, default 50'),
      q('cursor', str, 'the previous page’s `next`'),
      q('userId', str, 'identified user (their anonymous sessions included)'),
      q('url', str, 'some event URL contains this'),
      q('from', str, 'session start ≥ (epoch ms or ISO date)'),
      q('to', str, 'session start ≤ (epoch ms or ISO date)'),
      q('hasError', bool, 'has an error event'),
      q('frustrated', bool, 'has a rage or dead click'),
      q('minDurationMs', int, 'last event − first event ≥'),
      q('definitionId', str, 'performed this named event'),
      q('sort', { enum: ['newest', 'oldest', 'longest', 'most_events'] }, 'order, ties by id'),
    ],
  },
  { method: 'get', path: '/api/sessions/{id}', summary: 'One session summary', tag: 'sessions', auth: 'admin' },
  { method: 'get', path: '/api/sessions/{id}/events', summary: 'The session’s raw events in time order', tag: 'sessions', auth: 'admin' },
  { method: 'get', path: '/api/sessions/{id}/replay', summary: 'The session’s rrweb events in order (untrusted: replay sandboxed)', tag: 'sessions', auth: 'admin' },
  {
    method: 'get',
    path: '/api/sessions/{id}/replay/index',
    summary: 'Per replay chunk: time span, size and where playable segments (full snapshots) start',
    tag: 'sessions',
    auth: 'admin',
    query: [
      q('first', bool, 'answer with a time prefix holding the start of the first segment (enough for a first frame)'),
      q('head', bool, 'also send `head`: the bodies ({ id, events }) of the chunks holding the start of the first segment (its Meta and FullSnapshot)'),
    ],
  },
  {
    method: 'get',
    path: '/api/sessions/{id}/replay/chunks',
    summary: 'The rrweb events of some replay chunks (untrusted), to load a long session progressively',
    tag: 'sessions',
    auth: 'admin',
    query: [q('ids', str, 'comma-separated chunk ids from the index, at most 200')],
  },
  { method: 'get', path: '/api/sessions/{id}/matches', summary: 'This session’s events matching each saved definition (timeline markers)', tag: 'sessions', auth: 'admin' },
  { method: 'get', path: '/api/users/{id}', summary: 'A user’s profile: traits, sessions, events', tag: 'users', auth: 'admin' },
  { method: 'post', path: '/api/definitions/preview', summary: 'Count events matching rules over all history, with samples', tag: 'definitions', auth: 'admin', body: S.previewBody },
  { method: 'get', path: '/api/definitions', summary: 'List definitions (latest versions)', tag: 'definitions', auth: 'admin' },
  { method: 'post', path: '/api/definitions', summary: 'Create a definition', tag: 'definitions', auth: 'admin', body: S.definitionBody },
  { method: 'get', path: '/api/definitions/export', summary: 'The tracking plan as CSV or Markdown', tag: 'definitions', auth: 'admin', query: [q('format', { enum: ['csv', 'md'] }, 'default csv')], produces: 'text/csv' },
  { method: 'get', path: '/api/definitions/stats', summary: '7- and 30-day counts and daily series of every definition', tag: 'definitions', auth: 'admin', query: [q('tzOffsetMinutes', int, 'minutes east of UTC for local days')] },
  { method: 'get', path: '/api/definitions/{id}', summary: 'One definition', tag: 'definitions', auth: 'admin' },
  { method: 'put', path: '/api/definitions/{id}', summary: 'Update a definition (a new version)', tag: 'definitions', auth: 'admin', body: S.definitionBody },
  { method: 'delete', path: '/api/definitions/{id}', summary: 'Delete a definition', tag: 'definitions', auth: 'admin' },
  { method: 'get', path: '/api/definitions/{id}/versions', summary: 'Every version of a definition', tag: 'definitions', auth: 'admin' },
  { method: 'get', path: '/api/definitions/{id}/events', summary: 'Matching events, paged', tag: 'definitions', auth: 'admin', query: [q('limit', int, 'page size'), q('offset', int, 'skip')] },
  { method: 'post', path: '/api/insights/trend', summary: 'Events and users per bucket; comparison, breakdowns, property filters', tag: 'insights', auth: 'admin', body: S.trendBody },
  { method: 'post', path: '/api/insights/funnel', summary: 'Funnel (steps in order, or in any order): users, conversion and median time per step', tag: 'insights', auth: 'admin', body: S.funnelBody },
  { method: 'post', path: '/api/insights/funnel/dropoffs', summary: 'Users who dropped before a funnel step, with replay links', tag: 'insights', auth: 'admin', body: S.dropoffsBody },
  { method: 'post', path: '/api/insights/retention', summary: 'Retention cohorts, optionally split by a condition', tag: 'insights', auth: 'admin', body: S.retentionBody },
  { method: 'post', path: '/api/insights/time-to-event', summary: 'Distribution of the time from one event to another', tag: 'insights', auth: 'admin', body: S.timeToEventBody },
  { method: 'get', path: '/api/settings', summary: 'Project settings (naming convention)', tag: 'settings', auth: 'admin' },
  { method: 'put', path: '/api/settings', summary: 'Change project settings', tag: 'settings', auth: 'admin', body: S.settingsBody },
  { method: 'get', path: '/api/destinations', summary: 'Webhook destinations with delivery counts', tag: 'destinations', auth: 'admin' },
  { method: 'post', path: '/api/destinations', summary: 'Create a webhook destination (its signing secret is generated)', tag: 'destinations', auth: 'admin', body: S.destinationCreateBody, status: 201 },
  { method: 'get', path: '/api/destinations/{id}', summary: 'One destination with delivery counts', tag: 'destinations', auth: 'admin' },
  { method: 'put', path: '/api/destinations/{id}', summary: 'Change a destination (name, URL, definitions, enabled, new secret)', tag: 'destinations', auth: 'admin', body: S.destinationUpdateBody },
  { method: 'delete', path: '/api/destinations/{id}', summary: 'Delete a destination (its queued deliveries are dropped)', tag: 'destinations', auth: 'admin' },
  { method: 'get', path: '/api/destinations/{id}/dead-letters', summary: 'Deliveries that failed for good, newest first', tag: 'destinations', auth: 'admin', query: [q('limit', int, '1–1000, default 100')] },
  { method: 'post', path: '/api/destinations/{id}/dead-letters/retry', summary: 'Queue dead letters again (all, or these ids)', tag: 'destinations', auth: 'admin', body: S.deadLetterRetryBody },
  { method: 'post', path: '/api/destinations/{id}/backfill', summary: 'Send the past matches of a definition (a background job)', tag: 'destinations', auth: 'admin', body: S.backfillBody, status: 202 },
  { method: 'get', path: '/api/destinations/{id}/backfills', summary: 'Backfill jobs of a destination with progress, newest first', tag: 'destinations', auth: 'admin' },
  { method: 'get', path: '/api/destinations/{id}/backfills/{jobId}', summary: 'Progress of one backfill job', tag: 'destinations', auth: 'admin' },
];

const jsonSchema = (s: z.ZodType) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const SECURITY: Record<Auth, Record<string, string[]>[]> = {
  admin: [{ bearer: [] }, { cookie: [] }],
  writeKey: [{ writeKeyQuery: [] }, { writeKeyHeader: [] }],
  segment: [{ segmentBasic: [] }],
  none: [],
};

/** The OpenAPI 3.1 document (built once per process; it only depends on code). */
export function openApiDocument(version: string, extra: Operation[] = []): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of [...OPERATIONS, ...extra]) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: str }));
    const query = (op.query ?? []).map((p) => ({ name: p.name, in: 'query', required: false, schema: p.schema, description: p.description }));
    const ok = op.produces
      ? { description: 'OK', content: { [op.produces]: { schema: str } } }
      : { description: 'OK', content: { 'application/json': { schema: {} } } };
    (paths[op.path] ??= {})[op.method] = {
      operationId: `${op.method}${op.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: op.summary,
      tags: [op.tag],
      security: SECURITY[op.auth],
      ...(params.length || query.length ? { parameters: [...params, ...query] } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } } } : {}),
      responses: {
        [String(op.status ?? (op.method === 'post' && op.path === '/api/definitions' ? 201 : 200))]: ok,
        '4XX': { description: 'Bad input, auth or not found', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Hindsight API', version, description: 'Self-hosted auto-capture analytics: ingest, sessions, definitions, insights. See docs/api.md.' },
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'the server admin token or a project admin token (X-Hindsight-Project picks the server admin’s project)' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'hs_session', description: 'set by POST /api/login' },
        writeKeyQuery: { type: 'apiKey', in: 'query', name: 'key', description: 'public write key' },
        writeKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Hindsight-Key', description: 'public write key' },
        segmentBasic: { type: 'http', scheme: 'basic', description: 'the write key as user name, empty password' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: str, message: str } } },
        },
      },
    },
  };
}
