// The one storage interface the server talks to. DuckDB (embedded default) and ClickHouse
// (scale-out) implement it; test/contract.ts runs the same suite against both.
import type { DestinationStore } from './destination-types.js';
import type { ChainElement, Definition, DefinitionInput, RawEvent, ReplayChunk, SessionSort, SessionSummary, StringCond } from '@hindsight/schema';

export type ProjectId = string;

/** An event as stored: the wire event plus server-side fields. */
export interface StoredEvent extends RawEvent {
  projectId?: ProjectId;
  /** server receive time (epoch ms) */
  receivedAt: number;
  /** hash of the canonical chain JSON (hex), '' when the event has no chain */
  chainHash: string;
}

export interface SessionQuery {
  limit?: number; // default 50, max 500
  cursor?: string | null; // opaque, from a previous `next`
  userId?: string;
  /** sessions having at least one event whose url contains this */
  url?: string;
  /** epoch ms, inclusive bounds on session start */
  from?: number;
  to?: number;
  hasError?: boolean;
  /** sessions with (true) / without (false) a rage or dead click */
  frustrated?: boolean;
  /** endedAt - startedAt >= this many ms */
  minDurationMs?: number;
  /**
   * sessions having at least one event matching ANY of these filters ("performed definition X");
   * an empty list matches no session
   */
  events?: EventFilter[];
  /** default 'newest'; a cursor only continues the order it was made for */
  sort?: SessionSort;
}

/**
 * A compiled event filter. All present parts must hold (AND).
 * chainHashes limits to events whose chain hash is in the set (the definitions engine decides
 * which chains match a selector; the store only does set membership).
 * Set parts (types, chainHashes, sessionIds, eventIds) that are present but empty match nothing;
 * from/to are inclusive epoch ms; url/name: exact = equality, contains = literal substring
 * (no wildcards), regex = RE2 partial match (`.` does not match a newline unless `(?s)`).
 * An empty filter `{}` matches every event; an empty filter list matches none.
 */
export interface EventFilter {
  types?: string[];
  chainHashes?: string[];
  url?: StringCond;
  name?: StringCond;
  from?: number;
  to?: number;
  sessionIds?: string[];
  eventIds?: string[];
  /** epoch ms, inclusive: events the server received at or after this (receivedAt) */
  receivedFrom?: number;
}

export interface MatchCounts {
  events: number;
  sessions: number;
  /** distinct users: identified user id when known (identify links the anonymous id), else the anonymous id */
  users: number;
  /** newest first, at most sampleSize */
  sample: { eventId: string; sessionId: string; ts: number }[];
}

export type TrendInterval = 'hour' | 'day' | 'week';

export interface TrendOptions {
  interval: TrendInterval;
  /** epoch ms, inclusive; buckets run from the one containing `from` to the one containing `to` */
  from: number;
  to: number;
  /** minutes east of UTC (local = UTC + offset; CET = 60) for bucket boundaries; default 0 */
  tzOffsetMinutes?: number;
}

export interface TrendPoint {
  /** bucket start, epoch ms (weeks start on Monday) */
  t: number;
  events: number;
  /** distinct users in the bucket (same user resolution as MatchCounts.users) */
  users: number;
}

export interface FunnelOptions {
  /** max ms between a user's step-0 event and the event of the last step reached */
  windowMs: number;
  /** epoch ms, inclusive bounds on the step-0 event; later steps may happen up to `to + windowMs` */
  from: number;
  to: number;
  /**
   * 'strict' (default): steps in the given order. 'any': the steps in any order, counted as distinct
   * steps done within the window from the attempt's first event (any step; it is the one bounded by
   * from/to). insights.md has both exactly.
   */
  order?: FunnelOrder;
}

export type FunnelOrder = 'strict' | 'any';

export interface DropoffOptions extends FunnelOptions {
  /** 1 … steps-1: users who reached step `step - 1` but not `step` */
  step: number;
  /** default 50, at most 500 */
  limit?: number;
}

