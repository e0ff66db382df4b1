// Every Hindsight API call, typed. The viewer uses it for all its requests; Node scripts use it
// with `baseUrl` and the admin `token`.
import type { Definition, DefinitionInput, PreviewResult, ProjectSettings, RawEvent, Rule, SessionSummary } from '@hindsight/schema';
import { requester, type ClientOptions, type Requester } from './http.js';
import type { BackfillJob, Delivery, Destination, DestinationInput, DestinationUpdate } from './destination-types.js';
import type {
  DefinitionMatch,
  DefinitionStat,
  FunnelDropoff,
  FunnelQuery,
  FunnelResult,
  InsightTarget,
  ReplayEvent,
  RetentionQuery,
  RetentionResult,
  SessionPage,
  SessionQuery,
  TimeToEventResult,
  CreatedProject,
  Me,
  Project,
  WriteKey,
  TrendQuery,
  TrendResult,
  UserProfile,
} from './types.js';

const enc = encodeURIComponent;

export class HindsightClient {
  private readonly request: Requester;
  /** a copy the requester reads on every call, so setProject applies to the next request */
  private readonly opts: ClientOptions;
  readonly baseUrl: string;

  constructor(opts: ClientOptions = {}) {
    this.opts = { ...opts };
    this.request = requester(this.opts);
    this.baseUrl = (opts.baseUrl ?? '').replace(/\/+$/, '');
  }

  /** the project later calls act on (undefined: the credential's own / `default`) */
  setProject(id: string | undefined): void {
    this.opts.project = id;
  }
  get project(): string | undefined {
    return this.opts.project;
  }

  // ---------------------------------------------------------------- auth (viewer)

  login(token: string): Promise<{ ok: true }> {
    return this.request('POST', '/api/login', { token });
  }
  logout(): Promise<{ ok: true }> {
    return this.request('POST', '/api/logout', {});
  }

  // ---------------------------------------------------------------- sessions and users

  listSessions(q: SessionQuery = {}, signal?: AbortSignal): Promise<SessionPage> {
    const p = new URLSearchParams();
    if (q.limit) p.set('limit', String(q.limit));
    if (q.cursor) p.set('cursor', q.cursor);
    if (q.userId) p.set('userId', q.userId);
    if (q.url) p.set('url', q.url);
    if (q.from !== undefined) p.set('from', String(q.from));
    if (q.to !== undefined) p.set('to', String(q.to));
    if (q.hasError !== undefined) p.set('hasError', String(q.hasError));
    if (q.frustrated !== undefined) p.set('frustrated', String(q.frustrated));
    if (q.minDurationMs) p.set('minDurationMs', String(q.minDurationMs));
    if (q.definitionId) p.set('definitionId', q.definitionId);
    if (q.sort) p.set('sort', q.sort);
    const qs = p.toString();
    return this.request('GET', `/api/sessions${qs ? `?${qs}` : ''}`, undefined, signal);
  }
  getSession(id: string, signal?: AbortSignal): Promise<SessionSummary> {
    return this.request('GET', `/api/sessions/${enc(id)}`, undefined, signal);
  }
  getSessionEvents(id: string, signal?: AbortSignal): Promise<{ events: RawEvent[] }> {
    return this.request('GET', `/api/sessions/${enc(id)}/events`, undefined, signal);
  }
  /** the whole recording (untrusted rrweb events) */
  getSessionReplay(id: string, signal?: AbortSignal): Promise<ReplayEvent[]> {
    return this.request('GET', `/api/sessions/${enc(id)}/replay`, undefined, signal);
  }
  /** per chunk: time span, size, and where playable segments start */
  getReplayIndex<T = unknown>(id: string, signal?: AbortSignal, firstSegment = false, head = false): Promise<T> {
    const q = new URLSearchParams();
    if (firstSegment) q.set('first', 'true');
    if (head) q.set('head', 'true');
    const qs = String(q);
    return this.request('GET', `/api/sessions/${enc(id)}/replay/index${qs ? `?${qs}` : ''}`, undefined, signal);
  }
  /** the chunks' rrweb events (untrusted); at most 200 ids per call */
  getReplayChunks(id: string, ids: string[], signal?: AbortSignal): Promise<{ chunks: { id: string; events: ReplayEvent[] }[] }> {
    return this.request('GET', `/api/sessions/${enc(id)}/replay/chunks?${new URLSearchParams({ ids: ids.join(',') })}`, undefined, signal);
  }
  /** this session's events matching each saved definition */
  async getSessionMatches(id: string, signal?: AbortSignal): Promise<DefinitionMatch[]> {
    return (await this.request<{ matches: DefinitionMatch[] }>('GET', `/api/sessions/${enc(id)}/matches`, undefined, signal)).matches;
  }
  getUser(id: string, signal?: AbortSignal): Promise<UserProfile> {
    return this.request('GET', `/api/users/${enc(id)}`, undefined, signal);
  }

