// Embedded default store: one DuckDB file. Writes go through one connection behind a serial
// queue; reads use a few other connections (MVCC: they see every committed append and never
// block it), so a slow definition preview does not hold up the sessions page.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { createRequire } from 'node:module';
import type { Definition, DefinitionInput, ReplayChunk, SessionSummary } from '@hindsight/schema';
import { SerialQueue } from '../common/queue.js';
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
import { rowToEvent } from '../common/rows.js';
import { rowToSession } from '../common/sessions.js';
import { DefinitionLog, toDefinitionRow } from '../common/definitions.js';
import { checkSettings } from '../common/settings.js';
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
import { GroupCommit } from './group-commit.js';
import { KnownChains } from './append.js';
import { anyFilterSql } from './filters.js';
import { duckdbFunnel, duckdbFunnelDropoffs, duckdbTrend, duckdbTrendBreakdown } from './insights.js';
import { duckdbRetention, duckdbTimeToEvent } from './cohorts.js';
import { claimFile, lockError, releaseFile } from './lock.js';
import { migrate } from './migrations.js';
import { DuckDBDestinations } from './destinations.js';
import { Params } from './params.js';
import { sessionsSql } from './sessions.js';
import { deleteProjectDuckDB, deleteUserDuckDB, exportDuckDB, importRowsDuckDB, purgeDuckDB } from './ops.js';
import { importVia } from '../common/export-rows.js';
import type { ExportCounts, ExportKind, ExportOptions, ExportProgress, ExportRows, ExportSink, ImportResult, ReplayChunkMeta } from '../types.js';

// @duckdb/node-api decodes every string it reads with a default TextDecoder, which drops a leading
// U+FEFF (byte order mark): a session id or URL that starts with one came back without it (an id
// no route could open). Its decoder is a mutable export read at each call; this one keeps the mark.
(createRequire(import.meta.url)('@duckdb/node-api/lib/vectors/dataAccessors.js') as { textDecoder: TextDecoder }).textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

const gunzipAsync = promisify(gunzip);

/** read connections; DuckDB parallelises each query itself, more would only add contention */
const READERS = 3;

const EVENT_COLS = `e.project_id, e.id, e.type, e.ts, e.session_id, e.anonymous_id, e.user_id, e.url, e.title,
  e.referrer, e.name, e.props, e.chain_hash, e.node_id, e.rec_id, e.rec_seq, e.received_at, c.chain`;

interface Open {
  instance: DuckDBInstance;
  writer: DuckDBConnection;
  readers: { conn: DuckDBConnection; queue: SerialQueue; pending: number }[];
  key: string;
}

export class DuckDBStore implements Store {
  readonly kind = 'duckdb' as const;
  private open: Open | null = null;
  private opening: Promise<void> | null = null;
  private readonly writes = new SerialQueue();
  private readonly knownChains = new KnownChains();
  private readonly groupCommit = new GroupCommit((fn) => this.write(fn), this.knownChains);

  /**
   * A fatal DuckDB error (e.g. the disk filled up during a checkpoint) invalidates the instance
   * until it is reopened; we reopen it ourselves (replaying the WAL) so the server recovers once
   * space is free, instead of answering every later request with an error until someone restarts it.
   */
  private reopening: Promise<void> | null = null;
  private closedByUser = false;
  /** a fatal error dropped the instance: the next use reopens it */
  private invalidated = false;

  /** @param path the database file (created with its directory when missing) */
  constructor(
    readonly path: string,
    private readonly options: DuckDBOptions = {},
  ) {}

  init(): Promise<void> {
    this.opening ??= this.doInit().catch((e) => {
      this.opening = null;
      throw e;
    });
    return this.opening;
  }

  private async doInit(): Promise<void> {
    const key = claimFile(this.path);
    let instance: DuckDBInstance | null = null;
    try {
      mkdirSync(dirname(key), { recursive: true });
      // memory_limit: DuckDB defaults to 80 % of RAM, too much beside the Node process;
      // what does not fit spills to `<file>.tmp` next to the database.
      instance = await DuckDBInstance.create(key, this.options.memoryLimit ? { memory_limit: this.options.memoryLimit } : undefined);
      const writer = await instance.connect();
      await migrate(writer);
      const readers = [];
      for (let i = 0; i < READERS; i++) readers.push({ conn: await instance.connect(), queue: new SerialQueue(), pending: 0 });
      this.open = { instance, writer, readers, key };
    } catch (e) {
      instance?.closeSync();
      releaseFile(key);
      throw lockError(key, e) ?? e;
    }
  }