export interface FunnelDropoff {
  /** the identified user id, else the anonymous id */
  user: string;
  identified: boolean;
  /** where they were when they stopped: the session and ts of their last reached step's event */
  sessionId: string;
  ts: number;
}

export interface FunnelStep {
  users: number;
  /** users at this step / users at step 0 (1 for step 0; 0 when step 0 has no users) */
  conversion: number;
  /** median over the users at this step of ms from their previous step's event (null for step 0 and when no users) */
  medianMsFromPrevious: number | null;
}

/** a replay chunk without its rrweb events */
export type ReplayChunkMeta = Omit<ReplayChunk, 'events'>;

/**
 * What a trend is broken down by. `url_path`: the page URL's path; `referrer_domain`: the
 * referrer's host; `utm_source`: the page URL's raw utm_source query value; `event_name`: the
 * track() name / error message; `chain`: a value per element chain (an extracted property: the
 * engine reads it from the matched element of each distinct chain), '' for chains not in the map;
 * `prop`: an event property.
 */
export type Breakdown =
  | { kind: 'url_path' | 'referrer_domain' | 'utm_source' | 'event_name' }
  | { kind: 'chain'; values: Record<string, string> }
  /** a top-level string property of the event (track() props, `$browser`/`$os`/`$device` from ingest); '' otherwise */
  | { kind: 'prop'; name: string };

export interface BreakdownOptions extends TrendOptions {
  breakdown: Breakdown;
  /** the values with the most events, 1 … 50 (default 10) */
  limit?: number;
}

export interface BreakdownSeries {
  value: string;
  /** events of this value over the whole range */
  total: number;
  points: TrendPoint[];
}

export interface RetentionOptions {
  interval: 'day' | 'week';
  /** epoch ms, inclusive bounds on the cohort event: the user's FIRST start event ever */
  from: number;
  to: number;
  /** periods counted after the cohort's own, 1 … 60 */
  periods: number;
  /** minutes east of UTC for bucket boundaries (as in trends); default 0 */
  tzOffsetMinutes?: number;
  /**
   * Splits every cohort: users who did each of `steps` (every filter list matched by some event,
   * in any order) within `withinMs` after their cohort event, versus the rest.
   */
  split?: { steps: EventFilter[][]; withinMs: number };
}

export interface RetentionCohort {
  /** bucket start of the cohort event */
  t: number;
  users: number;
  /** returned[k] = users with a returning event in period k (bucket t + k·size); returned[0] = users */
  returned: number[];
}

export interface RetentionResult {
  /** every bucket from the one containing `from` to the one containing `to`, zeros included */
  cohorts: RetentionCohort[];
  /** with `split`: the same cohorts for users who did the steps, and for the rest */
  split?: { did: RetentionCohort[]; didNot: RetentionCohort[] };
}

export interface TimeToEventOptions {
  /** epoch ms, inclusive bounds on the start event (each user's first one in range) */
  from: number;
  to: number;
  /** end events later than this after the start event do not count */
  windowMs: number;
}

export interface TimeToEventResult {
  /** users with a start event in [from, to] */
  users: number;
  /** of those, users with an end event after it within the window */
  converted: number;
  /** nearest-rank percentiles of the converted users' times (ms); null without conversions */
  medianMs: number | null;
  p90Ms: number | null;
  /** converted users per time range [fromMs, toMs); the last range is open (toMs null) */
  histogram: { fromMs: number; toMs: number | null; users: number }[];
}

export interface ChainRow {
  hash: string;
  chain: ChainElement[];
}

export interface AppendResult {
  inserted: number;
  duplicates: number;
  chunks: number;
}

export interface Store {
  readonly kind: 'duckdb' | 'clickhouse';
  /** creates tables / applies migrations; idempotent */
  init(): Promise<void>;
  close(): Promise<void>;

  /** Appends events and replay chunks, each id stored once. Resolves only once durable. */
  append(projectId: ProjectId, events: StoredEvent[], chunks: ReplayChunk[]): Promise<AppendResult>;

