// Scale-out store: ClickHouse over HTTP. Stateless: any number of servers may share a database.
// All SQL text is built with ./escape.ts (see there for why there are no bound parameters).
import { randomUUID } from 'node:crypto';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import type { Definition, DefinitionInput, ReplayChunk, SessionSummary } from '@hindsight/schema';
import {
  clampLimit,
  afterCursorSql,
  decodeCursor,
  nextCursor,
  orderBySql,
  sessionSort,
  DEFAULT_FIND_LIMIT,
  DEFAULT_SAMPLE_SIZE,
  MAX_FIND_LIMIT,
  MAX_SAMPLE_SIZE,
} from '../common/cursor.js';
import { DefinitionLog, toDefinitionRow } from '../common/definitions.js';
import { checkSettings, settingsVersion } from '../common/settings.js';
import { checkedChunk, distinctChainJson, identitiesOf, prepareEvent, rowToEvent, uniqueBy, wellFormed } from '../common/rows.js';
import { rowToSession } from '../common/sessions.js';
import {
  StoreError,
  type AppendResult,
  type ChainRow,
  type EventFilter,
  type FunnelOptions,
  type FunnelStep,
  type DropoffOptions,
  type FunnelDropoff,
  type BreakdownOptions,
  type BreakdownSeries,
  type RetentionOptions,
  type RetentionResult,
  type TimeToEventOptions,
  type TimeToEventResult,
  type TrendOptions,
  type TrendPoint,
  type MatchCounts,
  type ProjectId,
  type SessionQuery,
  type Store,
  type StoredEvent,
} from '../types.js';
import { sqlIdentifier, sqlInList, sqlInt, sqlString } from './escape.js';
import { anyFilterSql } from './filters.js';
import { clickhouseFunnel, clickhouseFunnelDropoffs, clickhouseTrend, clickhouseTrendBreakdown } from './insights.js';
import { clickhouseRetention, clickhouseTimeToEvent } from './cohorts.js';
import { CH_MIGRATIONS, MIGRATIONS_TABLE } from './schema.js';
import { ClickHouseDestinations } from './destinations.js';
import { deleteProjectClickHouse, deleteUserClickHouse, exportClickHouse, importRowsClickHouse, purgeClickHouse, type ChOps } from './ops.js';
import { importVia } from '../common/export-rows.js';
import type { ExportCounts, ExportKind, ExportOptions, ExportProgress, ExportRows, ExportSink, ImportResult, ReplayChunkMeta } from '../types.js';

/** ids checked per existence query (keeps statements a few hundred KB) */
const ID_CHECK_BATCH = 2000;
/** large IN-lists (thousands of chain hashes) exceed the 256 KiB default */
const QUERY_SETTINGS = { max_query_size: '104857600' } as Record<string, string>;
/** first-received copy wins merges (see schema.ts) */
const keepOf = (receivedAt: number): number => Number.MAX_SAFE_INTEGER - Math.max(0, receivedAt);

const EVENT_COLS = `project_id, id, type, ts, session_id, anonymous_id, user_id, url, title, referrer, name, props,
  chain_hash, node_id, rec_id, rec_seq, received_at`;

/** Identity per anonymous id, exact before merges. */
const identitiesSql = (proj: string): string =>
  `(SELECT anonymous_id, argMax(user_id, (ts, user_id)) AS ident_user FROM identities
    WHERE project_id = ${proj} GROUP BY anonymous_id)`;

export interface ClickHouseOptions {
  /** http(s)://host:port */
  httpUrl: string;
  database: string;
  username?: string;
  password?: string;
}

/** `clickhouse://[user:pass@]host:port/db` (or `clickhouses://` for HTTPS) → options. */
export function parseClickHouseUrl(url: string): ClickHouseOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new StoreError('bad_input', `invalid ClickHouse URL ${url}`);
  }
  const secure = u.protocol === 'clickhouses:' || u.searchParams.get('secure') === '1';
  const port = u.port || (secure ? '8443' : '8123');
  const database = decodeURIComponent(u.pathname.replace(/^\/+/, '')) || 'hindsight';
  return {
    httpUrl: `${secure ? 'https' : 'http'}://${u.hostname}:${port}`,
    database: sqlIdentifier(database),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
  };
}