  // ---------------------------------------------------------------- definitions

  previewRules(rules: Rule[], signal?: AbortSignal): Promise<PreviewResult> {
    return this.request('POST', '/api/definitions/preview', { rules }, signal);
  }
  async listDefinitions(signal?: AbortSignal): Promise<Definition[]> {
    return (await this.request<{ definitions: Definition[] }>('GET', '/api/definitions', undefined, signal)).definitions;
  }
  getDefinition(id: string, signal?: AbortSignal): Promise<Definition> {
    return this.request('GET', `/api/definitions/${enc(id)}`, undefined, signal);
  }
  createDefinition(input: DefinitionInput): Promise<Definition> {
    return this.request('POST', '/api/definitions', input);
  }
  updateDefinition(id: string, input: DefinitionInput): Promise<Definition> {
    return this.request('PUT', `/api/definitions/${enc(id)}`, input);
  }
  deleteDefinition(id: string): Promise<unknown> {
    return this.request('DELETE', `/api/definitions/${enc(id)}`);
  }
  async listDefinitionVersions(id: string, signal?: AbortSignal): Promise<Definition[]> {
    return (await this.request<{ versions: Definition[] }>('GET', `/api/definitions/${enc(id)}/versions`, undefined, signal)).versions;
  }
  /** 7/30-day counts and a daily series of every definition (days end at local midnight) */
  async definitionStats(tzOffsetMinutes = -new Date().getTimezoneOffset(), signal?: AbortSignal): Promise<DefinitionStat[]> {
    return (await this.request<{ stats: DefinitionStat[] }>('GET', `/api/definitions/stats?tzOffsetMinutes=${tzOffsetMinutes}`, undefined, signal)).stats;
  }
  /** the tracking plan as CSV or Markdown text */
  exportPlan(format: 'csv' | 'md', signal?: AbortSignal): Promise<string> {
    return this.request('GET', this.planExportPath(format), undefined, signal);
  }
  /** path of the tracking-plan download (the viewer links to it; the cookie authenticates) */
  planExportPath(format: 'csv' | 'md'): string {
    // a plain link sends no X-Hindsight-Project header, so the project goes in the query
    const project = this.opts.project ? `&project=${enc(this.opts.project)}` : '';
    return `/api/definitions/export?format=${format}${project}`;
  }

  // ---------------------------------------------------------------- insights

  trend(q: TrendQuery, signal?: AbortSignal): Promise<TrendResult> {
    return this.request('POST', '/api/insights/trend', q, signal);
  }
  funnel(q: FunnelQuery, signal?: AbortSignal): Promise<FunnelResult> {
    return this.request('POST', '/api/insights/funnel', q, signal);
  }
  funnelDropoffs(
    q: FunnelQuery & { step: number; limit?: number },
    signal?: AbortSignal,
  ): Promise<{ users: FunnelDropoff[] }> {
    return this.request('POST', '/api/insights/funnel/dropoffs', q, signal);
  }
  retention(q: RetentionQuery, signal?: AbortSignal): Promise<RetentionResult> {
    return this.request('POST', '/api/insights/retention', q, signal);
  }
  timeToEvent(q: { start: InsightTarget; end: InsightTarget; windowMs: number; from: number; to: number }, signal?: AbortSignal): Promise<TimeToEventResult> {
    return this.request('POST', '/api/insights/time-to-event', q, signal);
  }

  // ---------------------------------------------------------------- destinations (webhooks)

