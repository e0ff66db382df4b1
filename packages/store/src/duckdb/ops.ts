// Operations on the DuckDB store: export (one streamed query per kind, so the table never sits in
// JS memory), import (through append's dedupe), purge and deleteUser (one transaction each).
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import {
  checkDefinition,
  checkIdentity,
  DEFAULT_EXPORT_PAGE,
  toExportChunk,
  toExportEvent,
  toExportIdentity,
} from '../common/export-rows.js';
import type { ExportCounts, ExportKind, ExportOptions, ExportProgress, ExportRows, ExportSink, ImportResult, ProjectId } from '../types.js';
import { Params } from './params.js';
import { streamRows } from './stream.js';

const gunzipAsync = promisify(gunzip);


function rangeSql(p: Params, col: string, opts: ExportOptions): string {
  let s = '';
  if (opts.from !== undefined) s += ` AND ${col} >= ${p.add(Math.ceil(opts.from))}`;
  if (opts.to !== undefined) s += ` AND ${col} <= ${p.add(Math.floor(opts.to))}`;
  return s;
}

async function count(conn: DuckDBConnection, sql: string, p: Params): Promise<number> {
  const r = await conn.runAndReadAll(sql, p.values, p.types);
  return Number(r.getRows()[0]?.[0] ?? 0);
}

export async function exportDuckDB(
  instance: DuckDBInstance,
  projectId: ProjectId,
  opts: ExportOptions,
  sink: ExportSink,
  progress?: ExportProgress,
): Promise<ExportCounts> {
  const size = Math.max(1, Math.trunc(opts.pageSize ?? DEFAULT_EXPORT_PAGE));
  const counts: ExportCounts = { event: 0, chunk: 0, identity: 0, definition: 0 };
  // Own connection: a long export must not queue behind (or hold up) the store's readers.
  const conn = await instance.connect();
  try {
    // One read transaction: every kind comes from the same snapshot.
    await conn.run('BEGIN TRANSACTION');
    const run = async <K extends ExportKind>(
      kind: K,
      countSql: string,
      sql: string,
      p: Params,
      map: (rows: Record<string, unknown>[]) => Promise<ExportRows[K][]>,
    ) => {
      const total = await count(conn, countSql, p);
      progress?.(0, total, kind);
      await streamRows(conn, sql, p, size, async (rows) => {
        const out = await map(rows);
        await sink(kind, out);
        counts[kind] += out.length;
        progress?.(counts[kind], total, kind);
      });
    };

    let p = new Params();
    let where = `e.project_id = ${p.add(projectId)}${rangeSql(p, 'e.ts', opts)}`;
    await run(
      'event',
      `SELECT count(*) FROM events e WHERE ${where}`,
      `SELECT e.*, c.chain FROM events e LEFT JOIN chains c ON c.hash = e.chain_hash WHERE ${where} ORDER BY e.ts, e.id`,
      p,
      async (rows) => rows.map((r) => toExportEvent(r, (r.chain as string | null) ?? null)),
    );

    p = new Params();
    where = `project_id = ${p.add(projectId)}${rangeSql(p, 'ts', opts)}`;
    await run(
      'chunk',
      `SELECT count(*) FROM replay_chunks WHERE ${where}`,
      `SELECT id, session_id, rec, seq, ts, events FROM replay_chunks WHERE ${where} ORDER BY ts, id`,
      p,
      (rows) => Promise.all(rows.map(async (r) => toExportChunk(r, (await gunzipAsync(r.events as Uint8Array)).toString('utf8')))),
    );

    p = new Params();
    where = `project_id = ${p.add(projectId)}`;
    await run(
      'identity',
      `SELECT count(*) FROM identities WHERE ${where}`,
      `SELECT anonymous_id, user_id, ts FROM identities WHERE ${where} ORDER BY anonymous_id`,
      p,
      async (rows) => rows.map(toExportIdentity),
    );
    await run(
      'definition',
      `SELECT count(*) FROM definitions WHERE ${where}`,
      `SELECT id, version, name, description, category, rules, deleted, created_at, updated_at FROM definitions
       WHERE ${where} ORDER BY id, version`,
      p,
      async (rows) => rows.map((r) => checkDefinition(r as never)),
    );
    await conn.run('COMMIT');
    return counts;
  } finally {
    conn.closeSync();
  }
}

