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

  createDefinition(projectId: ProjectId, input: DefinitionInput): Promise<Definition>;
  /** new version; the old version stays readable through definitionVersions */
  updateDefinition(projectId: ProjectId, id: string, input: DefinitionInput): Promise<Definition | null>;
  getDefinition(projectId: ProjectId, id: string): Promise<Definition | null>;
  listDefinitions(projectId: ProjectId): Promise<Definition[]>;
  definitionVersions(projectId: ProjectId, id: string): Promise<Definition[]>;
  /** false when it did not exist */
  deleteDefinition(projectId: ProjectId, id: string): Promise<boolean>;
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
