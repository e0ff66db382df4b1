// ClickHouse schema. Minimum server version: 18.16 (Debian's package): plain String/Nullable/Int64
// columns only (no LowCardinality, DateTime64, Map, CODEC), ORDER BY-style MergeTree DDL, and
// ReplacingMergeTree(ver) where `ver` must be unsigned. Current ClickHouse accepts the same DDL.
//
// Duplicates: several stateless servers may insert the same batch, and ReplacingMergeTree only
// collapses rows sharing the sorting key at some later merge. So every read deduplicates by id
// itself (uniqExact / LIMIT 1 BY id / GROUP BY id) and never relies on FINAL or on merges.
// `keep` = MAX_SAFE_INTEGER - received_at makes the merge keep the first-received copy, the same
// copy DuckDB keeps (it refuses later duplicates at insert).
//
// Every statement is idempotent (IF NOT EXISTS): two servers may run init() at once.

export interface ChMigration {
  version: number;
  description: string;
  statements: string[];
}

export const CH_MIGRATIONS: ChMigration[] = [
  {
    version: 1,
    description: 'events, chains, replay chunks, identities, definitions',
    statements: [
      // Sorted by session: per-session reads hit the primary index; time-range reads scan the
      // narrow ts column. ts is deliberately not in the key: a retried batch may get a different
      // skew-corrected ts, and the copies must share the key to collapse.
      `CREATE TABLE IF NOT EXISTS events (
        project_id String,
        id String,
        type String,
        ts Int64,
        session_id String,
        anonymous_id String,
        user_id Nullable(String),
        url String,
        title Nullable(String),
        referrer Nullable(String),
        name Nullable(String),
        props Nullable(String),
        chain_hash String,
        node_id Nullable(Int64),
        rec_id Nullable(String),
        rec_seq Nullable(Int64),
        received_at Int64,
        keep UInt64
      ) ENGINE = ReplacingMergeTree(keep) ORDER BY (project_id, session_id, id)`,
      `CREATE TABLE IF NOT EXISTS chains (hash String, chain String) ENGINE = ReplacingMergeTree ORDER BY hash`,
      // rrweb JSON stored as text: ClickHouse compresses columns itself (LZ4), and JSONEachRow
      // output could not carry raw gzip bytes.
      `CREATE TABLE IF NOT EXISTS replay_chunks (
        project_id String,
        id String,
        session_id String,
        rec String,
        seq Int64,
        ts Int64,
        events String,
        received_at Int64,
        keep UInt64
      ) ENGINE = ReplacingMergeTree(keep) ORDER BY (project_id, session_id, rec, seq, id)`,
      // One row per (anonymous id, sighting); reads take argMax(user_id, (ts, user_id)).
      `CREATE TABLE IF NOT EXISTS identities (
        project_id String,
        anonymous_id String,
        user_id String,
        ts Int64,
        ver UInt64
      ) ENGINE = ReplacingMergeTree(ver) ORDER BY (project_id, anonymous_id)`,
      `CREATE TABLE IF NOT EXISTS definitions (
        project_id String,
        id String,
        version UInt32,
        name String,
        description String,
        category String,
        rules String,
        deleted UInt8,
        created_at Int64,
        updated_at Int64
      ) ENGINE = ReplacingMergeTree ORDER BY (project_id, id, version)`,
    ],
  },
  {
    version: 2,
    description: 'project settings',
    statements: [
      // Append-only: a write is a new row with a larger `ver`; reads take argMax(value, (ver, value))
      // per name, exact before merges (several servers may write; the latest write wins).
      `CREATE TABLE IF NOT EXISTS settings (
        project_id String,
        name String,
        value String,
        ver UInt64
      ) ENGINE = ReplacingMergeTree(ver) ORDER BY (project_id, name)`,
    ],
  },
  {
    version: 3,
    description: 'destinations, deliveries, backfill jobs',
    // Mutable state as versioned rows like settings: every change is a whole new row with a larger
    // `ver`, reads take argMax(…, ver) per id (see ./destinations.ts). No Nullable columns: aggregate
    // functions skip NULLs, so argMax would return an older non-null value (0 / '' mean none).
    statements: [
      `CREATE TABLE IF NOT EXISTS destinations (
        project_id String,
        id String,
        name String,
        url String,
        secret String,
        definitions String,
        enabled UInt8,
        deleted UInt8,
        created_at Int64,
        updated_at Int64,
        ver UInt64
      ) ENGINE = ReplacingMergeTree(ver) ORDER BY (project_id, id)`,
      `CREATE TABLE IF NOT EXISTS deliveries (
        project_id String,
        id String,
        destination_id String,
        definition_id String,
        definition_name String,
        event_id String,
        job_id String,
        state String,
        attempts UInt32,
        next_at Int64,
        last_status Int32,
        last_error String,
        owner String,
        created_at Int64,
        updated_at Int64,
        ver UInt64
      ) ENGINE = ReplacingMergeTree(ver) ORDER BY (project_id, destination_id, id)`,
      `CREATE TABLE IF NOT EXISTS backfill_jobs (
        project_id String,
        id String,
        destination_id String,
        definition_id String,
        state String,
        total Int64,
        enqueued Int64,
        skipped Int64,
        error String,
        created_at Int64,
        updated_at Int64,
        ver UInt64
      ) ENGINE = ReplacingMergeTree(ver) ORDER BY (project_id, destination_id, id)`,
    ],
  },
];

export const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version UInt32, description String, applied_at Int64
) ENGINE = ReplacingMergeTree ORDER BY version`;