  async close(): Promise<void> {
    this.closedByUser = true;
    await this.reopening;
    const o = this.open;
    if (!o) return;
    await this.writes.idle();
    await Promise.all(o.readers.map((r) => r.queue.idle()));
    this.open = null;
    this.opening = null;
    for (const r of o.readers) r.conn.closeSync();
    o.writer.closeSync();
    o.instance.closeSync();
    releaseFile(o.key);
  }

  /** DuckDB's effective memory_limit as it reports it (e.g. "1.9 GiB"), for the startup banner */
  async memoryLimit(): Promise<string> {
    const [row] = await this.query(`SELECT current_setting('memory_limit') AS m`);
    return String(row?.m ?? '');
  }

  private get db(): Open {
    if (!this.open) {
      if (this.invalidated) this.reopen();
      throw new StoreError('store_unavailable', this.invalidated ? REOPENING : 'DuckDB store is not open (call init())');
    }
    return this.open;
  }

  /** Maps the error; after a fatal one, drops the dead instance and reopens in the background. */
  private fail = (e: unknown, hasRegex = false): never => {
    const msg = e instanceof Error ? e.message : String(e);
    if (FATAL.test(msg) && !this.closedByUser) {
      this.invalidated = true;
      this.reopen();
    }
    return mapError(e, hasRegex);
  };

  private reopen(): void {
    if (this.reopening || this.closedByUser) return;
    const dead = this.open;
    this.open = null;
    this.opening = null;
    this.reopening = (async () => {
      if (dead) {
        // let queued work fail fast on the dead connections before they are closed
        await Promise.race([Promise.all([this.writes.idle(), ...dead.readers.map((r) => r.queue.idle())]), sleep(2000)]);
        for (const c of [...dead.readers.map((r) => r.conn), dead.writer]) {
          try {
            c.closeSync();
          } catch {
            /* already unusable */
          }
        }
        try {
          dead.instance.closeSync();
        } catch {
          /* already unusable */
        }
        releaseFile(dead.key);
        this.knownChains.clear();
      }
      try {
        await this.init();
        this.invalidated = false;
      } catch {
        // still failing (disk still full?): the next request tries again, at most every second
        await sleep(1000);
      }
    })().finally(() => {
      this.reopening = null;
    });
  }