  listSessions(projectId: ProjectId, q: SessionQuery): Promise<{ sessions: SessionSummary[]; next: string | null }>;
  getSession(projectId: ProjectId, sessionId: string): Promise<SessionSummary | null>;
  /** all events of a session ordered by (ts, id) */
  sessionEvents(projectId: ProjectId, sessionId: string): Promise<StoredEvent[]>;
  /** replay chunks of a session ordered by (ts of the recording's first chunk, rec, seq) */
  replayChunks(projectId: ProjectId, sessionId: string): Promise<ReplayChunk[]>;
  /** the same chunks in the same order without their events (cheap: no decompression) */
  replayChunkList(projectId: ProjectId, sessionId: string): Promise<ReplayChunkMeta[]>;
  /** the session's chunks with these ids (unknown ids skipped), in replayChunks order */
  replayChunksById(projectId: ProjectId, sessionId: string, ids: string[]): Promise<ReplayChunk[]>;

  /** distinct chains of events of the given types (all types when empty) */
  distinctChains(projectId: ProjectId, types?: string[]): Promise<ChainRow[]>;
  /** counts over events matching ANY of the filters (OR), plus a sample */
  countMatches(projectId: ProjectId, filters: EventFilter[], sampleSize?: number): Promise<MatchCounts>;
  /** events matching ANY of the filters, ordered by ts then id, paged */
  findEvents(projectId: ProjectId, filters: EventFilter[], opts?: { limit?: number; offset?: number }): Promise<StoredEvent[]>;

  /**
   * Events matching ANY filter per time bucket; every bucket from `from`'s to `to`'s is present.
   * See insights.md in this package for the exact semantics shared by all stores.
   */
  trend(projectId: ProjectId, filters: EventFilter[], opts: TrendOptions): Promise<TrendPoint[]>;
  /**
   * Ordered funnel: step i's filters are OR-ed; per user the best attempt (highest step reached
   * from any step-0 event in [from, to] with strictly increasing (ts, id) and ek.ts - e0.ts <= windowMs).
   * With `order: 'any'` step k counts users who did k+1 distinct steps within the window (insights.md).
   */
  funnel(projectId: ProjectId, steps: EventFilter[][], opts: FunnelOptions): Promise<FunnelStep[]>;
  /** Users who dropped before funnel step `opts.step` (same attempts as `funnel`), latest first. */
  funnelDropoffs(projectId: ProjectId, steps: EventFilter[][], opts: DropoffOptions): Promise<FunnelDropoff[]>;
  /** `trend` per breakdown value, for the values with the most events (most first, ties by value). */
  trendBreakdown(projectId: ProjectId, filters: EventFilter[], opts: BreakdownOptions): Promise<BreakdownSeries[]>;
  /** Cohorts by each user's first `start` event, returning on `returning` (insights.md). */
  retention(projectId: ProjectId, start: EventFilter[], returning: EventFilter[], opts: RetentionOptions): Promise<RetentionResult>;
  /** Per user, time from their first `start` event in range to the first `end` event after it. */
  timeToEvent(projectId: ProjectId, start: EventFilter[], end: EventFilter[], opts: TimeToEventOptions): Promise<TimeToEventResult>;

  createDefinition(projectId: ProjectId, input: DefinitionInput): Promise<Definition>;
  /** new version; the old version stays readable through definitionVersions */
  updateDefinition(projectId: ProjectId, id: string, input: DefinitionInput): Promise<Definition | null>;
  getDefinition(projectId: ProjectId, id: string): Promise<Definition | null>;
  listDefinitions(projectId: ProjectId): Promise<Definition[]>;
  definitionVersions(projectId: ProjectId, id: string): Promise<Definition[]>;
  /** false when it did not exist */
  deleteDefinition(projectId: ProjectId, id: string): Promise<boolean>;

  // ------------------------------------------------------------ project settings

  /**
   * The project's settings as string key/values (the server gives them meaning, see
   * ProjectSettings in @hindsight/schema); keys never set are absent. Kept in the store, not a
   * local file, because several servers may share one ClickHouse.
   */
  getSettings(projectId: ProjectId): Promise<Record<string, string>>;
  /** Sets the given keys (other keys keep their values); for each key the latest write wins. */
  putSettings(projectId: ProjectId, values: Record<string, string>): Promise<void>;

