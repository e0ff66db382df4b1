// The `hindsight` CLI as a user runs it (a child process on the TypeScript entry via tsx):
// export → import into an empty data dir → export again is byte-identical, in every format and
// from DuckDB to ClickHouse; purge; delete-user; store_locked; usage errors exit 2.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBStore, type Store } from '@hindsight/store';
import { startClickHouse, type RunningClickHouse } from '../../../packages/store/test/clickhouse-server.js';
import { chainOf, chunk, ev } from '../../../packages/store/test/fixtures/events.js';
import { parseCommand, UsageError } from '../src/cli/args.js';

const CLI = resolve(import.meta.dirname, '../src/cli.ts');
const DAY = 86_400_000;
const NOW = Date.now();

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((res) => {
    const p = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.once('exit', (code) => res({ code, stdout, stderr }));
  });
}

const dirs: string[] = [];
const tmp = (label: string): string => {
  const d = mkdtempSync(join(tmpdir(), `hs-cli-${label}-`));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function seed(store: Store, n = 1200): Promise<void> {
  const events = Array.from({ length: n }, (_, i) =>
    ev({
      id: `e${String(i).padStart(6, '0')}`,
      type: i % 3 ? 'click' : 'pageview',
      ts: NOW - (i % 40) * DAY - i,
      sessionId: `s${i % 30}`,
      anonymousId: `anon${i % 10}`,
      userId: i % 10 === 1 && i % 7 === 0 ? 'alice' : null,
      url: `https://shop.example/p/${i}?q="x",y\n`,
      chain: i % 3 ? chainOf('button', { class: `b${i % 5}`, 'data-x': 'a,"b"' }, 'Buy, "now"') : undefined,
      props: i % 4 ? { n: i, s: 'comma, quote " newline \n' } : undefined,
      title: i % 2 ? '' : 'Title',
      receivedAt: NOW - i,
    }),
  );
  const chunks = Array.from({ length: 60 }, (_, i) => chunk({ id: `k${i}`, sessionId: `s${i % 30}`, rec: `r${i % 30}`, seq: Math.floor(i / 30), ts: NOW - (i % 40) * DAY }));
  await store.append('default', events, chunks);
  const d = await store.createDefinition('default', { name: 'Buy', rules: [{ event: 'click', selector: 'button' }] });
  await store.updateDefinition('default', d.id, { name: 'Buy, "now"', rules: [{ event: 'click' }] });
}

const dataFiles = (dir: string): Record<string, Buffer> =>
  Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f !== 'manifest.json')
      .sort()
      .map((f) => [f, readFileSync(join(dir, f))]),
  );

