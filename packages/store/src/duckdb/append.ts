// Batched, deduplicating append. One append = events as one JSON text, new chains and replay
// chunks through appenders into temp staging tables → one transaction of set-based statements →
// COMMIT (DuckDB writes its WAL at commit, so the promise resolves only once the batch is durable).
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import type { ReplayChunk } from '@hindsight/schema';
import { checkedChunk, distinctChainJson, prepareEvent, uniqueBy, type EventRow } from '../common/rows.js';
import type { AppendResult, ProjectId, StoredEvent } from '../types.js';

const gzipAsync = promisify(gzip);

const STAGING = [
  `CREATE TEMP TABLE IF NOT EXISTS stage_chains (hash VARCHAR, chain VARCHAR)`,
  `CREATE TEMP TABLE IF NOT EXISTS stage_chunks AS SELECT * FROM replay_chunks LIMIT 0`,
];

/** the events statements, prepared once per connection (see prepareStatements) */
interface EventStatements {
  /** $1 JSON array of ids, $2 project → the ids already stored */
  dups: DuckDBPreparedStatement;
  /** $1 JSON array of rows → inserted */
  insert: DuckDBPreparedStatement;
  /** $1 JSON array of rows with a user id → identities learned */
  identities: DuckDBPreparedStatement;
}
const statements = new WeakMap<DuckDBConnection, EventStatements>();

/**
 * Creates the staging tables (chains, chunks) and prepares the events' statements. Event rows
 * travel as ONE JSON text that DuckDB parses itself, off the main thread, inside the async
 * statement (an appender costs ~17 native calls per row on Node's main thread, which was the
 * biggest single cost of ingest after validation); its row type is read off the events table, so
 * it follows the schema's migrations. Strings are well-formed (rows.ts), so the text holds no
 * escape DuckDB's JSON reader would refuse.
 */
async function prepareStatements(conn: DuckDBConnection): Promise<EventStatements> {
  for (const s of STAGING) await conn.run(s);
  const cols = (await conn.runAndReadAll('DESCRIBE events')).getRowObjects();
  const rowType = JSON.stringify([Object.fromEntries(cols.map((c) => [String(c.column_name), String(c.column_type)]))]);
  const rows = `(SELECT unnest(from_json($1::VARCHAR, '${rowType}'), recursive := true))`;
  const st: EventStatements = {
    // The semi-join builds its hash table on the batch's ids and only probes events; DuckDB
    // pushes their min/max into the scan, so with time-ordered UUIDv7 ids only the newest row
    // groups are read. (Random ids still work, at the cost of an id-column scan.)
    dups: await conn.prepare(`
      SELECT e.id FROM events e
      SEMI JOIN (SELECT unnest(from_json($1::VARCHAR, '["VARCHAR"]')) AS id) x ON e.id = x.id
      WHERE e.project_id = $2::VARCHAR`),
    insert: await conn.prepare(`INSERT INTO events BY NAME SELECT * FROM ${rows}`),
    identities: await conn.prepare(`
      INSERT INTO identities
      SELECT project_id, anonymous_id, arg_max(user_id, (ts, user_id)), max(ts)
      FROM ${rows} WHERE user_id IS NOT NULL
      GROUP BY project_id, anonymous_id
      ON CONFLICT (project_id, anonymous_id) DO UPDATE SET user_id = excluded.user_id, ts = excluded.ts
      WHERE excluded.ts > identities.ts OR (excluded.ts = identities.ts AND excluded.user_id > identities.user_id)`),
  };
  statements.set(conn, st);
  return st;
}

async function stageChains(conn: DuckDBConnection, chains: Map<string, string>): Promise<void> {
  const a = await conn.createAppender('stage_chains', 'main', 'temp');
  try {
    for (const [hash, json] of chains) {
      a.appendVarchar(hash);
      a.appendVarchar(json);
      a.endRow();
    }
    a.flushSync();
  } finally {
    a.closeSync();
  }
}

async function stageChunks(conn: DuckDBConnection, projectId: string, chunks: ReplayChunk[], now: number): Promise<void> {
  const blobs = await Promise.all(chunks.map((c) => gzipAsync(Buffer.from(JSON.stringify(c.events), 'utf8'))));
  const a = await conn.createAppender('stage_chunks', 'main', 'temp');
  try {
    chunks.forEach((c, i) => {
      a.appendVarchar(projectId);
      a.appendVarchar(c.id);
      a.appendVarchar(c.sessionId);
      a.appendVarchar(c.rec);
      a.appendBigInt(BigInt(Math.trunc(c.seq)));
      a.appendBigInt(BigInt(Math.trunc(c.ts)));
      a.appendBlob(blobs[i]);
      a.appendBigInt(BigInt(now));
      a.endRow();
    });
    a.flushSync();
  } finally {
    a.closeSync();
  }
}

