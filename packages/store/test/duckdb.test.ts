import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore, DuckDBStore, StoreError } from '../src/index.js';
import { opsContract } from './ops-contract.js';
import { storeContract } from './contract.js';
import { insightsContract } from './insights-contract.js';
import { destinationsContract } from './destinations-contract.js';
import { chainOf, chunk, ev } from './fixtures/events.js';

/** A fresh DuckDB store in its own temp dir, removed on cleanup (what each contract suite needs). */
const freshStore = (prefix: string) => async () => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const store = new DuckDBStore(join(dir, 'hindsight.duckdb'));
  await store.init();
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

storeContract('duckdb', freshStore('hs-duckdb-'));

opsContract('duckdb', freshStore('hs-duckdb-ops-'));

describe('DuckDB specifics', () => {
  const dirs: string[] = [];
  const tempDir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'hs-duckdb-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('createStore makes ${dataDir}/hindsight.duckdb, creating the directory', async () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    for (const url of [undefined, '', 'duckdb:', 'duckdb://local']) {
      const store = createStore({ dataDir, url });
      expect(store.kind).toBe('duckdb');
      await store.init();
      await store.close();
    }
    expect(existsSync(join(dataDir, 'hindsight.duckdb'))).toBe(true);
    expect(() => createStore({ dataDir, url: 'postgres://x' })).toThrow(StoreError);
  });

  it('keeps data, dedupe state and definitions across close and reopen; migrations run once', async () => {
    const file = join(tempDir(), 'hindsight.duckdb');
    const first = new DuckDBStore(file);
    await first.init();
    await first.init(); // idempotent
    const e = ev({ id: 'persist', type: 'click', chain: chainOf('button'), userId: 'u1' });
    await first.append('p', [e], [chunk({ id: 'k', rec: 'r', seq: 0, ts: 1 })]);
    const def = await first.createDefinition('p', { name: 'd', rules: [] });
    await first.close();

    const second = new DuckDBStore(file);
    await second.init();
    expect((await second.sessionEvents('p', 's1')).map((x) => x.id)).toEqual(['persist']);
    expect(await second.append('p', [e], [chunk({ id: 'k', rec: 'r', seq: 0, ts: 1 })])).toEqual({ inserted: 0, duplicates: 1, chunks: 0 });
    expect((await second.replayChunks('p', 's1')).map((c) => c.id)).toEqual(['k']);
    expect(await second.getDefinition('p', def.id)).toEqual(def);
    expect((await second.getSession('p', 's1'))?.userId).toBe('u1');
    await second.close();
  });

  it('refuses a second store on the same file in this process with store_locked', async () => {
    const file = join(tempDir(), 'hindsight.duckdb');
    const first = new DuckDBStore(file);
    await first.init();
    const second = new DuckDBStore(file);
    await expect(second.init()).rejects.toMatchObject({ code: 'store_locked' });
    await first.close();
    await second.init(); // free again once the first is closed
    await second.close();
  });

  it('refuses a file another process holds with store_locked and a clear message', async () => {
    const file = join(tempDir(), 'hindsight.duckdb');
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/hold-duckdb.ts'), file], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d) => {
          out += d;
          if (out.includes('ready')) resolve();
          if (out.includes('error')) reject(new Error(out));
        });
        child.once('exit', (code) => reject(new Error(`holder exited ${code}: ${out}`)));
      });
      const store = new DuckDBStore(file);
      const err = await store.init().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(StoreError);
      expect(err).toMatchObject({ code: 'store_locked' });
      expect((err as Error).message).toMatch(/locked by another process \(PID \d+\)/);
      expect((err as Error).message).toContain(file);
    } finally {
      child.stdin!.end();
      await exited;
    }
    // the holder released it on exit
    const store = new DuckDBStore(file);
    await store.init();
    await store.close();
  });

  it('rejects use before init with store_unavailable', async () => {
    const store = new DuckDBStore(join(tempDir(), 'x.duckdb'));
    await expect(store.listSessions('p', {})).rejects.toMatchObject({ code: 'store_unavailable' });
  });
});

insightsContract('duckdb', freshStore('hs-duckdb-'));

destinationsContract('duckdb', freshStore('hs-duckdb-dest-'));
