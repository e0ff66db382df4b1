// The operations behind `hindsight export|import|purge|delete-user`, on the same store the server
// would open (HINDSIGHT_DATA_DIR / HINDSIGHT_STORE).
import { mkdirSync, readdirSync, rmSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createStore, StoreError, type ExportKind, type Store } from '@hindsight/store';
import type { Command } from './args.js';
import { UsageError } from './args.js';
import { EXPORT_VERSION, fileNames, MANIFEST, openWriter, readManifest, readRows, type Manifest } from './files.js';

export interface CliEnv {
  env: NodeJS.ProcessEnv;
  /** progress and results, one line each */
  log: (line: string) => void;
}

const NOUN: Record<ExportKind, string> = { event: 'events', chunk: 'replay chunks', identity: 'identities', definition: 'definition versions' };
const IMPORT_PAGE: Record<ExportKind, number> = { event: 5000, chunk: 500, identity: 5000, definition: 1000 };

export function storeFromEnv(env: NodeJS.ProcessEnv): { store: Store; where: string } {
  const dataDir = resolve(env.HINDSIGHT_DATA_DIR || './data');
  const url = env.HINDSIGHT_STORE || undefined;
  const store = createStore({ dataDir, url });
  return { store, where: store.kind === 'duckdb' ? dataDir : url!.replace(/\/\/[^@/]*@/, '//***@') };
}

/** opens the store; a DuckDB file held by a running server becomes a clear store_locked message */
async function openStore(ctx: CliEnv): Promise<{ store: Store; where: string }> {
  const s = storeFromEnv(ctx.env);
  try {
    await s.store.init();
  } catch (e) {
    if (e instanceof StoreError && e.code === 'store_locked') {
      throw new StoreError(
        'store_locked',
        `the data dir ${s.where} is in use by a running Hindsight server. Stop the server first, then run this command again. (${e.message})`,
      );
    }
    throw e;
  }
  return s;
}

/** prints `verb done/total noun` when a kind finishes and at most once a second in between */
function progressPrinter(ctx: CliEnv, verb: string) {
  let lastAt = 0;
  const lastLine = new Map<ExportKind, string>();
  return {
    update(done: number, total: number, kind: ExportKind, final = false) {
      const line = `${verb} ${done}/${total} ${NOUN[kind]}`;
      const now = Date.now();
      if ((final || now - lastAt >= 1000 || done === total) && lastLine.get(kind) !== line) {
        ctx.log(line);
        lastLine.set(kind, line);
        lastAt = now;
      }
    },
  };
}

async function withStore<T>(ctx: CliEnv, fn: (store: Store, where: string) => Promise<T>): Promise<T> {
  const { store, where } = await openStore(ctx);
  try {
    return await fn(store, where);
  } finally {
    await store.close();
  }
}

export async function runExport(ctx: CliEnv, c: Extract<Command, { cmd: 'export' }>): Promise<void> {
  const out = resolve(c.out);
  if (existsSync(out) && (!statSync(out).isDirectory() || readdirSync(out).length > 0)) {
    throw new UsageError(`export: ${out} exists and is not an empty directory`);
  }
  await withStore(ctx, async (store, where) => {
    mkdirSync(out, { recursive: true });
    ctx.log(`exporting project ${c.project} from ${store.kind} (${where}) to ${out} as ${c.format}`);
    const writer = await openWriter(out, c.format);
    const progress = progressPrinter(ctx, 'exported');
    try {
      const counts = await store.exportData(
        c.project,
        { from: c.from, to: c.to },
        (kind, rows) => writer.write(kind, rows),
        (done, total, kind) => progress.update(done, total, kind),
      );
      await writer.close();
      const manifest: Manifest = {
        hindsight: 'export',
        version: EXPORT_VERSION,
        format: c.format,
        project: c.project,
        store: store.kind,
        from: c.from ?? null,
        to: c.to ?? null,
        createdAt: new Date().toISOString(),
        counts,
        files: fileNames(c.format),
      };
      writeFileSync(join(out, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
      ctx.log(
        `export done: ${counts.event} events, ${counts.chunk} replay chunks, ${counts.identity} identities, ${counts.definition} definition versions`,
      );
    } catch (e) {
      await writer.abort().catch(() => undefined);
      rmSync(out, { recursive: true, force: true });
      throw e;
    }
  });
}

export async function runImport(ctx: CliEnv, c: Extract<Command, { cmd: 'import' }>): Promise<void> {
  const dir = resolve(c.path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`import: ${dir} is not a directory`);
  const manifest = readManifest(dir);
  await withStore(ctx, async (store, where) => {
    ctx.log(`importing ${dir} (${manifest.format}, project ${manifest.project}) into project ${c.project} on ${store.kind} (${where})`);
    const progress = progressPrinter(ctx, 'imported');
    const totals = { inserted: 0, duplicates: 0 };
    // definitions and identities first: events arriving later are attributed correctly at once
    for (const kind of ['definition', 'identity', 'event', 'chunk'] as const) {
      const total = Number(manifest.counts?.[kind] ?? 0);
      let done = 0;
      progress.update(0, total, kind);
      await readRows(dir, manifest, kind, IMPORT_PAGE[kind], async (rows) => {
        const r = await store.importData(c.project, kind, rows as never);
        totals.inserted += r.inserted;
        totals.duplicates += r.duplicates;
        done += rows.length;
        progress.update(done, Math.max(total, done), kind);
      });
      if (done !== total) throw new Error(`import: the manifest lists ${total} ${NOUN[kind]} but the files hold ${done}`);
      progress.update(done, total, kind, true);
    }
    ctx.log(`import done: ${totals.inserted} rows stored, ${totals.duplicates} already present`);
  });
}

export async function runPurge(ctx: CliEnv, c: Extract<Command, { cmd: 'purge' }>): Promise<void> {
  await withStore(ctx, async (store) => {
    const now = Date.now();
    const cutoff = new Date(now - c.olderThanMs).toISOString();
    ctx.log(`purging events and replay chunks of project ${c.project} older than ${c.spec} (before ${cutoff})`);
    const r = await store.purge(c.project, c.olderThanMs, now);
    ctx.log(`purged ${r.events} events and ${r.chunks} replay chunks`);
  });
}

export async function runDeleteUser(ctx: CliEnv, c: Extract<Command, { cmd: 'delete-user' }>): Promise<void> {
  await withStore(ctx, async (store) => {
    ctx.log(`deleting user ${JSON.stringify(c.userId)} from project ${c.project}`);
    const r = await store.deleteUser(c.project, c.userId);
    ctx.log(`deleted ${r.events} events and ${r.chunks} replay chunks of user ${JSON.stringify(c.userId)}`);
  });
}