export class ClickHouseStore implements Store {
  readonly kind = 'clickhouse' as const;
  readonly options: ClickHouseOptions;
  private client: ClickHouseClient | null = null;

  /** @param url `clickhouse://host:port/db`, or parsed options */
  constructor(url: string | ClickHouseOptions) {
    this.options = typeof url === 'string' ? parseClickHouseUrl(url) : { ...url, database: sqlIdentifier(url.database) };
  }

  async init(): Promise<void> {
    if (this.client) return;
    const { httpUrl, database, username, password } = this.options;
    // The client's own error log would duplicate every error we map and rethrow.
    const base = { url: httpUrl, username: username ?? 'default', password: password ?? '', log: { level: ClickHouseLogLevel.OFF } };
    const admin = createClient(base);
    try {
      await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
    } catch (e) {
      throw new StoreError('store_unavailable', `cannot reach ClickHouse at ${httpUrl}: ${(e as Error).message}`);
    } finally {
      await admin.close();
    }
    const client = createClient({ ...base, database });
    await client.command({ query: MIGRATIONS_TABLE });
    const done = new Set((await this.rowsWith(client, 'SELECT DISTINCT version FROM schema_migrations')).map((r) => Number(r.version)));
    for (const m of CH_MIGRATIONS) {
      if (done.has(m.version)) continue;
      for (const s of m.statements) await client.command({ query: s });
      await client.insert({
        table: 'schema_migrations',
        values: [{ version: m.version, description: m.description, applied_at: Date.now() }],
        format: 'JSONEachRow',
      });
    }
    this.client = client;
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = null;
    await c?.close();
  }

  private get ch(): ClickHouseClient {
    if (!this.client) throw new StoreError('store_unavailable', 'ClickHouse store is not open (call init())');
    return this.client;
  }

  private async rowsWith(client: ClickHouseClient, query: string): Promise<Record<string, unknown>[]> {
    try {
      const rs = await client.query({ query, format: 'JSONEachRow', clickhouse_settings: QUERY_SETTINGS });
      return await rs.json<Record<string, unknown>>();
    } catch (e) {
      throw mapError(e);
    }
  }

  private rows(query: string): Promise<Record<string, unknown>[]> {
    return this.rowsWith(this.ch, query);
  }

  private async insert(table: string, values: Record<string, unknown>[]): Promise<void> {
    if (!values.length) return;
    await this.ch.insert({ table, values: values.map(wellFormedRow), format: 'JSONEachRow' });
  }

  /** which of these (session, id) pairs are stored already; uses the primary key */
  private async existing(table: string, projectId: string, items: { sessionId: string; id: string }[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < items.length; i += ID_CHECK_BATCH) {
      const part = items.slice(i, i + ID_CHECK_BATCH);
      const tuples = part.map((x) => `(${sqlString(x.sessionId)}, ${sqlString(x.id)})`).join(', ');
      const rows = await this.rows(
        `SELECT DISTINCT id FROM ${table} WHERE project_id = ${sqlString(projectId)} AND (session_id, id) IN (${tuples})`,
      );
      for (const r of rows) found.add(String(r.id));
    }
    return found;
  }