  async listDestinations(signal?: AbortSignal): Promise<Destination[]> {
    return (await this.request<{ destinations: Destination[] }>('GET', '/api/destinations', undefined, signal)).destinations;
  }
  getDestination(id: string, signal?: AbortSignal): Promise<Destination> {
    return this.request('GET', `/api/destinations/${enc(id)}`, undefined, signal);
  }
  createDestination(input: DestinationInput): Promise<Destination> {
    return this.request('POST', '/api/destinations', input);
  }
  updateDestination(id: string, input: DestinationUpdate): Promise<Destination> {
    return this.request('PUT', `/api/destinations/${enc(id)}`, input);
  }
  deleteDestination(id: string): Promise<{ ok: true }> {
    return this.request('DELETE', `/api/destinations/${enc(id)}`);
  }
  async listDeadLetters(id: string, limit?: number, signal?: AbortSignal): Promise<Delivery[]> {
    const qs = limit ? `?limit=${limit}` : '';
    return (await this.request<{ deadLetters: Delivery[] }>('GET', `/api/destinations/${enc(id)}/dead-letters${qs}`, undefined, signal)).deadLetters;
  }
  /** queue dead letters again: all of the destination's, or these delivery ids */
  retryDeadLetters(id: string, ids?: string[]): Promise<{ retried: number }> {
    return this.request('POST', `/api/destinations/${enc(id)}/dead-letters/retry`, ids ? { ids } : {});
  }
  /** send the past matches of a definition; poll getBackfill for progress */
  startBackfill(id: string, definitionId: string): Promise<{ jobId: string; job: BackfillJob }> {
    return this.request('POST', `/api/destinations/${enc(id)}/backfill`, { definitionId });
  }
  async listBackfills(id: string, signal?: AbortSignal): Promise<BackfillJob[]> {
    return (await this.request<{ jobs: BackfillJob[] }>('GET', `/api/destinations/${enc(id)}/backfills`, undefined, signal)).jobs;
  }
  getBackfill(id: string, jobId: string, signal?: AbortSignal): Promise<BackfillJob> {
    return this.request('GET', `/api/destinations/${enc(id)}/backfills/${enc(jobId)}`, undefined, signal);
  }

  // ---------------------------------------------------------------- settings and meta

  getSettings(signal?: AbortSignal): Promise<ProjectSettings> {
    return this.request('GET', '/api/settings', undefined, signal);
  }
  putSettings(input: Partial<ProjectSettings>): Promise<ProjectSettings> {
    return this.request('PUT', '/api/settings', input);
  }
  me(signal?: AbortSignal): Promise<Me> {
    return this.request('GET', '/api/me', undefined, signal);
  }

  // ---------------------------------------------------------------- projects and credentials

  async listProjects(signal?: AbortSignal): Promise<Project[]> {
    return (await this.request<{ projects: Project[] }>('GET', '/api/projects', undefined, signal)).projects;
  }
  /** server admin only; the admin token in the answer is never shown again */
  createProject(name: string): Promise<CreatedProject> {
    return this.request('POST', '/api/projects', { name });
  }
  /** the server admin renames any project, a project admin its own; the id stays */
  async renameProject(id: string, name: string): Promise<Project> {
    return (await this.request<{ project: Project }>('PUT', `/api/projects/${enc(id)}`, { name })).project;
  }
  /** deletes the project and all its data (server admin only; `default` cannot be deleted) */
  deleteProject(id: string): Promise<{ deleted: string; events: number; chunks: number }> {
    return this.request('DELETE', `/api/projects/${enc(id)}`, { confirm: id });
  }
  async listWriteKeys(signal?: AbortSignal): Promise<WriteKey[]> {
    return (await this.request<{ keys: WriteKey[] }>('GET', '/api/keys', undefined, signal)).keys;
  }
  /** a new live key; the old ones stay live until revoked */
  createWriteKey(): Promise<WriteKey> {
    return this.request('POST', '/api/keys');
  }
  revokeWriteKey(id: string): Promise<WriteKey> {
    return this.request('DELETE', `/api/keys/${enc(id)}`);
  }
  /** a new admin token for the current (non-default) project; the old one stops working */
  rotateAdminToken(): Promise<{ project: string; adminToken: string }> {
    return this.request('POST', '/api/admin-token/rotate');
  }

  openApi(signal?: AbortSignal): Promise<Record<string, unknown>> {
    return this.request('GET', '/api/openapi.json', undefined, signal);
  }
}