// each test spawns the CLI several times (tsx startup), slow on a busy 2-core machine
describe('hindsight CLI', { timeout: 180_000 }, () => {
  let source: string;
  beforeAll(async () => {
    source = tmp('src');
    const s = new DuckDBStore(join(source, 'hindsight.duckdb'));
    await s.init();
    await seed(s);
    await s.close();
  });

  it.each(['ndjson', 'csv', 'parquet'])('export → import into an empty data dir → export is identical (%s)', async (format) => {
    const out1 = join(tmp('out'), 'x');
    const r1 = await cli(['export', '--format', format, '--out', out1], { HINDSIGHT_DATA_DIR: source });
    expect(r1.stderr).toContain('exported 1200/1200 events');
    expect(r1.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out1, 'manifest.json'), 'utf8')).counts).toEqual({ event: 1200, chunk: 60, identity: 1, definition: 2 });

    const empty = tmp('dst');
    const r2 = await cli(['import', out1], { HINDSIGHT_DATA_DIR: empty });
    expect(r2.code).toBe(0);
    expect(r2.stderr).toContain('imported 1200/1200 events');
    const r3 = await cli(['import', out1], { HINDSIGHT_DATA_DIR: empty });
    expect(r3.stderr).toMatch(/import done: 0 rows stored, 1263 already present/);

    const out2 = join(tmp('out'), 'y');
    expect((await cli(['export', '--format', format, '--out', out2], { HINDSIGHT_DATA_DIR: empty })).code).toBe(0);
    expect(dataFiles(out2)).toEqual(dataFiles(out1));
  });

  it('exports a time range', async () => {
    const out = join(tmp('out'), 'r');
    const r = await cli(['export', '--out', out, '--from', String(NOW - 5 * DAY + 1), '--to', new Date(NOW).toISOString()], { HINDSIGHT_DATA_DIR: source });
    expect(r.code).toBe(0);
    const events = readFileSync(join(out, 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.ts > NOW - 5 * DAY && e.ts <= NOW)).toBe(true);
  });

  it('purges and deletes a user', async () => {
    const dir = tmp('ops');
    const s = new DuckDBStore(join(dir, 'hindsight.duckdb'));
    await s.init();
    await seed(s);
    await s.close();
    const p = await cli(['purge', '--older-than', '30d'], { HINDSIGHT_DATA_DIR: dir });
    expect(p.code).toBe(0);
    expect(p.stderr).toMatch(/purged \d+ events and \d+ replay chunks/);
    const d = await cli(['delete-user', 'alice'], { HINDSIGHT_DATA_DIR: dir });
    expect(d.code).toBe(0);
    expect(d.stderr).toMatch(/deleted \d+ events and \d+ replay chunks of user "alice"/);
    const check = new DuckDBStore(join(dir, 'hindsight.duckdb'));
    await check.init();
    try {
      const all = await check.findEvents('default', [{}], { limit: 10_000 });
      expect(all.length).toBeGreaterThan(0);
      expect(all.every((e) => e.ts >= NOW - 30 * DAY - 60_000)).toBe(true);
      expect(all.some((e) => e.anonymousId === 'anon1')).toBe(false); // alice's browser
      expect((await check.listSessions('default', { userId: 'alice' })).sessions).toEqual([]);
    } finally {
      await check.close();
    }
  });

  it('refuses a data dir a running server holds (store_locked)', async () => {
    const dir = tmp('locked');
    const holder = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, '../../../packages/store/test/fixtures/hold-duckdb.ts'), join(dir, 'hindsight.duckdb')], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((r) => holder.once('exit', () => r()));
    try {
      await new Promise<void>((res, rej) => {
        let out = '';
        holder.stdout!.on('data', (x) => {
          out += x;
          if (out.includes('ready')) res();
        });
        holder.once('exit', () => rej(new Error(out)));
      });
      const r = await cli(['purge', '--older-than', '1d'], { HINDSIGHT_DATA_DIR: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/Stop the server first/);
      expect(r.stderr).toContain('store_locked');
    } finally {
      holder.stdin!.end();
      await exited;
    }
  });

  it.each([[['purge', '--older-than', '90x']], [['frobnicate']]])('bad arguments %j → one usage line, exit 2', async (args) => {
    const r = await cli(args, { HINDSIGHT_DATA_DIR: tmp('bad') });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^hindsight: /);
  });

  it.each([
    [['purge']],
    [['purge', '--older-than', '90x']],
    [['purge', '--older-than', '0d']],
    [['purge', '--older-than', '90d', 'extra']],
    [['export']],
    [['export', '--out', '/tmp/x', '--format', 'xml']],
    [['export', '--out', '/tmp/x', '--from', 'yesterday-ish']],
    [['export', '--out', '/tmp/x', '--from', '2026-02-01', '--to', '2026-01-01']],
    [['delete-user']],
    [['delete-user', 'a', 'b']],
    [['import']],
    [['frobnicate']],
    [['purge', '--bogus', '1']],
    [['start', 'now']],
  ])('parseCommand(%j) is a UsageError', (args) => {
    expect(() => parseCommand(args)).toThrow(UsageError);
  });

  it('parses commands, durations and times', () => {
    expect(parseCommand(['purge', '--older-than', '36h'])).toMatchObject({ cmd: 'purge', olderThanMs: 36 * 3_600_000, project: 'default' });
    expect(parseCommand(['purge', '--older-than', '2w', '--project', 'p2'])).toMatchObject({ olderThanMs: 14 * DAY, project: 'p2' });
    expect(parseCommand(['export', '--out', 'd', '--format', 'parquet', '--from', '2026-01-01', '--to', '1767312000000'])).toEqual({
      cmd: 'export',
      project: 'default',
      out: 'd',
      format: 'parquet',
      from: Date.UTC(2026, 0, 1),
      to: 1767312000000,
    });
    expect(parseCommand(['delete-user', 'u 1'])).toEqual({ cmd: 'delete-user', project: 'default', userId: 'u 1' });
    expect(parseCommand(['--help'])).toEqual({ cmd: 'help' });
    expect(parseCommand([])).toEqual({ cmd: 'help' });
  });
});

describe('hindsight CLI: DuckDB → ClickHouse', { timeout: 180_000 }, () => {
  let ch: RunningClickHouse;
  beforeAll(async () => {
    ch = await startClickHouse();
  });
  afterAll(async () => {
    await ch?.stop();
  });

  it('moves a DuckDB data dir into ClickHouse and exports the same content back', async () => {
    const src = tmp('mv');
    const s = new DuckDBStore(join(src, 'hindsight.duckdb'));
    await s.init();
    await seed(s, 400);
    await s.close();
    const out1 = join(tmp('out'), 'a');
    expect((await cli(['export', '--format', 'parquet', '--out', out1], { HINDSIGHT_DATA_DIR: src })).code).toBe(0);
    const env = { HINDSIGHT_DATA_DIR: tmp('unused'), HINDSIGHT_STORE: ch.url };
    const imp = await cli(['import', out1], env);
    expect(imp.stderr).toContain('imported 400/400 events');
    expect(imp.code).toBe(0);
    const out2 = join(tmp('out'), 'b');
    const exp = await cli(['export', '--format', 'parquet', '--out', out2], env);
    expect(exp.code).toBe(0);
    expect(dataFiles(out2)).toEqual(dataFiles(out1));
    expect((await cli(['delete-user', 'alice'], env)).stderr).toMatch(/deleted [1-9]\d* events/);
  });
});