  async append(projectId: ProjectId, events: StoredEvent[], chunks: ReplayChunk[]): Promise<AppendResult> {
    const prepared = uniqueBy(events.map((e) => prepareEvent(projectId, e)), (p) => p.row.id);
    const uniqueChunks = uniqueBy(chunks.map(checkedChunk), (c) => c.id);

    const seen = await this.existing('events', projectId, prepared.map((p) => ({ sessionId: p.row.session_id, id: p.row.id })));
    const fresh = prepared.filter((p) => !seen.has(p.row.id));
    // Chains first, then events: a reader that sees an event can always resolve its chain.
    const chains = distinctChainJson(fresh);
    if (chains.size) {
      const have = await this.rows(`SELECT DISTINCT hash FROM chains WHERE ${sqlInList('hash', [...chains.keys()])}`);
      for (const r of have) chains.delete(String(r.hash));
      await this.insert('chains', [...chains].map(([hash, chain]) => ({ hash, chain })));
    }
    await this.insert('events', fresh.map((p) => ({ ...p.row, keep: keepOf(p.row.received_at) })));
    const idents = identitiesOf(prepared.map((p) => p.row));
    await this.insert(
      'identities',
      [...idents].map(([anonymousId, v]) => ({
        project_id: projectId,
        anonymous_id: anonymousId,
        user_id: v.userId,
        ts: v.ts,
        ver: Math.max(0, v.ts),
      })),
    );

    const seenChunks = await this.existing('replay_chunks', projectId, uniqueChunks);
    const freshChunks = uniqueChunks.filter((c) => !seenChunks.has(c.id));
    const now = Date.now();
    await this.insert(
      'replay_chunks',
      freshChunks.map((c) => ({
        project_id: projectId,
        id: c.id,
        session_id: c.sessionId,
        rec: c.rec,
        seq: Math.trunc(c.seq),
        ts: Math.trunc(c.ts),
        events: JSON.stringify(c.events),
        received_at: now,
        keep: keepOf(now),
      })),
    );
    return { inserted: fresh.length, duplicates: events.length - fresh.length, chunks: freshChunks.length };
  }

  // ------------------------------------------------------------ sessions

  private sessionsSql(projectId: string, inner: string[], outer: string[], limit: number | null, orderBy = 'started_at DESC, id DESC'): string {
    const proj = sqlString(projectId);
    // e_* aliases: an alias equal to a column name used inside an aggregate is a cyclic alias
    // on old ClickHouse versions.
    return `
      SELECT id, anonymous_id, if(ident_user != '', ident_user, any_user_id) AS user_id,
        started_at, ended_at, duration_ms, event_count, entry_url, has_error, page_count, rage_clicks, dead_clicks
      FROM (
        SELECT e_session AS id,
          argMin(e_anon, (e_ts, e_id)) AS anonymous_id,
          min(e_ts) AS started_at,
          max(e_ts) AS ended_at,
          max(e_ts) - min(e_ts) AS duration_ms,
          count() AS event_count,
          countIf(e_type = 'pageview') AS page_count,
          countIf(e_type = 'rage_click') AS rage_clicks,
          countIf(e_type = 'dead_click') AS dead_clicks,
          argMin(e_url, (e_ts, e_id)) AS entry_url,
          max(e_type = 'error') AS has_error,
          max(e_user) AS any_user_id
        FROM (
          SELECT session_id AS e_session, id AS e_id, ts AS e_ts, anonymous_id AS e_anon, url AS e_url,
            type AS e_type, user_id AS e_user
          FROM events
          WHERE project_id = ${proj} ${inner.map((c) => `AND ${c}`).join(' ')}
          ORDER BY id, received_at, ts
          LIMIT 1 BY id
        )
        GROUP BY e_session
      )
      ANY LEFT JOIN ${identitiesSql(proj)} USING anonymous_id
      ${outer.length ? `WHERE ${outer.join(' AND ')}` : ''}
      ORDER BY ${orderBy}
      ${limit !== null ? `LIMIT ${sqlInt(limit)}` : ''}`;
  }

