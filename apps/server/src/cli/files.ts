// The export directory: one file per kind plus manifest.json.
//   events.<ext>, replay.<ext>, identities.<ext>  (ndjson | csv | parquet)
//   definitions.json                              (every version, tombstones included)
// NDJSON is written line by line; CSV and Parquet go through a staging DuckDB file next to the
// output (appended page by page, so nothing is held in memory) and one COPY … TO at the end.
import { createReadStream, createWriteStream, existsSync, readFileSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { streamDuckDBRows, type ExportCounts, type ExportKind } from '@hindsight/store';
import type { Format } from './args.js';

export const MANIFEST = 'manifest.json';
export const EXPORT_VERSION = 1;

export interface Manifest {
  hindsight: 'export';
  version: number;
  format: Format;
  project: string;
  store: string;
  from: number | null;
  to: number | null;
  createdAt: string;
  counts: ExportCounts;
  files: Record<ExportKind, string>;
}

type ColType = 'VARCHAR' | 'BIGINT';
/** column order and types of each tabular kind (definitions are JSON) */
export const COLUMNS: Record<Exclude<ExportKind, 'definition'>, [string, ColType][]> = {
  event: [
    ['id', 'VARCHAR'],
    ['type', 'VARCHAR'],
    ['ts', 'BIGINT'],
    ['session_id', 'VARCHAR'],
    ['anonymous_id', 'VARCHAR'],
    ['user_id', 'VARCHAR'],
    ['url', 'VARCHAR'],
    ['title', 'VARCHAR'],
    ['referrer', 'VARCHAR'],
    ['name', 'VARCHAR'],
    ['props', 'VARCHAR'],
    ['chain_hash', 'VARCHAR'],
    ['chain', 'VARCHAR'],
    ['node_id', 'BIGINT'],
    ['rec_id', 'VARCHAR'],
    ['rec_seq', 'BIGINT'],
    ['received_at', 'BIGINT'],
  ],
  chunk: [
    ['id', 'VARCHAR'],
    ['session_id', 'VARCHAR'],
    ['rec', 'VARCHAR'],
    ['seq', 'BIGINT'],
    ['ts', 'BIGINT'],
    ['events', 'VARCHAR'],
  ],
  identity: [
    ['anonymous_id', 'VARCHAR'],
    ['user_id', 'VARCHAR'],
    ['ts', 'BIGINT'],
  ],
};

const BASENAME: Record<ExportKind, string> = { event: 'events', chunk: 'replay', identity: 'identities', definition: 'definitions' };
const EXT: Record<Format, string> = { ndjson: 'ndjson', csv: 'csv', parquet: 'parquet' };

export function fileNames(format: Format): Record<ExportKind, string> {
  return {
    event: `${BASENAME.event}.${EXT[format]}`,
    chunk: `${BASENAME.chunk}.${EXT[format]}`,
    identity: `${BASENAME.identity}.${EXT[format]}`,
    definition: 'definitions.json',
  };
}

const sqlPath = (p: string): string => `'${p.replace(/'/g, "''")}'`;

export interface ExportWriter {
  write(kind: ExportKind, rows: object[]): Promise<void>;
  /** finishes every file */
  close(): Promise<void>;
  /** removes partial output after a failure */
  abort(): Promise<void>;
}

async function writeChunk(s: WriteStream, text: string): Promise<void> {
  if (!s.write(text)) await once(s, 'drain');
}

async function endStream(s: WriteStream): Promise<void> {
  await new Promise<void>((res, rej) => s.end((err?: Error | null) => (err ? rej(err) : res())));
}

export async function openWriter(dir: string, format: Format): Promise<ExportWriter> {
  const names = fileNames(format);
  const defs = createWriteStream(join(dir, names.definition));
  let firstDef = true;
  await writeChunk(defs, '[');
  const writeDefs = async (rows: object[]) => {
    for (const r of rows) {
      await writeChunk(defs, `${firstDef ? '\n' : ',\n'}  ${JSON.stringify(r)}`);
      firstDef = false;
    }
  };
  const closeDefs = async () => {
    await writeChunk(defs, firstDef ? ']\n' : '\n]\n');
    await endStream(defs);
  };

  if (format === 'ndjson') {
    const streams = {
      event: createWriteStream(join(dir, names.event)),
      chunk: createWriteStream(join(dir, names.chunk)),
      identity: createWriteStream(join(dir, names.identity)),
    };
    return {
      async write(kind, rows) {
        if (kind === 'definition') return writeDefs(rows);
        const s = streams[kind];
        await writeChunk(s, rows.map((r) => JSON.stringify(r) + '\n').join(''));
      },
      async close() {
        for (const s of Object.values(streams)) await endStream(s);
        await closeDefs();
      },
      async abort() {
        for (const s of [...Object.values(streams), defs]) s.destroy();
      },
    };
  }

  const stagingFile = join(dir, `.staging-${process.pid}.duckdb`);
  const instance = await DuckDBInstance.create(stagingFile);
  const conn = await instance.connect();
  for (const [kind, cols] of Object.entries(COLUMNS)) {
    await conn.run(`CREATE TABLE ${BASENAME[kind as ExportKind]} (${cols.map(([c, t]) => `"${c}" ${t}`).join(', ')})`);
  }
  const dropStaging = () => {
    conn.closeSync();
    instance.closeSync();
    for (const f of [stagingFile, `${stagingFile}.wal`]) rmSync(f, { force: true });
  };
  return {
    async write(kind, rows) {
      if (kind === 'definition') return writeDefs(rows);
      const cols = COLUMNS[kind];
      const a = await conn.createAppender(BASENAME[kind]);
      try {
        for (const r of rows as Record<string, unknown>[]) {
          for (const [c, t] of cols) appendValue(a, t, r[c]);
          a.endRow();
        }
        a.flushSync();
      } finally {
        a.closeSync();
      }
    },
    async close() {
      try {
        for (const kind of Object.keys(COLUMNS) as Exclude<ExportKind, 'definition'>[]) {
          const opts = format === 'parquet' ? `(FORMAT PARQUET, COMPRESSION ZSTD)` : `(FORMAT CSV, HEADER true)`;
          // a plain table scan keeps insertion order (= export order)
          await conn.run(`COPY ${BASENAME[kind]} TO ${sqlPath(join(dir, names[kind]))} ${opts}`);
        }
      } finally {
        dropStaging();
      }
      await closeDefs();
    },
    async abort() {
      defs.destroy();
      dropStaging();
    },
  };
}

function appendValue(a: DuckDBAppender, t: ColType, v: unknown): void {
  if (v === null || v === undefined) a.appendNull();
  else if (t === 'BIGINT') a.appendBigInt(BigInt(Math.trunc(Number(v))));
  else a.appendVarchar(String(v));
}

export function readManifest(dir: string): Manifest {
  const file = join(dir, MANIFEST);
  if (!existsSync(file)) throw new Error(`${dir} is not a Hindsight export (no ${MANIFEST})`);
  const m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  if (m.hindsight !== 'export' || typeof m.version !== 'number') throw new Error(`${file} is not a Hindsight export manifest`);
  if (m.version > EXPORT_VERSION) throw new Error(`${file} is export version ${m.version}; this hindsight reads up to ${EXPORT_VERSION}`);
  if (!['ndjson', 'csv', 'parquet'].includes(m.format)) throw new Error(`${file}: unknown format ${JSON.stringify(m.format)}`);
  return m;
}

/** reads one kind's rows from an export in pages */
export async function readRows(
  dir: string,
  m: Manifest,
  kind: ExportKind,
  pageSize: number,
  page: (rows: Record<string, unknown>[]) => Promise<void>,
): Promise<void> {
  const file = join(dir, m.files?.[kind] ?? fileNames(m.format)[kind]);
  if (!existsSync(file)) throw new Error(`export is missing ${file}`);
  if (kind === 'definition') {
    const rows = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
    if (!Array.isArray(rows)) throw new Error(`${file} must hold a JSON array`);
    for (let i = 0; i < rows.length; i += pageSize) await page(rows.slice(i, i + pageSize));
    return;
  }
  if (m.format === 'ndjson') {
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    let buf: Record<string, unknown>[] = [];
    let n = 0;
    for await (const line of lines) {
      n++;
      if (line.trim() === '') continue;
      try {
        buf.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        throw new Error(`${file}:${n}: not valid JSON`);
      }
      if (buf.length >= pageSize) {
        await page(buf);
        buf = [];
      }
    }
    if (buf.length) await page(buf);
    return;
  }
  const cols = COLUMNS[kind];
  const instance = await DuckDBInstance.create(':memory:');
  let conn: DuckDBConnection | null = null;
  try {
    conn = await instance.connect();
    const source =
      m.format === 'parquet'
        ? `read_parquet(${sqlPath(file)})`
        : `read_csv(${sqlPath(file)}, header = true, auto_detect = false, allow_quoted_nulls = false, quote = '"', escape = '"', delim = ',',
             columns = {${cols.map(([c, t]) => `'${c}': '${t}'`).join(', ')}})`;
    await streamDuckDBRows(conn, `SELECT ${cols.map(([c]) => `"${c}"`).join(', ')} FROM ${source}`, undefined, pageSize, page);
  } finally {
    conn?.closeSync();
    instance.closeSync();
  }
}