/** identities and definitions (events and chunks go through append) */
export async function importRowsDuckDB(
  conn: DuckDBConnection,
  projectId: ProjectId,
  kind: 'identity' | 'definition',
  raw: unknown[],
): Promise<ImportResult> {
  let inserted = 0;
  await conn.run('BEGIN TRANSACTION');
  try {
    for (const r of raw) {
      const p = new Params();
      if (kind === 'identity') {
        const i = checkIdentity(r as never);
        // same rule as append: the latest (ts, user_id) wins
        const res = await conn.run(
          `INSERT INTO identities VALUES (${p.add(projectId)}, ${p.add(i.anonymous_id)}, ${p.add(i.user_id)}, ${p.add(i.ts)})
           ON CONFLICT (project_id, anonymous_id) DO UPDATE SET user_id = excluded.user_id, ts = excluded.ts
           WHERE excluded.ts > identities.ts OR (excluded.ts = identities.ts AND excluded.user_id > identities.user_id)`,
          p.values,
          p.types,
        );
        inserted += Number(res.rowsChanged);
      } else {
        const d = checkDefinition(r as never);
        const vals = [projectId, d.id, d.version, d.name, d.description, d.category, d.rules, d.deleted, d.created_at, d.updated_at];
        const res = await conn.run(
          `INSERT INTO definitions VALUES (${vals.map((v) => p.add(v)).join(', ')}) ON CONFLICT DO NOTHING`,
          p.values,
          p.types,
        );
        inserted += Number(res.rowsChanged);
      }
    }
    await conn.run('COMMIT');
  } catch (e) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw e;
  }
  return { inserted, duplicates: raw.length - inserted };
}

/** deletes under `cond` (events) and `chunkCond` (chunks) in one transaction, then drops orphan chains */
async function deleteWhere(
  conn: DuckDBConnection,
  p: Params,
  eventCond: string,
  chunkCond: string,
  extra: string[] = [],
): Promise<{ events: number; chunks: number }> {
  await conn.run('BEGIN TRANSACTION');
  try {
    // chunks first: chunkCond may look at the events being deleted
    const c = await conn.run(`DELETE FROM replay_chunks WHERE ${chunkCond}`, p.values, p.types);
    const e = await conn.run(`DELETE FROM events WHERE ${eventCond}`, p.values, p.types);
    for (const s of extra) await conn.run(s, p.values, p.types);
    // Chains may hold personal text (a greeting with a name): keep only chains some event uses.
    await conn.run(`DELETE FROM chains WHERE hash NOT IN (SELECT DISTINCT chain_hash FROM events)`);
    await conn.run('COMMIT');
    return { events: Number(e.rowsChanged), chunks: Number(c.rowsChanged) };
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Finished webhook deliveries of events that are gone: nothing can send or re-send them (a
 * backfill finds no such event), so they only take room. Pending ones stay for the sender.
 * Idempotent, so it runs after the deleting transaction (a crash in between: the next run).
 */
async function dropFinishedDeliveriesOfGoneEvents(conn: DuckDBConnection, projectId: ProjectId): Promise<void> {
  const p = new Params();
  const proj = p.add(projectId);
  await conn.run(
    `DELETE FROM deliveries WHERE project_id = ${proj} AND state <> 'pending'
     AND event_id NOT IN (SELECT id FROM events WHERE project_id = ${proj})`,
    p.values,
    p.types,
  );
}

export async function purgeDuckDB(conn: DuckDBConnection, projectId: ProjectId, cutoff: number): Promise<{ events: number; chunks: number }> {
  const p = new Params();
  const cond = `project_id = ${p.add(projectId)} AND ts < ${p.add(Math.floor(cutoff))}`;
  const r = await deleteWhere(conn, p, cond, cond);
  await dropFinishedDeliveriesOfGoneEvents(conn, projectId);
  await conn.run('CHECKPOINT').catch(() => undefined);
  return r;
}

export async function deleteUserDuckDB(conn: DuckDBConnection, projectId: ProjectId, userId: string): Promise<{ events: number; chunks: number }> {
  const p = new Params();
  const proj = p.add(projectId);
  const uid = p.add(userId);
  // Every anonymous id ever identified as the user (events carry it; identities keep the latest).
  const anons = `(SELECT anonymous_id FROM events WHERE project_id = ${proj} AND user_id = ${uid}
    UNION SELECT anonymous_id FROM identities WHERE project_id = ${proj} AND user_id = ${uid})`;
  const eventCond = `project_id = ${proj} AND (user_id = ${uid} OR (user_id IS NULL AND anonymous_id IN ${anons}))`;
  const chunkCond = `project_id = ${proj} AND session_id IN (SELECT session_id FROM events WHERE ${eventCond})`;
  const r = await deleteWhere(conn, p, eventCond, chunkCond, [`DELETE FROM identities WHERE project_id = ${proj} AND user_id = ${uid}`]);
  await dropFinishedDeliveriesOfGoneEvents(conn, projectId);
  await conn.run('CHECKPOINT').catch(() => undefined);
  return r;
}

/** the project's rows of these go with it (events and chunks are counted by deleteWhere) */
export const PROJECT_TABLES = ['identities', 'definitions', 'settings', 'destinations', 'deliveries', 'backfill_jobs'] as const;

export async function deleteProjectDuckDB(conn: DuckDBConnection, projectId: ProjectId): Promise<{ events: number; chunks: number }> {
  const p = new Params();
  const cond = `project_id = ${p.add(projectId)}`;
  const r = await deleteWhere(conn, p, cond, cond, PROJECT_TABLES.map((t) => `DELETE FROM ${t} WHERE ${cond}`));
  await conn.run('CHECKPOINT').catch(() => undefined);
  return r;
}