  async listSessions(projectId: ProjectId, q: SessionQuery): Promise<{ sessions: SessionSummary[]; next: string | null }> {
    const limit = clampLimit(q.limit);
    const sort = sessionSort(q.sort);
    const cursor = decodeCursor(q.cursor, sort);
    const proj = sqlString(projectId);
    const inner: string[] = [];
    const outer: string[] = [];
    const sessionsWhere = (cond: string) => `session_id IN (SELECT session_id FROM events WHERE project_id = ${proj} AND ${cond})`;
    if (q.url !== undefined && q.url !== '') inner.push(sessionsWhere(`position(url, ${sqlString(q.url)}) > 0`));
    if (q.events !== undefined) inner.push(sessionsWhere(anyFilterSql(q.events)));
    if (q.userId !== undefined) {
      const uid = sqlString(q.userId);
      inner.push(sessionsWhere(`(user_id = ${uid}
        OR anonymous_id IN (SELECT anonymous_id FROM identities WHERE project_id = ${proj} AND user_id = ${uid}))`));
      outer.push(`user_id = ${uid}`);
    }
    if (q.from !== undefined && q.from !== null) outer.push(`started_at >= ${sqlInt(q.from, 'ceil')}`);
    if (q.to !== undefined && q.to !== null) outer.push(`started_at <= ${sqlInt(q.to, 'floor')}`);
    if (q.hasError !== undefined) outer.push(`has_error = ${q.hasError ? 1 : 0}`);
    if (q.frustrated !== undefined) outer.push(`(rage_clicks + dead_clicks > 0) = ${q.frustrated ? 1 : 0}`);
    if (q.minDurationMs !== undefined && q.minDurationMs !== null) outer.push(`duration_ms >= ${sqlInt(q.minDurationMs, 'ceil')}`);
    if (cursor) outer.push(afterCursorSql(cursor, (v) => (typeof v === 'number' ? sqlInt(v) : sqlString(v))));
    const rows = await this.rows(this.sessionsSql(projectId, inner, outer, limit + 1, orderBySql(sort)));
    const sessions = rows.slice(0, limit).map(rowToSession);
    return { sessions, next: nextCursor(sort, sessions, rows.length > limit) };
  }

  async getSession(projectId: ProjectId, sessionId: string): Promise<SessionSummary | null> {
    const rows = await this.rows(this.sessionsSql(projectId, [`session_id = ${sqlString(sessionId)}`], [], null));
    return rows[0] ? rowToSession(rows[0]) : null;
  }

  // ------------------------------------------------------------ events

  /** deduplicated event rows matching `where`, ordered by (ts, id), with their chains */
  private async eventRows(projectId: string, where: string, limit?: number, offset?: number): Promise<StoredEvent[]> {
    const page = limit !== undefined ? `LIMIT ${sqlInt(limit)} OFFSET ${sqlInt(offset ?? 0)}` : '';
    const rows = await this.rows(`
      SELECT * FROM (
        SELECT ${EVENT_COLS} FROM events
        WHERE project_id = ${sqlString(projectId)} AND ${where}
        ORDER BY id, received_at, ts
        LIMIT 1 BY id
      ) ORDER BY ts, id ${page}`);
    const hashes = [...new Set(rows.map((r) => String(r.chain_hash)).filter((h) => h !== ''))];
    const chains = new Map<string, string>();
    if (hashes.length) {
      for (const r of await this.rows(`SELECT hash, any(chain) AS chain FROM chains WHERE ${sqlInList('hash', hashes)} GROUP BY hash`)) {
        chains.set(String(r.hash), String(r.chain));
      }
    }
    return rows.map((r) => rowToEvent(r, chains.get(String(r.chain_hash)) ?? null));
  }

  sessionEvents(projectId: ProjectId, sessionId: string): Promise<StoredEvent[]> {
    return this.eventRows(projectId, `session_id = ${sqlString(sessionId)}`);
  }

  async findEvents(projectId: ProjectId, filters: EventFilter[], opts: { limit?: number; offset?: number } = {}): Promise<StoredEvent[]> {
    const limit = clampLimit(opts.limit, DEFAULT_FIND_LIMIT, MAX_FIND_LIMIT);
    return this.eventRows(projectId, anyFilterSql(filters), limit, Math.max(0, Math.trunc(opts.offset ?? 0)));
  }

  async replayChunks(projectId: ProjectId, sessionId: string): Promise<ReplayChunk[]> {
    const rows = await this.rows(`
      SELECT id, session_id, rec, seq, ts, events FROM replay_chunks
      WHERE project_id = ${sqlString(projectId)} AND session_id = ${sqlString(sessionId)}
      ORDER BY id, received_at
      LIMIT 1 BY id`);
    const chunks: ReplayChunk[] = rows.map((r) => ({
      id: String(r.id),
      sessionId: String(r.session_id),
      rec: String(r.rec),
      seq: Number(r.seq),
      ts: Number(r.ts),
      events: JSON.parse(String(r.events)) as unknown[],
    }));
    return sortChunks(chunks);
  }

