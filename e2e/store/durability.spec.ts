// A batch is acknowledged only once durable: kill -9 during ingest loses no acknowledged event.
import { expect, test } from '@playwright/test';
import { batch, clickEvent, postBatch } from '../helpers/batches.js';
import { startServer } from '../helpers/server.js';

test('kill -9 during ingest loses no acknowledged batch, and a restart keeps everything', async () => {
  const first = await startServer();
  const acked = new Map<string, string[]>(); // sessionId → acknowledged event ids
  let stop = false;
  const sender = async (w: number) => {
    for (let n = 0; !stop; n++) {
      const sid = `s-${w}-${n}`;
      const events = Array.from({ length: 50 }, (_, i) => clickEvent(sid, i));
      try {
        const r = await postBatch(first.url, first.projectKey, batch(events));
        if (r.ok) acked.set(sid, events.map((e) => e.id));
      } catch {
        return; // the server died under us: this batch was not acknowledged
      }
    }
  };
  const senders = Array.from({ length: 4 }, (_, w) => sender(w));
  await new Promise((r) => setTimeout(r, 1500));
  await first.kill(); // SIGKILL, mid-ingest
  stop = true;
  await Promise.all(senders);
  expect(acked.size).toBeGreaterThan(5);

  const second = await startServer({ dataDir: first.dataDir });
  try {
    let stored = 0;
    for (const [sid, ids] of acked) {
      const { events } = await second.api<{ events: { id: string }[] }>(`/api/sessions/${sid}/events`);
      const got = new Set(events.map((e) => e.id));
      for (const id of ids) expect(got.has(id), `acknowledged event ${id} of ${sid} survived`).toBe(true);
      expect(events.length).toBe(ids.length); // and nothing twice
      stored += events.length;
    }
    expect(stored).toBe([...acked.values()].reduce((a, b) => a + b.length, 0));
  } finally {
    await second.stop();
  }
});

test('resending a batch stores it once', async () => {
  const s = await startServer();
  try {
    const b = batch(Array.from({ length: 20 }, (_, i) => clickEvent('dup-session', i)));
    const a1 = await (await postBatch(s.url, s.projectKey, b)).json();
    const a2 = await (await postBatch(s.url, s.projectKey, b, false)).json();
    expect(a1).toMatchObject({ ok: true, inserted: 20, duplicates: 0 });
    expect(a2).toMatchObject({ ok: true, inserted: 0, duplicates: 20 });
    const { sessions } = await s.api<{ sessions: { id: string; eventCount: number }[] }>('/api/sessions');
    expect(sessions.find((x) => x.id === 'dup-session')?.eventCount).toBe(20);
  } finally {
    await s.stop();
  }
});

test('a second server on the same DuckDB file gets a clear error, and the first keeps working', async () => {
  const a = await startServer();
  try {
    await expect(startServer({ dataDir: a.dataDir })).rejects.toThrow(/lock|in use|another process/i);
    const r = await postBatch(a.url, a.projectKey, batch([clickEvent('still-ok', 0)]));
    expect(r.status).toBe(200);
  } finally {
    await a.stop();
  }
});
