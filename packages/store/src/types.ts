// The one storage interface the server talks to. DuckDB (embedded default) and ClickHouse
// (scale-out) implement it; test/contract.ts runs the same suite against both.
import type { ChainElement, Definition, DefinitionInput, RawEvent, ReplayChunk, SessionSummary, StringCond } from '@hindsight/schema';

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
}

export interface FunnelStep {
  users: number;
  /** users at this step / users at step 0 (1 for step 0; 0 when step 0 has no users) */
  conversion: number;
  /** median over the users at this step of ms from their previous step's event (null for step 0 and when no users) */
  medianMsFromPrevious: number | null;
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
   */
  funnel(projectId: ProjectId, steps: EventFilter[][], opts: FunnelOptions): Promise<FunnelStep[]>;

  createDefinition(projectId: ProjectId, input: DefinitionInput): Promise<Definition>;
  /** new version; the old version stays readable through definitionVersions */
  updateDefinition(projectId: ProjectId, id: string, input: DefinitionInput): Promise<Definition | null>;
  getDefinition(projectId: ProjectId, id: string): Promise<Definition | null>;
  listDefinitions(projectId: ProjectId): Promise<Definition[]>;
  definitionVersions(projectId: ProjectId, id: string): Promise<Definition[]>;
  /** false when it did not exist */
  deleteDefinition(projectId: ProjectId, id: string): Promise<boolean>;

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
