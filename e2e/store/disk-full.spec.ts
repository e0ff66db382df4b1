// Disk full: a clear error (507 store_full with Retry-After), the server keeps running, nothing it
// acknowledged is lost, it recovers by itself once space is free, and the database opens again.
// The data dir sits on a small tmpfs (needs root to mount, as in CI); a ballast file stands for
// "whatever else filled the disk" and is deleted to free space.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { batch, clickEvent, postBatch } from '../helpers/batches.js';
import { startServer } from '../helpers/server.js';

function mountTmpfs(sizeMb: number): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'hs-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    return null;
  }
}

const unmount = (dir: string) => {
  try {
    execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
  } catch {
    /* already gone */
  }
};

// Two ways a disk fills up under DuckDB: while writing the WAL (the transaction rolls back) and
// while checkpointing the WAL into the database file (DuckDB invalidates the instance: the store
// must reopen it). The ballast sizes are chosen so each case happens first.
for (const { name, sizeMb, ballastMb } of [
  { name: 'while writing the log', sizeMb: 24, ballastMb: 8 },
  { name: 'while checkpointing', sizeMb: 40, ballastMb: 20 },
]) {
  test(`disk full ${name}: 507 store_full, no acknowledged batch lost, recovery once space is free`, async () => {
    test.setTimeout(120_000);
    const mnt = mountTmpfs(sizeMb);
    // Mounting a tmpfs needs root (CAP_SYS_ADMIN); without it there is no safe way to fill a disk.
    test.skip(mnt === null, 'cannot mount a tmpfs here (not root): disk-full test needs a small filesystem');
    const dataDir = join(mnt!, 'data');
    mkdirSync(dataDir);
    writeFileSync(join(mnt!, 'ballast'), Buffer.alloc(ballastMb << 20, 1));
    let server = await startServer({ dataDir, env: { HINDSIGHT_RATE_LIMIT: '0' } });
    try {
      const acked = new Map<string, string[]>();
      let full: Response | null = null;
      const blob = 'x'.repeat(2500);
      for (let n = 0; n < 400 && !full; n++) {
        const sid = `fill-${n}`;
        // random text so DuckDB's compression cannot make the data vanish
        const events = Array.from({ length: 300 }, (_, i) => clickEvent(sid, i, { props: { blob: blob + Math.random() } }));
        const r = await postBatch(server.url, server.projectKey, batch(events));
        if (r.ok) acked.set(sid, events.map((e) => e.id));
        else full = r;
      }
      expect(full, 'the disk filled up').not.toBeNull();
      expect(full!.status).toBe(507);
      expect(full!.headers.get('retry-after')).toMatch(/^\d+$/);
      const body = await full!.json();
      expect(body.error.code).toBe('store_full');
      expect(body.error.message).toMatch(/disk space/);
      expect(acked.size).toBeGreaterThan(2);

      // still serving; while full, requests get clear errors, never a 500 or a crash
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const again = await postBatch(server.url, server.projectKey, batch([clickEvent('while-full', 0, { props: { blob } })]));
      expect([200, 503, 507]).toContain(again.status);
      if (again.ok) acked.set('while-full', []);

      // free space: the same server recovers on its own (reopening DuckDB if it had to)
      rmSync(join(mnt!, 'ballast'));
      const after = clickEvent('after-free', 0);
      await expect
        .poll(async () => (await postBatch(server.url, server.projectKey, batch([after]))).status, { timeout: 20_000 })
        .toBe(200);
      acked.set('after-free', [after.id]);
      const { sessions } = await server.api<{ sessions: unknown[] }>('/api/sessions?limit=5');
      expect(sessions.length).toBeGreaterThan(0);

      // a hard kill and a restart: the database opens and holds every acknowledged event, once
      await server.kill();
      server = await startServer({ dataDir });
      const { sessions: stored } = await server.api<{ sessions: { id: string; eventCount: number }[] }>('/api/sessions?limit=500');
      const counts = new Map(stored.map((x) => [x.id, x.eventCount]));
      for (const [sid, ids] of acked) if (ids.length) expect(counts.get(sid), `acknowledged events of ${sid}, once`).toBe(ids.length);
      const [sid, ids] = [...acked][0];
      const { events } = await server.api<{ events: { id: string }[] }>(`/api/sessions/${sid}/events`);
      expect(new Set(events.map((e) => e.id))).toEqual(new Set(ids));
    } finally {
      await server.kill();
      unmount(mnt!);
    }
  });
}

test('HINDSIGHT_DUCKDB_MEMORY sets the DuckDB memory limit; a bad value stops the start with a clear message', async () => {
  const s = await startServer({ env: { HINDSIGHT_DUCKDB_MEMORY: '300MB' } });
  try {
    // DuckDB reports 300 MB (10^6) as ~286 MiB
    await expect.poll(() => s.output()).toMatch(/memory limit 28\d\.\d MiB/);
  } finally {
    await s.stop();
  }
  await expect(startServer({ env: { HINDSIGHT_DUCKDB_MEMORY: 'lots' } })).rejects.toThrow(/HINDSIGHT_DUCKDB_MEMORY must be a size/);
  const d = await startServer();
  try {
    await expect.poll(() => d.output()).toMatch(/memory limit \d/); // the default (half the machine's memory) is shown too
  } finally {
    await d.stop();
  }
});