/**
 * Chain hashes known to be stored. Chains repeat heavily (the same button, clicked thousands of
 * times), so most batches bring no new chain: skipping them saves staging and an ON CONFLICT probe
 * per event. Bounded; forgetting a hash only costs one redundant ON CONFLICT DO NOTHING.
 */
export class KnownChains {
  private readonly hashes = new Set<string>();
  constructor(private readonly max = 200_000) {}
  has(hash: string): boolean {
    return this.hashes.has(hash);
  }
  /** after chains were deleted (purge / deleteUser garbage-collect orphan chains) */
  clear(): void {
    this.hashes.clear();
  }
  addAll(hashes: Iterable<string>): void {
    for (const h of hashes) {
      if (this.hashes.size >= this.max) this.hashes.clear();
      this.hashes.add(h);
    }
  }
}

export async function appendBatch(
  conn: DuckDBConnection,
  projectId: ProjectId,
  events: StoredEvent[],
  chunks: ReplayChunk[],
  known: KnownChains = new KnownChains(),
): Promise<AppendResult & { insertedIds: Set<string>; insertedChunkIds: Set<string> }> {
  const prepared = uniqueBy(events.map((e) => prepareEvent(projectId, e)), (p) => p.row.id);
  const uniqueChunks = uniqueBy(chunks.map(checkedChunk), (c) => c.id);
  const chains = distinctChainJson(prepared.filter((p) => p.chain && !known.has(p.row.chain_hash)));
  const rows = prepared.map((p) => p.row);

  // temp tables and prepared statements live as long as the connection
  const st = statements.get(conn) ?? (await prepareStatements(conn));
  // Stage outside the transaction: the temp tables are private to this connection anyway.
  if (chains.size) {
    await conn.run('DELETE FROM stage_chains');
    await stageChains(conn, chains);
  }
  if (uniqueChunks.length) {
    await conn.run('DELETE FROM stage_chunks');
    await stageChunks(conn, projectId, uniqueChunks, Date.now());
  }

  await conn.run('BEGIN TRANSACTION');
  try {
    let inserted = 0;
    const insertedIds = new Set<string>();
    const insertedChunkIds = new Set<string>();
    let chunksInserted = 0;
    if (rows.length) {
      // Duplicates are rare (a retried batch): ask which ids are stored (the writer is the only
      // one, and this is one transaction), then insert the others.
      st.dups.bindVarchar(1, JSON.stringify(rows.map((r) => r.id)));
      st.dups.bindVarchar(2, projectId);
      const dups = new Set((await st.dups.runAndReadAll()).getRows().map(([id]) => String(id)));
      const fresh = dups.size ? rows.filter((r) => !dups.has(r.id)) : rows;
      if (fresh.length) {
        st.insert.bindVarchar(1, JSON.stringify(fresh));
        await st.insert.run();
      }
      for (const r of fresh) insertedIds.add(r.id);
      inserted = insertedIds.size;
      // Any new event with a userId teaches the identity of its anonymous id (duplicates taught
      // it when first stored, and the upsert keeps the latest (ts, user_id) either way).
      const users = fresh.filter((r) => r.user_id !== null);
      if (users.length) {
        st.identities.bindVarchar(1, JSON.stringify(users));
        await st.identities.run();
      }
    }
    if (chains.size) {
      await conn.run(`INSERT INTO chains SELECT hash, chain FROM stage_chains ON CONFLICT DO NOTHING`);
    }
    if (uniqueChunks.length) {
      const ins = await conn.runAndReadAll(`
        INSERT INTO replay_chunks
        SELECT s.* FROM stage_chunks s
        WHERE s.id NOT IN (
          SELECT c.id FROM replay_chunks c SEMI JOIN stage_chunks x ON c.project_id = x.project_id AND c.id = x.id
        )
        RETURNING id`);
      for (const [id] of ins.getRows()) insertedChunkIds.add(String(id));
      chunksInserted = insertedChunkIds.size;
    }
    await conn.run('COMMIT');
    known.addAll(chains.keys()); // only after commit: a rolled-back chain must be staged again
    return { inserted, duplicates: events.length - inserted, chunks: chunksInserted, insertedIds, insertedChunkIds };
  } catch (e) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