  async replayChunkList(projectId: ProjectId, sessionId: string): Promise<ReplayChunkMeta[]> {
    const rows = await this.rows(`
      SELECT id, session_id, rec, seq, ts FROM replay_chunks
      WHERE project_id = ${sqlString(projectId)} AND session_id = ${sqlString(sessionId)}
      ORDER BY id, received_at
      LIMIT 1 BY id`);
    const metas = rows.map((r) => ({ id: String(r.id), sessionId: String(r.session_id), rec: String(r.rec), seq: Number(r.seq), ts: Number(r.ts), events: [] }));
    return sortChunks(metas).map(({ events: _e, ...m }) => m);
  }

  async replayChunksById(projectId: ProjectId, sessionId: string, ids: string[]): Promise<ReplayChunk[]> {
    if (ids.length === 0) return [];
    // the order needs each recording's first ts, which the requested chunks alone may not contain
    const recTs = new Map<string, number>();
    for (const m of await this.replayChunkList(projectId, sessionId)) recTs.set(m.rec, Math.min(recTs.get(m.rec) ?? Infinity, m.ts));
    const rows = await this.rows(`
      SELECT id, session_id, rec, seq, ts, events FROM replay_chunks
      WHERE project_id = ${sqlString(projectId)} AND session_id = ${sqlString(sessionId)} AND ${sqlInList('id', ids)}
      ORDER BY id, received_at
      LIMIT 1 BY id`);
    const chunks: ReplayChunk[] = rows.map((r) => ({
      id: String(r.id),
      sessionId: String(r.session_id),
      rec: String(r.rec),
      seq: Number(r.seq),
      ts: Number(r.ts),
      events: JSON.parse(String(r.events)) as unknown[],
    }));
    const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    return chunks.sort((a, b) => recTs.get(a.rec)! - recTs.get(b.rec)! || cmp(a.rec, b.rec) || a.seq - b.seq || cmp(a.id, b.id));
  }

  async distinctChains(projectId: ProjectId, types?: string[]): Promise<ChainRow[]> {
    const typeCond = types && types.length ? `AND ${sqlInList('type', types)}` : '';
    const rows = await this.rows(`
      SELECT hash, any(chain) AS chain FROM chains
      WHERE hash IN (SELECT chain_hash FROM events
                     WHERE project_id = ${sqlString(projectId)} AND chain_hash != '' ${typeCond})
      GROUP BY hash ORDER BY hash`);
    return rows.map((r) => ({ hash: String(r.hash), chain: JSON.parse(String(r.chain)) }));
  }

  async countMatches(projectId: ProjectId, filters: EventFilter[], sampleSize = DEFAULT_SAMPLE_SIZE): Promise<MatchCounts> {
    const proj = sqlString(projectId);
    const where = `project_id = ${proj} AND ${anyFilterSql(filters)}`;
    // Exact before merges: uniqExact over ids/sessions/users, never count().
    const [counts] = await this.rows(`
      SELECT uniqExact(id) AS events, uniqExact(session_id) AS sessions,
        uniqExact(if(ident_user != '', concat('u:', ident_user), coalesce(concat('u:', user_id), concat('a:', anonymous_id)))) AS users
      FROM (SELECT id, session_id, anonymous_id, user_id FROM events WHERE ${where})
      ANY LEFT JOIN ${identitiesSql(proj)} USING anonymous_id`);
    const n = sampleSize > 0 ? clampLimit(sampleSize, DEFAULT_SAMPLE_SIZE, MAX_SAMPLE_SIZE) : 0;
    const sample = n
      ? await this.rows(`
          SELECT id AS event_id, any(session_id) AS sid, min(ts) AS t FROM events WHERE ${where}
          GROUP BY id ORDER BY t DESC, event_id DESC LIMIT ${sqlInt(n)}`)
      : [];
    return {
      events: Number(counts?.events ?? 0),
      sessions: Number(counts?.sessions ?? 0),
      users: Number(counts?.users ?? 0),
      sample: sample.map((r) => ({ eventId: String(r.event_id), sessionId: String(r.sid), ts: Number(r.t) })),
    };
  }

