// Operations on the ClickHouse store. Reads dedupe by id exactly like the query paths (first
// received copy wins) and never rely on merges; deletes are ALTER TABLE … DELETE mutations
// (available since 1.1.54388, so 18.16 has them), awaited through system.mutations because
// `mutations_sync` only arrived in 19.x.
import {
  byAnon,
  checkDefinition,
  checkIdentity,
  DEFAULT_EXPORT_PAGE,
  toExportChunk,
  toExportEvent,
  toExportIdentity,
} from '../common/export-rows.js';
import { StoreError, type ExportCounts, type ExportKind, type ExportOptions, type ExportProgress, type ExportSink, type ImportResult, type ProjectId } from '../types.js';
import { sqlInList, sqlInt, sqlString } from './escape.js';

export interface ChOps {
  database: string;
  rows(query: string): Promise<Record<string, unknown>[]>;
  command(query: string): Promise<void>;
  insert(table: string, values: Record<string, unknown>[]): Promise<void>;
}

/** a window is split until it holds at most this many page sizes of rows */
const WINDOW_PAGES = 2;
const SPLIT_BUCKETS = 64;
const MUTATION_TIMEOUT_MS = 10 * 60_000;

interface Window {
  lo: number;
  hi: number;
}

/** [lo, hi] (inclusive ts) windows of at most ~limit rows each, found with coarse histograms */
async function windows(ch: ChOps, table: string, proj: string, lo: number, hi: number, n: number, limit: number): Promise<Window[]> {
  if (n <= limit || lo >= hi) return [{ lo, hi }];
  const step = Math.ceil((hi - lo + 1) / SPLIT_BUCKETS);
  const buckets = await ch.rows(`
    SELECT intDiv(ts - ${sqlInt(lo)}, ${sqlInt(step)}) AS b, count() AS n FROM ${table}
    WHERE project_id = ${proj} AND ts >= ${sqlInt(lo)} AND ts <= ${sqlInt(hi)}
    GROUP BY b ORDER BY b`);
  const out: Window[] = [];
  let cur: { lo: number; hi: number; n: number } | null = null;
  for (const r of buckets) {
    const b = Number(r.b);
    const bn = Number(r.n);
    const w = { lo: lo + b * step, hi: Math.min(hi, lo + (b + 1) * step - 1) };
    if (bn > limit && step > 1) {
      if (cur) out.push(cur);
      cur = null;
      out.push(...(await windows(ch, table, proj, w.lo, w.hi, bn, limit)));
    } else if (cur && cur.n + bn <= limit) {
      cur.hi = w.hi;
      cur.n += bn;
    } else {
      if (cur) out.push(cur);
      cur = { ...w, n: bn };
    }
  }
  if (cur) out.push(cur);
  return out.map(({ lo: a, hi: b }) => ({ lo: a, hi: b }));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Rows of `table` with ts in [from, to], deduplicated by id, ordered by (ts, id), in windows.
 * Copies of one id may carry different ts (a retried batch is skew-corrected again), so a window
 * takes every copy of the ids it sees and keeps an id only where its chosen copy's ts falls.
 */
async function exportTable(
  ch: ChOps,
  table: 'events' | 'replay_chunks',
  cols: string,
  projectId: string,
  opts: ExportOptions,
  size: number,
  onRows: (rows: Record<string, unknown>[], total: number) => Promise<void>,
): Promise<number> {
  const proj = sqlString(projectId);
  let range = '';
  if (opts.from !== undefined) range += ` AND ts >= ${sqlInt(opts.from, 'ceil')}`;
  if (opts.to !== undefined) range += ` AND ts <= ${sqlInt(opts.to, 'floor')}`;
  const [stats] = await ch.rows(`SELECT count() AS n, min(ts) AS lo, max(ts) AS hi FROM ${table} WHERE project_id = ${proj}${range}`);
  const total = Number(stats?.n ?? 0);
  if (!total) {
    await onRows([], 0);
    return 0;
  }
  for (const w of await windows(ch, table, proj, Number(stats.lo), Number(stats.hi), total, size * WINDOW_PAGES)) {
    const rows = await ch.rows(`
      SELECT ${cols} FROM ${table}
      WHERE project_id = ${proj} AND (session_id, id) IN (
        SELECT session_id, id FROM ${table} WHERE project_id = ${proj} AND ts >= ${sqlInt(w.lo)} AND ts <= ${sqlInt(w.hi)})
      ORDER BY id, received_at, ts
      LIMIT 1 BY id`);
    const mine = rows
      .filter((r) => Number(r.ts) >= w.lo && Number(r.ts) <= w.hi)
      .sort((a, b) => Number(a.ts) - Number(b.ts) || cmp(String(a.id), String(b.id)));
    for (let i = 0; i < mine.length; i += size) await onRows(mine.slice(i, i + size), total);
  }
  return total;
}

export async function exportClickHouse(
  ch: ChOps,
  projectId: ProjectId,
  opts: ExportOptions,
  sink: ExportSink,
  progress?: ExportProgress,
): Promise<ExportCounts> {
  const size = Math.max(1, Math.trunc(opts.pageSize ?? DEFAULT_EXPORT_PAGE));
  const counts: ExportCounts = { event: 0, chunk: 0, identity: 0, definition: 0 };
  const proj = sqlString(projectId);
  const report = (kind: ExportKind, total: number) => progress?.(counts[kind], Math.max(total, counts[kind]), kind);

  await exportTable(
    ch,
    'events',
    'project_id, id, type, ts, session_id, anonymous_id, user_id, url, title, referrer, name, props, chain_hash, node_id, rec_id, rec_seq, received_at',
    projectId,
    opts,
    size,
    async (rows, total) => {
      if (rows.length) {
        const hashes = [...new Set(rows.map((r) => String(r.chain_hash)).filter((h) => h !== ''))];
        const chains = new Map<string, string>();
        if (hashes.length) {
          for (const r of await ch.rows(`SELECT hash, any(chain) AS c FROM chains WHERE ${sqlInList('hash', hashes)} GROUP BY hash`)) {
            chains.set(String(r.hash), String(r.c));
          }
        }
        const out = rows.map((r) => toExportEvent(r, chains.get(String(r.chain_hash)) ?? null));
        await sink('event', out);
        counts.event += out.length;
      }
      report('event', total);
    },
  );

  // the up-front total counts unmerged copies too: finish at the exact number
  progress?.(counts.event, counts.event, 'event');

  // replay chunks are large: smaller pages
  await exportTable(ch, 'replay_chunks', 'id, session_id, rec, seq, ts, events, received_at', projectId, opts, Math.max(1, Math.ceil(size / 10)), async (rows, total) => {
    if (rows.length) {
      const out = rows.map((r) => toExportChunk(r, String(r.events)));
      await sink('chunk', out);
      counts.chunk += out.length;
    }
    report('chunk', total);
  });

  progress?.(counts.chunk, counts.chunk, 'chunk');

  // identities: keyset pages over the primary key (project_id, anonymous_id)
  const [idn] = await ch.rows(`SELECT uniqExact(anonymous_id) AS n FROM identities WHERE project_id = ${proj}`);
  const idTotal = Number(idn?.n ?? 0);
  report('identity', idTotal);
  for (let after: string | null = null; ; ) {
    const rows = await ch.rows(`
      SELECT anonymous_id, argMax(user_id, (ts, user_id)) AS i_user, max(ts) AS i_ts FROM identities
      WHERE project_id = ${proj} ${after !== null ? `AND anonymous_id > ${sqlString(after)}` : ''}
      GROUP BY anonymous_id ORDER BY anonymous_id LIMIT ${sqlInt(size)}`);
    if (!rows.length) break;
    const out = rows.map((r) => toExportIdentity({ anonymous_id: r.anonymous_id, user_id: r.i_user, ts: r.i_ts })).sort(byAnon);
    await sink('identity', out);
    counts.identity += out.length;
    report('identity', idTotal);
    after = out[out.length - 1].anonymous_id;
    if (rows.length < size) break;
  }

  const defs = (
    await ch.rows(`
      SELECT id, version, name, description, category, rules, deleted, created_at, updated_at FROM definitions
      WHERE project_id = ${proj} ORDER BY id, version LIMIT 1 BY id, version`)
  ).map((r) => checkDefinition(r as never));
  report('definition', defs.length);
  for (let i = 0; i < defs.length; i += size) {
    const out = defs.slice(i, i + size);
    await sink('definition', out);
    counts.definition += out.length;
    report('definition', defs.length);
  }
  return counts;
}

export async function importRowsClickHouse(ch: ChOps, projectId: ProjectId, kind: 'identity' | 'definition', raw: unknown[]): Promise<ImportResult> {
  const proj = sqlString(projectId);
  if (kind === 'identity') {
    const rows = raw.map((r) => checkIdentity(r as never));
    const key = (a: string, u: string, t: number) => JSON.stringify([a, u, t]);
    const have = new Set(
      (
        await ch.rows(`SELECT anonymous_id, user_id, ts FROM identities
          WHERE project_id = ${proj} AND ${sqlInList('anonymous_id', [...new Set(rows.map((r) => r.anonymous_id))])}`)
      ).map((r) => key(String(r.anonymous_id), String(r.user_id), Number(r.ts))),
    );
    const fresh = rows.filter((r) => {
      const k = key(r.anonymous_id, r.user_id, r.ts);
      if (have.has(k)) return false;
      have.add(k);
      return true;
    });
    await ch.insert('identities', fresh.map((r) => ({ project_id: projectId, ...r, ver: Math.max(0, r.ts) })));
    return { inserted: fresh.length, duplicates: rows.length - fresh.length };
  }
  const rows = raw.map((r) => checkDefinition(r as never));
  const have = new Set(
    (await ch.rows(`SELECT DISTINCT id, version FROM definitions WHERE project_id = ${proj}`)).map((r) => `${String(r.id)}\u0000${Number(r.version)}`),
  );
  const fresh = rows.filter((r) => {
    const k = `${r.id}\u0000${r.version}`;
    if (have.has(k)) return false;
    have.add(k);
    return true;
  });
  await ch.insert('definitions', fresh.map((d) => ({ project_id: projectId, ...d, deleted: d.deleted ? 1 : 0 })));
  return { inserted: fresh.length, duplicates: rows.length - fresh.length };
}

async function waitForMutations(ch: ChOps, tables: string[]): Promise<void> {
  const deadline = Date.now() + MUTATION_TIMEOUT_MS;
  for (let delay = 20; ; delay = Math.min(500, delay * 2)) {
    const [r] = await ch.rows(`SELECT count() AS n FROM system.mutations
      WHERE database = ${sqlString(ch.database)} AND ${sqlInList('table', tables)} AND is_done = 0`);
    if (Number(r?.n ?? 0) === 0) return;
    if (Date.now() > deadline) throw new StoreError('store_unavailable', `ClickHouse mutations on ${tables.join(', ')} did not finish in time; see system.mutations`);
    await new Promise((res) => setTimeout(res, delay));
  }
}

async function uniq(ch: ChOps, table: string, where: string): Promise<number> {
  const [r] = await ch.rows(`SELECT uniqExact(id) AS n FROM ${table} WHERE ${where}`);
  return Number(r?.n ?? 0);
}

/**
 * Finished webhook deliveries of events that are gone (after the events' mutation finished):
 * nothing can send or re-send them, so they only take room. Pending ones stay for the sender.
 */
async function dropFinishedDeliveriesOfGoneEvents(ch: ChOps, projectId: ProjectId): Promise<void> {
  const proj = sqlString(projectId);
  const ids = (
    await ch.rows(`SELECT id FROM (
        SELECT id, argMax(state, ver) AS st, any(event_id) AS ev FROM deliveries WHERE project_id = ${proj} GROUP BY id
      ) WHERE st != 'pending' AND ev NOT IN (SELECT id FROM events WHERE project_id = ${proj})`)
  ).map((r) => String(r.id));
  for (let i = 0; i < ids.length; i += 1000) {
    await ch.command(`ALTER TABLE deliveries DELETE WHERE project_id = ${proj} AND ${sqlInList('id', ids.slice(i, i + 1000))}`);
  }
  if (ids.length) await waitForMutations(ch, ['deliveries']);
}

export async function purgeClickHouse(ch: ChOps, projectId: ProjectId, cutoff: number): Promise<{ events: number; chunks: number }> {
  const where = `project_id = ${sqlString(projectId)} AND ts < ${sqlInt(cutoff, 'floor')}`;
  const events = await uniq(ch, 'events', where);
  const chunks = await uniq(ch, 'replay_chunks', where);
  if (events) await ch.command(`ALTER TABLE events DELETE WHERE ${where}`);
  if (chunks) await ch.command(`ALTER TABLE replay_chunks DELETE WHERE ${where}`);
  await waitForMutations(ch, ['events', 'replay_chunks']);
  await dropFinishedDeliveriesOfGoneEvents(ch, projectId);
  return { events, chunks };
}

export async function deleteUserClickHouse(ch: ChOps, projectId: ProjectId, userId: string): Promise<{ events: number; chunks: number }> {
  const proj = sqlString(projectId);
  const uid = sqlString(userId);
  const anons = [
    ...new Set(
      [
        ...(await ch.rows(`SELECT DISTINCT anonymous_id FROM events WHERE project_id = ${proj} AND user_id = ${uid}`)),
        ...(await ch.rows(`SELECT DISTINCT anonymous_id FROM identities WHERE project_id = ${proj} AND user_id = ${uid}`)),
      ].map((r) => String(r.anonymous_id)),
    ),
  ];
  // Literal lists, not subqueries: the mutation must delete exactly what was counted.
  const eventWhere = `project_id = ${proj} AND (user_id = ${uid} OR (isNull(user_id) AND ${sqlInList('anonymous_id', anons)}))`;
  const sessions = (await ch.rows(`SELECT DISTINCT session_id FROM events WHERE ${eventWhere}`)).map((r) => String(r.session_id));
  const chunkWhere = `project_id = ${proj} AND ${sqlInList('session_id', sessions)}`;
  const events = await uniq(ch, 'events', eventWhere);
  const chunks = sessions.length ? await uniq(ch, 'replay_chunks', chunkWhere) : 0;
  if (events) await ch.command(`ALTER TABLE events DELETE WHERE ${eventWhere}`);
  if (chunks) await ch.command(`ALTER TABLE replay_chunks DELETE WHERE ${chunkWhere}`);
  await ch.command(`ALTER TABLE identities DELETE WHERE project_id = ${proj} AND user_id = ${uid}`);
  await waitForMutations(ch, ['events', 'replay_chunks', 'identities']);
  await dropFinishedDeliveriesOfGoneEvents(ch, projectId);
  return { events, chunks };
}

/** the project's rows of these go with it (events and chunks are counted first) */
const PROJECT_TABLES = ['identities', 'definitions', 'settings', 'destinations', 'deliveries', 'backfill_jobs'];

export async function deleteProjectClickHouse(ch: ChOps, projectId: ProjectId): Promise<{ events: number; chunks: number }> {
  const where = `project_id = ${sqlString(projectId)}`;
  const events = await uniq(ch, 'events', where);
  const chunks = await uniq(ch, 'replay_chunks', where);
  const tables = ['events', 'replay_chunks', ...PROJECT_TABLES];
  for (const t of tables) await ch.command(`ALTER TABLE ${t} DELETE WHERE ${where}`);
  await waitForMutations(ch, tables);
  return { events, chunks };
}
