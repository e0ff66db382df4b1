// The viewer's API access: every request goes through the typed client (@hindsight/client), on
// the viewer's own origin with its session cookie. These wrappers keep the screens' imports short
// and turn any 401 into the login screen.
import type { Definition, DefinitionInput, PreviewResult, ProjectSettings, RawEvent, Rule, SessionSummary } from '@hindsight/schema';
import { HindsightClient, type DefinitionMatch, type DefinitionStat, type ReplayEvent, type RetentionQuery, type SessionQuery } from '@hindsight/client';
import type { ReplayIndex } from './lib/replay-feed';

export { ApiError } from '@hindsight/client';
export type {
  DefinitionMatch,
  DefinitionStat,
  FunnelDropoff,
  FunnelOrder,
  FunnelResult,
  InsightTarget,
  Interval,
  CreatedProject,
  Me,
  Project,
  ReplayEvent,
  RetentionCohort,
  RetentionResult,
  SessionPage,
  SessionQuery,
  TimeToEventResult,
  TrendBreakdown,
  TrendPoint,
  TrendQuery,
  TrendResult,
  UserProfile,
  WriteKey,
} from '@hindsight/client';

type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** Called whenever any request answers 401, so the app can show the login screen. */
export function onUnauthorized(fn: UnauthorizedListener): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

/** same origin, cookie auth */
export const client = new HindsightClient({ onUnauthorized: () => unauthorizedListeners.forEach((fn) => fn()) });

// auth
export const login = (token: string) => client.login(token);
export const logout = () => client.logout();

// sessions, replays and users
export const listSessions = (q: SessionQuery, signal?: AbortSignal) => client.listSessions(q, signal);
export const getSession = (id: string, signal?: AbortSignal): Promise<SessionSummary> => client.getSession(id, signal);
export const getSessionEvents = (id: string, signal?: AbortSignal): Promise<{ events: RawEvent[] }> => client.getSessionEvents(id, signal);
export const getSessionReplay = (id: string, signal?: AbortSignal): Promise<ReplayEvent[]> => client.getSessionReplay(id, signal);
/** Per chunk: time span, size, and where playable segments (rrweb Meta events) start. */
export const getReplayIndex = (id: string, signal?: AbortSignal, firstSegment = false, head = false) => client.getReplayIndex<ReplayIndex>(id, signal, firstSegment, head);
/** The chunks' rrweb events (untrusted). At most 200 ids per call. */
export const getReplayChunks = (id: string, ids: string[], signal?: AbortSignal) => client.getReplayChunks(id, ids, signal);
/** This session's events matching each saved definition. */
export const getSessionMatches = (id: string, signal?: AbortSignal): Promise<DefinitionMatch[]> => client.getSessionMatches(id, signal);
export const getUser = (id: string, signal?: AbortSignal) => client.getUser(id, signal);

// definitions and the tracking plan
export const previewRules = (rules: Rule[], signal?: AbortSignal): Promise<PreviewResult> => client.previewRules(rules, signal);
export const listDefinitions = (signal?: AbortSignal): Promise<Definition[]> => client.listDefinitions(signal);
export const getDefinition = (id: string, signal?: AbortSignal): Promise<Definition> => client.getDefinition(id, signal);
export const createDefinition = (input: DefinitionInput): Promise<Definition> => client.createDefinition(input);
export const updateDefinition = (id: string, input: DefinitionInput): Promise<Definition> => client.updateDefinition(id, input);
export const deleteDefinition = (id: string) => client.deleteDefinition(id);
export const listDefinitionVersions = (id: string, signal?: AbortSignal): Promise<Definition[]> => client.listDefinitionVersions(id, signal);
/** 7/30-day counts and a daily series of every definition (local days), by definition id. */
export async function definitionStats(signal?: AbortSignal): Promise<Map<string, DefinitionStat>> {
  const stats = await client.definitionStats(-new Date().getTimezoneOffset(), signal);
  return new Map(stats.map((s) => [s.id, s]));
}
/** The tracking-plan download (the session cookie authenticates a plain link). */
export const planExportUrl = (format: 'csv' | 'md'): string => client.planExportPath(format);
export const getSettings = (signal?: AbortSignal): Promise<ProjectSettings> => client.getSettings(signal);
export const putSettings = (input: Partial<ProjectSettings>): Promise<ProjectSettings> => client.putSettings(input);

// insights
export const trend = (q: Parameters<HindsightClient['trend']>[0], signal?: AbortSignal) => client.trend(q, signal);
export const funnel = (q: Parameters<HindsightClient['funnel']>[0], signal?: AbortSignal) => client.funnel(q, signal);
export const funnelDropoffs = (q: Parameters<HindsightClient['funnelDropoffs']>[0], signal?: AbortSignal) => client.funnelDropoffs(q, signal);
export const retention = (q: RetentionQuery, signal?: AbortSignal) => client.retention(q, signal);
export const timeToEvent = (q: Parameters<HindsightClient['timeToEvent']>[0], signal?: AbortSignal) => client.timeToEvent(q, signal);

// projects and credentials (the server admin's project choice: lib/project.ts)
export const me = (signal?: AbortSignal) => client.me(signal);
export const listProjects = (signal?: AbortSignal) => client.listProjects(signal);
export const createProject = (name: string) => client.createProject(name);
export const renameProject = (id: string, name: string) => client.renameProject(id, name);
export const deleteProject = (id: string) => client.deleteProject(id);
export const listWriteKeys = (signal?: AbortSignal) => client.listWriteKeys(signal);
export const createWriteKey = () => client.createWriteKey();
export const revokeWriteKey = (id: string) => client.revokeWriteKey(id);
export const rotateAdminToken = () => client.rotateAdminToken();

// destinations (webhooks)
export type { BackfillJob, Delivery, Destination, DestinationInput, DestinationUpdate } from '@hindsight/client';
export const listDestinations = (signal?: AbortSignal) => client.listDestinations(signal);
export const createDestination = (input: Parameters<HindsightClient['createDestination']>[0]) => client.createDestination(input);
export const updateDestination = (id: string, input: Parameters<HindsightClient['updateDestination']>[1]) => client.updateDestination(id, input);
export const deleteDestination = (id: string) => client.deleteDestination(id);
export const listDeadLetters = (id: string, signal?: AbortSignal) => client.listDeadLetters(id, 100, signal);
export const retryDeadLetters = (id: string, ids?: string[]) => client.retryDeadLetters(id, ids);
export const startBackfill = (id: string, definitionId: string) => client.startBackfill(id, definitionId);
export const listBackfills = (id: string, signal?: AbortSignal) => client.listBackfills(id, signal);
export const getBackfill = (id: string, jobId: string, signal?: AbortSignal) => client.getBackfill(id, jobId, signal);