  // ------------------------------------------------------------ insights (./insights.ts)

  trend(projectId: ProjectId, filters: EventFilter[], opts: TrendOptions): Promise<TrendPoint[]> {
    return clickhouseTrend((sql) => this.rows(sql), projectId, filters, opts);
  }

  funnelDropoffs(projectId: ProjectId, steps: EventFilter[][], opts: DropoffOptions): Promise<FunnelDropoff[]> {
    return clickhouseFunnelDropoffs((sql) => this.rows(sql), projectId, steps, opts);
  }

  trendBreakdown(projectId: ProjectId, filters: EventFilter[], opts: BreakdownOptions): Promise<BreakdownSeries[]> {
    return clickhouseTrendBreakdown((sql) => this.rows(sql), projectId, filters, opts);
  }

  funnel(projectId: ProjectId, steps: EventFilter[][], opts: FunnelOptions): Promise<FunnelStep[]> {
    return clickhouseFunnel((sql) => this.rows(sql), projectId, steps, opts);
  }

  retention(projectId: ProjectId, start: EventFilter[], returning: EventFilter[], opts: RetentionOptions): Promise<RetentionResult> {
    return clickhouseRetention((sql) => this.rows(sql), projectId, start, returning, opts);
  }

  timeToEvent(projectId: ProjectId, start: EventFilter[], end: EventFilter[], opts: TimeToEventOptions): Promise<TimeToEventResult> {
    return clickhouseTimeToEvent((sql) => this.rows(sql), projectId, start, end, opts);
  }

  // ------------------------------------------------------------ definitions

  // Several servers may update one definition at once; both would append the same next version
  // number and ReplacingMergeTree keeps one of them (last writer wins), like a plain UPDATE would.
  private readonly definitions = new DefinitionLog({
    read: async (projectId, id) =>
      (
        await this.rows(`
          SELECT id, version, name, description, category, rules, deleted, created_at, updated_at FROM definitions
          WHERE project_id = ${sqlString(projectId)} ${id !== null ? `AND id = ${sqlString(id)}` : ''}
          ORDER BY id, version
          LIMIT 1 BY id, version`)
      ).map(toDefinitionRow),
    append: (projectId, d) => this.insert('definitions', [{ project_id: projectId, ...d, deleted: d.deleted ? 1 : 0 }]),
    exclusive: (fn) => fn(),
  });

  createDefinition(projectId: ProjectId, input: DefinitionInput): Promise<Definition> {
    return this.definitions.create(projectId, input, randomUUID());
  }
  updateDefinition(projectId: ProjectId, id: string, input: DefinitionInput): Promise<Definition | null> {
    return this.definitions.update(projectId, id, input);
  }
  deleteDefinition(projectId: ProjectId, id: string): Promise<boolean> {
    return this.definitions.delete(projectId, id);
  }
  getDefinition(projectId: ProjectId, id: string): Promise<Definition | null> {
    return this.definitions.get(projectId, id);
  }
  listDefinitions(projectId: ProjectId): Promise<Definition[]> {
    return this.definitions.list(projectId);
  }
  definitionVersions(projectId: ProjectId, id: string): Promise<Definition[]> {
    return this.definitions.versions(projectId, id);
  }

  // ------------------------------------------------------------ destinations (./destinations.ts)

  readonly destinations = new ClickHouseDestinations({ rows: (q) => this.rows(q), insert: (t, v) => this.insert(t, v) });

  // ------------------------------------------------------------ project settings

  async getSettings(projectId: ProjectId): Promise<Record<string, string>> {
    const rows = await this.rows(`
      SELECT name, argMax(value, (ver, value)) AS value FROM settings
      WHERE project_id = ${sqlString(projectId)} GROUP BY name ORDER BY name`);
    return Object.fromEntries(rows.map((r) => [String(r.name), String(r.value)]));
  }