  private write<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.writes.run(() => fn(this.db.writer)).catch(this.fail);
  }

  private async query(sql: string, p?: Params): Promise<Record<string, unknown>[]> {
    const { readers } = this.db;
    const reader = readers.reduce((a, b) => (b.pending < a.pending ? b : a));
    reader.pending++;
    try {
      return await reader.queue.run(async () => {
        const r = await reader.conn.runAndReadAll(sql, p?.values, p?.types);
        return r.getRowObjectsJS() as Record<string, unknown>[];
      });
    } catch (e) {
      return this.fail(e, sql.includes('regexp_matches'));
    } finally {
      reader.pending--;
    }
  }

  async append(projectId: ProjectId, events: StoredEvent[], chunks: ReplayChunk[]): Promise<AppendResult> {
    return this.groupCommit.append(projectId, events, chunks).catch(this.fail);
  }

  async listSessions(projectId: ProjectId, q: SessionQuery): Promise<{ sessions: SessionSummary[]; next: string | null }> {
    const limit = clampLimit(q.limit);
    const sort = sessionSort(q.sort);
    const cursor = decodeCursor(q.cursor, sort);
    const p = new Params();
    const proj = p.add(projectId);
    const inner: string[] = [];
    const outer: string[] = [];
    const sessionsWhere = (cond: string) => `e.session_id IN (SELECT session_id FROM events e WHERE e.project_id = ${proj} AND ${cond})`;
    if (q.url !== undefined && q.url !== '') inner.push(sessionsWhere(`contains(e.url, ${p.add(q.url)})`));
    if (q.events !== undefined) inner.push(sessionsWhere(anyFilterSql(q.events, p)));
    if (q.userId !== undefined) {
      const uid = p.add(q.userId);
      // Prefilter to sessions that can belong to the user; the outer condition is the exact one.
      inner.push(sessionsWhere(`(e.user_id = ${uid}
        OR e.anonymous_id IN (SELECT anonymous_id FROM identities WHERE project_id = ${proj} AND user_id = ${uid}))`));
      outer.push(`user_id = ${uid}`);
    }
    if (q.from !== undefined && q.from !== null) outer.push(`started_at >= ${p.add(Math.ceil(q.from))}`);
    if (q.to !== undefined && q.to !== null) outer.push(`started_at <= ${p.add(Math.floor(q.to))}`);
    if (q.hasError !== undefined) outer.push(`has_error = ${p.add(q.hasError)}`);
    if (q.frustrated !== undefined) outer.push(`(rage_clicks + dead_clicks > 0) = ${p.add(q.frustrated)}`);
    if (q.minDurationMs !== undefined && q.minDurationMs !== null) outer.push(`duration_ms >= ${p.add(Math.ceil(q.minDurationMs))}`);
    if (cursor) outer.push(afterCursorSql(cursor, (v) => p.add(v)));
    const orderBy = orderBySql(sort);
    let rows: Record<string, unknown>[];
    if (q.userId !== undefined) {
      // already narrowed to the user's few sessions by the inner prefilter
      rows = await this.query(sessionsSql(p, proj, inner, outer, p.add(limit + 1), orderBy), p);
    } else {
      // Two phases: pick the page's session ids with a narrow aggregate (numbers and flags only),
      // then build full summaries (arg_min over strings, identities) for those ids only.
      const page = await this.query(
        `SELECT id FROM (
           SELECT session_id AS id, min(ts) AS started_at, max(ts) - min(ts) AS duration_ms, count(*) AS event_count,
             bool_or(type = 'error') AS has_error,
             count_if(type = 'rage_click') AS rage_clicks, count_if(type = 'dead_click') AS dead_clicks
           FROM events e WHERE e.project_id = ${proj} ${inner.map((c) => `AND ${c}`).join(' ')}
           GROUP BY session_id)
         ${outer.length ? `WHERE ${outer.join(' AND ')}` : ''}
         ORDER BY ${orderBy} LIMIT ${p.add(limit + 1)}`,
        p,
      );
      const p2 = new Params();
      rows = page.length
        ? await this.query(sessionsSql(p2, p2.add(projectId), [p2.inList('e.session_id', page.map((r) => String(r.id)))], [], null, orderBy), p2)
        : [];
      if (page.length > limit) rows.push(page[limit]); // only its presence matters (`next`)
    }
    const sessions = rows.slice(0, limit).map(rowToSession);
    return { sessions, next: nextCursor(sort, sessions, rows.length > limit) };
  }

  async getSession(projectId: ProjectId, sessionId: string): Promise<SessionSummary | null> {
    const p = new Params();
    const proj = p.add(projectId);
    const rows = await this.query(sessionsSql(p, proj, [`e.session_id = ${p.add(sessionId)}`], [], null), p);
    return rows[0] ? rowToSession(rows[0]) : null;
  }

  async sessionEvents(projectId: ProjectId, sessionId: string): Promise<StoredEvent[]> {
    const p = new Params();
    const rows = await this.query(
      `SELECT ${EVENT_COLS} FROM events e LEFT JOIN chains c ON c.hash = e.chain_hash
       WHERE e.project_id = ${p.add(projectId)} AND e.session_id = ${p.add(sessionId)}
       ORDER BY e.ts, e.id`,
      p,
    );
    return rows.map((r) => rowToEvent(r, r.chain as string | null));
  }

  async replayChunks(projectId: ProjectId, sessionId: string): Promise<ReplayChunk[]> {
    const p = new Params();
    const rows = await this.query(
      `SELECT id, session_id, rec, seq, ts, events, min(ts) OVER (PARTITION BY rec) AS rec_ts
       FROM replay_chunks WHERE project_id = ${p.add(projectId)} AND session_id = ${p.add(sessionId)}
       ORDER BY rec_ts, rec, seq, id`,
      p,
    );
    return Promise.all(
      rows.map(async (r) => ({
        id: String(r.id),
        sessionId: String(r.session_id),
        rec: String(r.rec),
        seq: Number(r.seq),
        ts: Number(r.ts),
        events: JSON.parse((await gunzipAsync(r.events as Uint8Array)).toString('utf8')) as unknown[],
      })),
    );
  }

  async replayChunkList(projectId: ProjectId, sessionId: string): Promise<ReplayChunkMeta[]> {
    const p = new Params();
    const rows = await this.query(
      `SELECT id, session_id, rec, seq, ts, min(ts) OVER (PARTITION BY rec) AS rec_ts
       FROM replay_chunks WHERE project_id = ${p.add(projectId)} AND session_id = ${p.add(sessionId)}
       ORDER BY rec_ts, rec, seq, id`,
      p,
    );
    return rows.map((r) => ({ id: String(r.id), sessionId: String(r.session_id), rec: String(r.rec), seq: Number(r.seq), ts: Number(r.ts) }));
  }

  async replayChunksById(projectId: ProjectId, sessionId: string, ids: string[]): Promise<ReplayChunk[]> {
    if (ids.length === 0) return [];
    // rec_ts must come from the whole recording, not only the requested chunks, to keep
    // replayChunks' order; it is computed without the events column so only the requested
    // chunks' blobs are read
    const p = new Params();
    const proj = p.add(projectId);
    const sess = p.add(sessionId);
    const rows = await this.query(
      `WITH r AS (SELECT rec, min(ts) AS rec_ts FROM replay_chunks WHERE project_id = ${proj} AND session_id = ${sess} GROUP BY rec)
       SELECT c.id, c.session_id, c.rec, c.seq, c.ts, c.events, r.rec_ts
       FROM replay_chunks c JOIN r ON r.rec = c.rec
       WHERE c.project_id = ${proj} AND c.session_id = ${sess} AND ${p.inList('c.id', ids)}
       ORDER BY r.rec_ts, c.rec, c.seq, c.id`,
      p,
    );
    return Promise.all(
      rows.map(async (r) => ({
        id: String(r.id),
        sessionId: String(r.session_id),
        rec: String(r.rec),
        seq: Number(r.seq),
        ts: Number(r.ts),
        events: JSON.parse((await gunzipAsync(r.events as Uint8Array)).toString('utf8')) as unknown[],
      })),
    );
  }

  async distinctChains(projectId: ProjectId, types?: string[]): Promise<ChainRow[]> {
    const p = new Params();
    const typeCond = types && types.length ? `AND ${p.inList('e.type', types)}` : '';
    const rows = await this.query(
      `SELECT c.hash, c.chain FROM chains c
       WHERE c.hash IN (SELECT DISTINCT e.chain_hash FROM events e
                        WHERE e.project_id = ${p.add(projectId)} AND e.chain_hash <> '' ${typeCond})
       ORDER BY c.hash`,
      p,
    );
    return rows.map((r) => ({ hash: String(r.hash), chain: JSON.parse(String(r.chain)) }));
  }

  async countMatches(projectId: ProjectId, filters: EventFilter[], sampleSize = DEFAULT_SAMPLE_SIZE): Promise<MatchCounts> {
    const n = sampleSize > 0 ? clampLimit(sampleSize, DEFAULT_SAMPLE_SIZE, MAX_SAMPLE_SIZE) : 0;
    const p = new Params();
    const proj = p.add(projectId);
    const where = `e.project_id = ${proj} AND ${anyFilterSql(filters, p)}`;
    // One pass over the matches. Users: a user is the identified user of the anonymous id, else
    // the anonymous id. The identity table has every anonymous id that any event with a userId
    // carried (written in the same transaction), so the user depends on the anonymous id alone and
    // is resolved over the few distinct anonymous ids, not per matching event (3x cheaper at 10M).
    // The prefixes keep a user id and an anonymous id with the same text apart. max(ts, n) gives
    // the n-th newest ts, so the sample query below reads only row groups at or after it.
    const [r] = await this.query(
      `WITH a AS (
         SELECT count(*) AS events, count(DISTINCT e.session_id) AS sessions,
           list(DISTINCT e.anonymous_id) AS anons ${n ? `, max(e.ts, ${n}) AS top` : ''}
         FROM events e WHERE ${where}
       )
       SELECT events, sessions,
         (SELECT count(DISTINCT coalesce('u:' || i.user_id, 'a:' || x.anon))
          FROM (SELECT unnest(anons) AS anon FROM a) x
          LEFT JOIN identities i ON i.project_id = ${proj} AND i.anonymous_id = x.anon) AS users
         ${n ? ', top[-1] AS edge' : ''}
       FROM a`,
      p,
    );
    const events = Number(r?.events ?? 0);
    const edge = Number(r?.edge);
    let sample: MatchCounts['sample'] = [];
    if (n && events && Number.isSafeInteger(edge)) {
      // the edge as a literal (a number read back from DuckDB) lets zonemaps prune by ts
      const rows = await this.query(
        `SELECT e.id, e.session_id, e.ts FROM events e WHERE ${where} AND e.ts >= ${edge}
         ORDER BY e.ts DESC, e.id DESC LIMIT ${n}`,
        p,
      );
      sample = rows.map((x) => ({ eventId: String(x.id), sessionId: String(x.session_id), ts: Number(x.ts) }));
    }
    return { events, sessions: Number(r?.sessions ?? 0), users: Number(r?.users ?? 0), sample };
  }

  async findEvents(projectId: ProjectId, filters: EventFilter[], opts: { limit?: number; offset?: number } = {}): Promise<StoredEvent[]> {
    const limit = clampLimit(opts.limit, DEFAULT_FIND_LIMIT, MAX_FIND_LIMIT);
    const offset = Math.max(0, Math.trunc(opts.offset ?? 0));
    const p = new Params();
    const rows = await this.query(
      `SELECT ${EVENT_COLS} FROM events e LEFT JOIN chains c ON c.hash = e.chain_hash
       WHERE e.project_id = ${p.add(projectId)} AND ${anyFilterSql(filters, p)}
       ORDER BY e.ts, e.id LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
      p,
    );
    return rows.map((r) => rowToEvent(r, r.chain as string | null));
  }

  // ------------------------------------------------------------ insights (./insights.ts)

  trend(projectId: ProjectId, filters: EventFilter[], opts: TrendOptions): Promise<TrendPoint[]> {
    return duckdbTrend((sql, p) => this.query(sql, p), projectId, filters, opts);
  }

  funnelDropoffs(projectId: ProjectId, steps: EventFilter[][], opts: DropoffOptions): Promise<FunnelDropoff[]> {
    return duckdbFunnelDropoffs((sql, p) => this.query(sql, p), projectId, steps, opts);
  }

  trendBreakdown(projectId: ProjectId, filters: EventFilter[], opts: BreakdownOptions): Promise<BreakdownSeries[]> {
    return duckdbTrendBreakdown((sql, p) => this.query(sql, p), projectId, filters, opts);
  }

  funnel(projectId: ProjectId, steps: EventFilter[][], opts: FunnelOptions): Promise<FunnelStep[]> {
    return duckdbFunnel((sql, p) => this.query(sql, p), projectId, steps, opts);
  }

  retention(projectId: ProjectId, start: EventFilter[], returning: EventFilter[], opts: RetentionOptions): Promise<RetentionResult> {
    return duckdbRetention((sql, p) => this.query(sql, p), projectId, start, returning, opts);
  }

  timeToEvent(projectId: ProjectId, start: EventFilter[], end: EventFilter[], opts: TimeToEventOptions): Promise<TimeToEventResult> {
    return duckdbTimeToEvent((sql, p) => this.query(sql, p), projectId, start, end, opts);
  }

  // ------------------------------------------------------------ definitions

  private readonly definitions = new DefinitionLog({
    read: async (projectId, id) => {
      const p = new Params();
      const rows = await this.query(
        `SELECT * FROM definitions WHERE project_id = ${p.add(projectId)} ${id !== null ? `AND id = ${p.add(id)}` : ''}
         ORDER BY id, version`,
        p,
      );
      return rows.map(toDefinitionRow);
    },
    append: (projectId, d) =>
      this.write(async (c) => {
        const p = new Params();
        const values = [projectId, d.id, d.version, d.name, d.description, d.category, d.rules, d.deleted, d.created_at, d.updated_at];
        await c.run(`INSERT INTO definitions VALUES (${values.map((v) => p.add(v)).join(', ')})`, p.values);
      }),
    // read-then-append must not interleave with another update of the same store
    exclusive: (fn) => this.definitionWrites.run(fn),
  });
  private readonly definitionWrites = new SerialQueue();

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

  readonly destinations = new DuckDBDestinations({ query: (sql, p) => this.query(sql, p), write: (fn) => this.write(fn) });

  // ------------------------------------------------------------ project settings

  async getSettings(projectId: ProjectId): Promise<Record<string, string>> {
    const p = new Params();
    const rows = await this.query(`SELECT name, value FROM settings WHERE project_id = ${p.add(projectId)} ORDER BY name`, p);
    return Object.fromEntries(rows.map((r) => [String(r.name), String(r.value)]));
  }

  async putSettings(projectId: ProjectId, values: Record<string, string>): Promise<void> {
    const entries = checkSettings(values);
    if (entries.length === 0) return;
    return this.write(async (c) => {
      await c.run('BEGIN TRANSACTION');
      try {
        for (const [name, value] of entries) {
          const p = new Params();
          await c.run(
            `INSERT INTO settings VALUES (${p.add(projectId)}, ${p.add(name)}, ${p.add(value)}, ${p.add(Date.now())})
             ON CONFLICT (project_id, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
            p.values,
          );
        }
        await c.run('COMMIT');
      } catch (e) {
        await c.run('ROLLBACK');
        throw e;
      }
    });
  }

  // ------------------------------------------------------------ operations (./ops.ts)

  exportData(projectId: ProjectId, opts: ExportOptions, sink: ExportSink, progress?: ExportProgress): Promise<ExportCounts> {
    return exportDuckDB(this.db.instance, projectId, opts, sink, progress).catch(this.fail);
  }
  importData<K extends ExportKind>(projectId: ProjectId, kind: K, rows: ExportRows[K][]): Promise<ImportResult> {
    return importVia(
      (events, chunks) => this.append(projectId, events, chunks),
      (k, raw) => this.write((c) => importRowsDuckDB(c, projectId, k, raw)),
      kind,
      rows,
    );
  }
  purge(projectId: ProjectId, olderThanMs: number, now = Date.now()): Promise<{ events: number; chunks: number }> {
    if (!Number.isFinite(olderThanMs) || olderThanMs < 0) return Promise.reject(new StoreError('bad_input', 'olderThanMs must be a non-negative number'));
    return this.write((c) => purgeDuckDB(c, projectId, now - olderThanMs)).finally(() => this.knownChains.clear());
  }
  deleteUser(projectId: ProjectId, userId: string): Promise<{ events: number; chunks: number }> {
    if (typeof userId !== 'string' || userId === '') return Promise.reject(new StoreError('bad_input', 'userId is required'));
    return this.write((c) => deleteUserDuckDB(c, projectId, userId)).finally(() => this.knownChains.clear());
  }
  deleteProject(projectId: ProjectId): Promise<{ events: number; chunks: number }> {
    if (typeof projectId !== 'string' || projectId === '') return Promise.reject(new StoreError('bad_input', 'projectId is required'));
    return this.write((c) => deleteProjectDuckDB(c, projectId)).finally(() => this.knownChains.clear());
  }
}

