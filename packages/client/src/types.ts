// Response and query shapes of the HTTP API (docs/api.md; the OpenAPI document at
// /api/openapi.json is generated from the server's validation schemas).
import type { Project, ProjectSettings, RawEvent, Rule, SessionSort, SessionSummary, WriteKey } from '@hindsight/schema';

export interface SessionQuery {
  limit?: number;
  cursor?: string | null;
  userId?: string;
  url?: string;
  /** epoch ms */
  from?: number;
  /** epoch ms */
  to?: number;
  hasError?: boolean;
  frustrated?: boolean;
  minDurationMs?: number;
  /** sessions that performed this named event */
  definitionId?: string;
  sort?: SessionSort;
}

export interface SessionPage {
  sessions: SessionSummary[];
  next: string | null;
}

export interface UserProfile {
  userId: string;
  anonymousIds: string[];
  firstSeen: number;
  lastSeen: number;
  /** identify traits, later calls winning */
  traits: Record<string, unknown>;
  sessions: SessionSummary[];
  /** every event of every session, ordered by time */
  events: RawEvent[];
  /** more sessions or events exist than were returned */
  truncated: boolean;
}

/** rrweb `eventWithTime` objects, ordered. Untrusted data: only ever rebuilt in a sandboxed iframe. */
export interface ReplayEvent {
  type: number;
  timestamp: number;
  data: any;
}

export interface DefinitionMatch {
  definitionId: string;
  name: string;
  eventId: string;
  ts: number;
}

/** Counts of one definition over the last 30 local days (`error` when its rules could not run). */
export type DefinitionStat =
  | { id: string; last7: number; last30: number; daily: { t: number; events: number }[] }
  | { id: string; error: { code: string; message: string } };

export type Interval = 'hour' | 'day' | 'week';

/** What an insight counts: a saved definition, or ad-hoc rules (a raw event type, a track() name). */
export type InsightTarget = { definitionId: string } | { rules: Rule[] };

export interface TrendQuery {
  definitionId?: string;
  rules?: Rule[];
  interval: Interval;
  /** epoch ms */
  from: number;
  /** epoch ms */
  to: number;
  /** minutes east of UTC for local buckets */
  tzOffsetMinutes?: number;
  compare?: boolean;
  breakdown?: TrendBreakdown;
  limit?: number;
  where?: { property: string; value: string };
}

export interface TrendPoint {
  /** bucket start: epoch ms (or an ISO string from older servers) */
  t: number | string;
  events: number;
  users: number;
}

export type TrendBreakdown =
  | { by: 'url_path' | 'referrer_domain' | 'utm_source' | 'event_name' | 'browser' | 'os' | 'device_type' }
  /** a property the definition extracts from the matched element */
  | { by: 'property'; name: string }
  /** a top-level string property of the events (track() props) */
  | { by: 'event_property'; name: string };

export interface TrendResult {
  series: TrendPoint[];
  previous?: TrendPoint[];
  breakdown?: { value: string; total: number; points: TrendPoint[] }[];
}

/** funnel steps in the given order (default) or in any order (distinct steps done within the window) */
export type FunnelOrder = 'strict' | 'any';

export interface FunnelQuery {
  steps: InsightTarget[];
  windowMs: number;
  from: number;
  to: number;
  order?: FunnelOrder;
}

export interface FunnelResult {
  steps: { users: number; conversion: number; medianMsFromPrevious: number | null }[];
}

export interface FunnelDropoff {
  user: string;
  identified: boolean;
  sessionId: string;
  ts: number;
  /** viewer path of the replay at the moment they stopped */
  replayUrl: string;
}

export interface RetentionCohort {
  t: number;
  users: number;
  /** [cohort size, returned in period 1, …] */
  returned: number[];
}

export interface RetentionResult {
  cohorts: RetentionCohort[];
  split?: { did: RetentionCohort[]; didNot: RetentionCohort[] };
}

export interface RetentionQuery {
  start: InsightTarget;
  returning: InsightTarget;
  interval: 'day' | 'week';
  periods: number;
  from: number;
  to: number;
  tzOffsetMinutes?: number;
  split?: { steps: InsightTarget[]; withinMs: number };
}

export interface TimeToEventResult {
  users: number;
  converted: number;
  medianMs: number | null;
  p90Ms: number | null;
  histogram: { fromMs: number; toMs: number | null; users: number }[];
}

export type { ProjectSettings };

// ------------------------------------------------------------------ projects and credentials

export type { Project, WriteKey };

/** POST /api/projects: the admin token is shown only here */
export interface CreatedProject {
  project: Project;
  adminToken: string;
  writeKey: WriteKey;
}

export interface Me {
  ok: true;
  project: string;
  projectName: string;
  /** holds HINDSIGHT_ADMIN_TOKEN: may create projects and switch between them */
  serverAdmin: boolean;
}