  async putSettings(projectId: ProjectId, values: Record<string, string>): Promise<void> {
    const ver = settingsVersion();
    await this.insert(
      'settings',
      checkSettings(values).map(([name, value]) => ({ project_id: projectId, name, value, ver })),
    );
  }

  // ------------------------------------------------------------ operations (./ops.ts)

  private get ops(): ChOps {
    return {
      database: this.options.database,
      rows: (q) => this.rows(q),
      command: async (q) => {
        try {
          await this.ch.command({ query: q, clickhouse_settings: QUERY_SETTINGS });
        } catch (e) {
          throw mapError(e);
        }
      },
      insert: (t, v) => this.insert(t, v),
    };
  }
  exportData(projectId: ProjectId, opts: ExportOptions, sink: ExportSink, progress?: ExportProgress): Promise<ExportCounts> {
    return exportClickHouse(this.ops, projectId, opts, sink, progress);
  }
  importData<K extends ExportKind>(projectId: ProjectId, kind: K, rows: ExportRows[K][]): Promise<ImportResult> {
    return importVia(
      (events, chunks) => this.append(projectId, events, chunks),
      (k, raw) => importRowsClickHouse(this.ops, projectId, k, raw),
      kind,
      rows,
    );
  }
  async purge(projectId: ProjectId, olderThanMs: number, now = Date.now()): Promise<{ events: number; chunks: number }> {
    if (!Number.isFinite(olderThanMs) || olderThanMs < 0) throw new StoreError('bad_input', 'olderThanMs must be a non-negative number');
    return purgeClickHouse(this.ops, projectId, now - olderThanMs);
  }
  async deleteUser(projectId: ProjectId, userId: string): Promise<{ events: number; chunks: number }> {
    if (typeof userId !== 'string' || userId === '') throw new StoreError('bad_input', 'userId is required');
    return deleteUserClickHouse(this.ops, projectId, userId);
  }
  async deleteProject(projectId: ProjectId): Promise<{ events: number; chunks: number }> {
    if (typeof projectId !== 'string' || projectId === '') throw new StoreError('bad_input', 'projectId is required');
    return deleteProjectClickHouse(this.ops, projectId);
  }
}

/**
 * A row whose strings are all well-formed UTF-16: ClickHouse refuses the whole insert over one
 * lone surrogate (a definition name, a destination URL), which DuckDB stores as U+FFFD; so here too.
 */
function wellFormedRow(row: Record<string, unknown>): Record<string, unknown> {
  let out = row;
  for (const k in row) {
    const v = row[k];
    const w = typeof v === 'string' ? wellFormed(v) : v;
    if (w !== v) {
      if (out === row) out = { ...row };
      out[k] = w;
    }
  }
  return out;
}

/** (first ts of the chunk's recording, rec, seq, id) — the order replays are played in */
export function sortChunks(chunks: ReplayChunk[]): ReplayChunk[] {
  const recTs = new Map<string, number>();
  for (const c of chunks) recTs.set(c.rec, Math.min(recTs.get(c.rec) ?? Infinity, c.ts));
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return chunks.sort(
    (a, b) => recTs.get(a.rec)! - recTs.get(b.rec)! || cmp(a.rec, b.rec) || a.seq - b.seq || cmp(a.id, b.id),
  );
}

/** ClickHouse rejects a bad regex with CANNOT_COMPILE_REGEXP (427): that is bad input, not a 500. */
function mapError(e: unknown): Error {
  if (e instanceof StoreError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  if (/CANNOT_COMPILE_REGEXP|regexp|re2/i.test(msg)) return new StoreError('bad_input', `invalid regular expression: ${msg}`);
  if (/ECONNREFUSED|ECONNRESET|socket hang up|ETIMEDOUT/i.test(msg)) return new StoreError('store_unavailable', msg);
  return e instanceof Error ? e : new Error(msg);
}
