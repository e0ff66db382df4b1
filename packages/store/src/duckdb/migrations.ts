// Versioned schema. Each migration runs once, inside a transaction, and records its version in
// schema_migrations, so opening an old file upgrades it and opening a current file is a no-op.
// Never edit a released migration: append a new one.
import type { DuckDBConnection } from '@duckdb/node-api';

export interface Migration {
  version: number;
  description: string;
  statements: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'events, chains, replay chunks, identities, definitions',
    statements: [
      // No primary key on events: an ART index over tens of millions of ids costs lots of RAM and
      // slows every insert. Dedupe is a semi-join against the staged batch instead (see append.ts);
      // UUIDv7 ids grow with time, so DuckDB's join-filter pushdown skips old row groups.
      `CREATE TABLE events (
        project_id VARCHAR NOT NULL,
        id VARCHAR NOT NULL,
        type VARCHAR NOT NULL,
        ts BIGINT NOT NULL,
        session_id VARCHAR NOT NULL,
        anonymous_id VARCHAR NOT NULL,
        user_id VARCHAR,
        url VARCHAR NOT NULL,
        title VARCHAR,
        referrer VARCHAR,
        name VARCHAR,
        props VARCHAR,
        chain_hash VARCHAR NOT NULL,
        node_id BIGINT,
        rec_id VARCHAR,
        rec_seq BIGINT,
        received_at BIGINT NOT NULL
      )`,
      // Chains repeat heavily; each distinct chain is stored once, content-addressed.
      `CREATE TABLE chains (hash VARCHAR PRIMARY KEY, chain VARCHAR NOT NULL)`,
      `CREATE TABLE replay_chunks (
        project_id VARCHAR NOT NULL,
        id VARCHAR NOT NULL,
        session_id VARCHAR NOT NULL,
        rec VARCHAR NOT NULL,
        seq BIGINT NOT NULL,
        ts BIGINT NOT NULL,
        events BLOB NOT NULL, -- gzip of the rrweb events JSON array
        received_at BIGINT NOT NULL
      )`,
      // anonymous id → user id, learned from any event carrying a userId; latest (ts, user_id) wins.
      `CREATE TABLE identities (
        project_id VARCHAR NOT NULL,
        anonymous_id VARCHAR NOT NULL,
        user_id VARCHAR NOT NULL,
        ts BIGINT NOT NULL,
        PRIMARY KEY (project_id, anonymous_id)
      )`,
      // One row per version; deleting appends a tombstone version (deleted = true).
      `CREATE TABLE definitions (
        project_id VARCHAR NOT NULL,
        id VARCHAR NOT NULL,
        version INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        description VARCHAR NOT NULL,
        category VARCHAR NOT NULL,
        rules VARCHAR NOT NULL,
        deleted BOOLEAN NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (project_id, id, version)
      )`,
    ],
  },
  {
    version: 2,
    description: 'project settings',
    statements: [
      `CREATE TABLE settings (
        project_id VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        value VARCHAR NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (project_id, name)
      )`,
    ],
  },
  {
    version: 3,
    description: 'destinations, deliveries, backfill jobs',
    statements: [
      `CREATE TABLE destinations (
        project_id VARCHAR NOT NULL,
        id VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        url VARCHAR NOT NULL,
        secret VARCHAR NOT NULL,
        definitions VARCHAR NOT NULL, -- JSON: "all" or a list of definition ids
        enabled BOOLEAN NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (project_id, id)
      )`,
      // the durable queue: one row per (destination, definition, event), updated in place
      `CREATE TABLE deliveries (
        project_id VARCHAR NOT NULL,
        id VARCHAR NOT NULL,
        destination_id VARCHAR NOT NULL,
        definition_id VARCHAR NOT NULL,
        definition_name VARCHAR NOT NULL,
        event_id VARCHAR NOT NULL,
        job_id VARCHAR NOT NULL,
        state VARCHAR NOT NULL,
        attempts INTEGER NOT NULL,
        next_at BIGINT NOT NULL,
        last_status INTEGER,
        last_error VARCHAR,
        owner VARCHAR NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (project_id, id)
      )`,
      `CREATE TABLE backfill_jobs (
        project_id VARCHAR NOT NULL,
        id VARCHAR NOT NULL,
        destination_id VARCHAR NOT NULL,
        definition_id VARCHAR NOT NULL,
        state VARCHAR NOT NULL,
        total BIGINT NOT NULL,
        enqueued BIGINT NOT NULL,
        skipped BIGINT NOT NULL,
        error VARCHAR,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (project_id, id)
      )`,
    ],
  },
];

export async function migrate(conn: DuckDBConnection): Promise<number[]> {
  await conn.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at BIGINT NOT NULL)`);
  const done = new Set(
    (await conn.runAndReadAll('SELECT version FROM schema_migrations')).getRows().map((r) => Number(r[0])),
  );
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    await conn.run('BEGIN TRANSACTION');
    try {
      for (const s of m.statements) await conn.run(s);
      await conn.run('INSERT INTO schema_migrations VALUES ($v, $d, $t)', {
        v: m.version,
        d: m.description,
        t: BigInt(Date.now()),
      });
      await conn.run('COMMIT');
    } catch (e) {
      await conn.run('ROLLBACK');
      throw e;
    }
    applied.push(m.version);
  }
  return applied;
}
