// A full snapshot posted without its implied node ids (as the recorder's worker sends it, saying
// so) is stored complete, so the replay API, exports and exact matching see rrweb's own events.
// A chunk that does not say so is stored exactly as sent.
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { omitImpliedNodeIds } from '@hindsight/schema';
import { ingestIntoDuckDB } from './ingest-duckdb.js';

const ingest = ingestIntoDuckDB();
const post = (batch: unknown) => ingest.post(gzipSync(JSON.stringify(batch)));

function recording() {
  const li = (i: number, id: number) => ({ type: 2, tagName: 'li', attributes: { class: 'item' }, childNodes: [{ type: 3, textContent: `Item ${i}`, id: id + 1 }], id });
  const items = Array.from({ length: 50 }, (_, i) => li(i, 10 + 2 * i));
  const body = { type: 2, tagName: 'body', attributes: {}, childNodes: [{ type: 2, tagName: 'ul', attributes: {}, childNodes: items, id: 9 }], id: 8 };
  const html = { type: 2, tagName: 'html', attributes: {}, childNodes: [{ type: 2, tagName: 'head', attributes: {}, childNodes: [], id: 7 }, body], id: 6 };
  // ids 1..5 went elsewhere (a checkout later in a recording numbers on from the mirror)
  const recorded = [
    { type: 4, timestamp: Date.now() - 1000, data: { href: 'https://shop.example/', width: 1280, height: 800 } },
    { type: 2, timestamp: Date.now() - 999, data: { node: { type: 0, childNodes: [html], id: 5 }, initialOffset: { top: 0, left: 0 } } },
    { type: 3, timestamp: Date.now() - 500, data: { source: 0, texts: [], attributes: [{ id: 30, attributes: { class: 'item hot' } }], removes: [], adds: [] } },
  ];
  const wire = JSON.parse(JSON.stringify(recorded));
  omitImpliedNodeIds(wire);
  expect(JSON.stringify(wire).length).toBeLessThan(JSON.stringify(recorded).length - 300);
  return { recorded, wire };
}
const chunk = (sessionId: string, events: unknown[], extra: object) => ({ id: `0190a000-0000-7000-8000-${sessionId.padStart(12, '0')}`, sessionId, rec: 'r1', seq: 0, ts: Date.now() - 1000, events, ...extra });

it('stores a snapshot sent without implied ids (impliedIds: true) exactly as rrweb recorded it', async () => {
  const { recorded, wire } = recording();
  expect(await post({ v: 1, sentAt: Date.now(), events: [], replay: [chunk('1', wire, { impliedIds: true })] })).toMatchObject({ ok: true, chunks: 1 });
  const [stored] = await ingest.store().replayChunks('p', '1');
  expect(stored.events).toEqual(recorded);
  expect(stored).not.toHaveProperty('impliedIds');
});

it('stores a chunk that does not say impliedIds exactly as sent', async () => {
  const { wire } = recording();
  const sent = JSON.parse(JSON.stringify(wire));
  expect(await post({ v: 1, sentAt: Date.now(), events: [], replay: [chunk('2', wire, {})] })).toMatchObject({ ok: true, chunks: 1 });
  const [stored] = await ingest.store().replayChunks('p', '2');
  expect(stored.events).toEqual(sent);
});