  /** webhook destinations, their durable delivery queue and backfill jobs (./destination-types.ts) */
  readonly destinations: DestinationStore;

  // ------------------------------------------------------------ operations (see src/*/ops.ts)

  /**
   * Streams the project's data to `sink` in pages (never the whole table in memory): events and
   * replay chunks with ts in [from, to] ordered by (ts, id), then every identity and every
   * definition version (tombstones included). Resolves with the number of rows of each kind.
   */
  exportData(projectId: ProjectId, opts: ExportOptions, sink: ExportSink, progress?: ExportProgress): Promise<ExportCounts>;
  /** Stores exported rows; idempotent (every event/chunk id and definition version is kept once). */
  importData<K extends ExportKind>(projectId: ProjectId, kind: K, rows: ExportRows[K][]): Promise<ImportResult>;
  /** Deletes events and replay chunks with ts < now - olderThanMs. */
  purge(projectId: ProjectId, olderThanMs: number, now?: number): Promise<{ events: number; chunks: number }>;
  /**
   * Deletes every event of the user (their own, plus anonymous events of every anonymous id ever
   * identified as them), every replay chunk of those sessions and the user's identities.
   */
  deleteUser(projectId: ProjectId, userId: string): Promise<{ events: number; chunks: number }>;
  /**
   * Deletes everything of the project: events, replay chunks, identities, definitions (every
   * version), settings, destinations, their deliveries and backfill jobs. Other projects'
   * rows, and chains other projects' events use, stay.
   */
  deleteProject(projectId: ProjectId): Promise<{ events: number; chunks: number }>;
}

/** What exportData/importData move: flat rows (snake_case columns), the same in every store. */
export type ExportKind = 'event' | 'chunk' | 'identity' | 'definition';

export interface ExportEventRow {
  id: string;
  type: string;
  ts: number;
  session_id: string;
  anonymous_id: string;
  user_id: string | null;
  url: string;
  title: string | null;
  referrer: string | null;
  name: string | null;
  /** JSON text */
  props: string | null;
  chain_hash: string;
  /** JSON text of the element chain, null without one */
  chain: string | null;
  node_id: number | null;
  rec_id: string | null;
  rec_seq: number | null;
  received_at: number;
}

export interface ExportChunkRow {
  id: string;
  session_id: string;
  rec: string;
  seq: number;
  ts: number;
  /** JSON text of the rrweb events array */
  events: string;
}

/** anonymous id → identified user (the latest one), so purged identify events keep attributing */
export interface ExportIdentityRow {
  anonymous_id: string;
  user_id: string;
  ts: number;
}

/** one definition version; `rules` is JSON text; tombstones have deleted = true */
export interface ExportDefinitionRow {
  id: string;
  version: number;
  name: string;
  description: string;
  category: string;
  rules: string;
  deleted: boolean;
  created_at: number;
  updated_at: number;
}

export interface ExportRows {
  event: ExportEventRow;
  chunk: ExportChunkRow;
  identity: ExportIdentityRow;
  definition: ExportDefinitionRow;
}

export interface ExportOptions {
  /** inclusive epoch ms bounds on event/chunk ts (identities and definitions are always whole) */
  from?: number;
  to?: number;
  /** rows per sink call (default 5000) */
  pageSize?: number;
}

export type ExportSink = <K extends ExportKind>(kind: K, rows: ExportRows[K][]) => Promise<void>;
/** `total` is known up front (an upper bound for ClickHouse, whose unmerged copies count) */
export type ExportProgress = (done: number, total: number, kind: ExportKind) => void;
export type ExportCounts = Record<ExportKind, number>;

export interface ImportResult {
  inserted: number;
  duplicates: number;
}

/** Typed store errors with stable codes; the server maps them to HTTP once. */
export class StoreError extends Error {
  constructor(
    readonly code: 'store_unavailable' | 'store_locked' | 'store_full' | 'not_found' | 'conflict' | 'bad_input',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