/**
 * DuckDB reports an RE2 compile failure as a bare "Invalid Input Error: missing ): (": in a query
 * with a regex condition that is the user's pattern, so it becomes bad_input (a 4xx, not a 500).
 */
export interface DuckDBOptions {
  /** DuckDB `memory_limit`, e.g. '2GB' (HINDSIGHT_DUCKDB_MEMORY); unset = DuckDB's default */
  memoryLimit?: string;
}

const FATAL = /FATAL Error|database has been invalidated/i;
const REOPENING = 'the database is being reopened after a fatal error; retry in a few seconds';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function mapError(e: unknown, hasRegex = false): never {
  if (e instanceof StoreError) throw e;
  const msg = e instanceof Error ? e.message : String(e);
  // ENOSPC while writing the WAL or checkpointing: the transaction rolled back (or, when only the
  // checkpoint failed, is durable in the WAL); either way nothing acknowledged is lost and a retry
  // of the same batch is deduplicated by event id.
  if (/No space left on device|ENOSPC|disk quota exceeded/i.test(msg)) {
    throw new StoreError('store_full', 'the server is out of disk space: this request was not stored (nothing stored earlier was lost); free disk space and retry');
  }
  if (FATAL.test(msg)) throw new StoreError('store_unavailable', REOPENING);
  if (hasRegex && /Invalid Input Error|regex|regular expression/i.test(msg)) {
    throw new StoreError('bad_input', `invalid regular expression: ${msg.replace(/^.*?Error:\s*/, '')}`);
  }
  throw e;
}
