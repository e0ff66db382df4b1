// The engine over a real DuckDB store: chain-decided and replay-decided rules, and the
// per-session cache of replay results (reused while a session's candidates are unchanged).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChainElement, RawEvent, ReplayChunk } from '@hindsight/schema';
import { chainHash, DuckDBStore } from '@hindsight/store';
import { Engine } from '../src/engine.js';
import { ExactCache } from '../src/exact-cache.js';

// <html><body><ul><li class="item"><button id="b1">Buy</button><span class="badge">new</span></li>
// <li class="item"><button id="b2">Buy</button></li></ul></body></html>
const el = (id: number, tagName: string, attributes: Record<string, string>, childNodes: unknown[] = []) => ({
  type: 2,
  id,
  tagName,
  attributes,
  childNodes,
});
const text = (id: number, textContent: string) => ({ type: 3, id, textContent });
const snapshot = {
  type: 2,
  timestamp: 1000,
  data: {
    initialOffset: { top: 0, left: 0 },
    node: {
      type: 0,
      id: 1,
      childNodes: [
        el(2, 'html', {}, [
          el(3, 'body', {}, [
            el(4, 'ul', {}, [
              el(5, 'li', { class: 'item' }, [el(6, 'button', { id: 'b1' }, [text(7, 'Buy')]), el(8, 'span', { class: 'badge' }, [text(9, 'new')])]),
              el(10, 'li', { class: 'item' }, [el(11, 'button', { id: 'b2' }, [text(12, 'Buy')])]),
            ]),
          ]),
        ]),
      ],
    },
  },
};
const meta = { type: 4, timestamp: 1000, data: { href: 'https://shop.example/', width: 800, height: 600 } };

const chainFor = (id: string, nth: number): ChainElement[] => [
  { tag: 'button', attrs: { id }, nth: [1, 1, nth === 1 ? 2 : 1, 1], text: 'Buy' },
  { tag: 'li', attrs: { class: 'item' }, nth: [nth, nth, 3 - nth, 3 - nth], text: nth === 1 ? 'Buy new' : 'Buy' },
  { tag: 'ul', attrs: {}, nth: [1, 1, 1, 1] },
  { tag: 'body', attrs: {}, nth: [1, 1, 1, 1] },
  { tag: 'html', attrs: {}, nth: [1, 1, 1, 1] },
];

let dir: string;
let store: DuckDBStore;
const now = Date.now();
const click = (id: string, sessionId: string, button: 'b1' | 'b2'): RawEvent => ({
  id,
  type: 'click',
  ts: now,
  sessionId,
  anonymousId: `a-${sessionId}`,
  url: 'https://shop.example/',
  chain: chainFor(button, button === 'b1' ? 1 : 2),
  nodeId: button === 'b1' ? 6 : 11,
  rec: { id: `rec-${sessionId}`, seq: 2 },
});
const chunk = (sessionId: string): ReplayChunk => ({
  id: `chunk-${sessionId}`,
  sessionId,
  rec: `rec-${sessionId}`,
  seq: 0,
  ts: 1000,
  events: [meta, snapshot],
});
const stored = (e: RawEvent) => ({ ...e, receivedAt: now, chainHash: chainHash(e.chain) });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hs-engine-'));
  store = new DuckDBStore(join(dir, 'db.duckdb'));
  await store.init();
  await store.append('p', [stored(click('e1', 's1', 'b1')), stored(click('e2', 's1', 'b2'))], [chunk('s1')]);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Engine', () => {
  it('decides chain-decidable selectors from chains', async () => {
    const engine = new Engine(store);
    const r = await engine.preview('p', [{ event: 'click', selector: 'li.item:nth-child(2) button' }]);
    expect(r).toMatchObject({ events: 1, sessions: 1, users: 1 });
    expect(r.sample.map((s) => s.eventId)).toEqual(['e2']);
  });

  it('decides :has() and + from the recorded DOM', async () => {
    const engine = new Engine(store);
    expect((await engine.preview('p', [{ event: 'click', selector: 'li:has(.badge) button' }])).sample.map((s) => s.eventId)).toEqual(['e1']);
    expect((await engine.preview('p', [{ event: 'click', selector: 'li + li > button' }])).sample.map((s) => s.eventId)).toEqual(['e2']);
  });

  it('reuses replay results per session and re-evaluates a session that gains events', async () => {
    const engine = new Engine(store);
    const spy = vi.spyOn(store, 'replayChunks');
    const rules = [{ event: 'click', selector: 'li:has(.badge) > button' }];
    expect((await engine.preview('p', rules)).events).toBe(1);
    expect(spy).toHaveBeenCalledTimes(1);
    expect((await engine.preview('p', rules)).events).toBe(1);
    expect(spy).toHaveBeenCalledTimes(1); // cached
    await store.append('p', [stored(click('e3', 's1', 'b1'))], []);
    expect((await engine.preview('p', rules)).events).toBe(2);
    expect(spy).toHaveBeenCalledTimes(2); // the session changed: evaluated again
    await store.append('p', [stored(click('e4', 's2', 'b1'))], []);
    // s2 has no replay yet: not counted, and not cached either
    expect((await engine.preview('p', rules)).events).toBe(2);
    await store.append('p', [], [chunk('s2')]);
    expect((await engine.preview('p', rules)).events).toBe(3);
    spy.mockRestore();
  });

  it('reads each recording once for all the rules of a preview that need it', async () => {
    const rules = [
      { event: 'click', selector: 'li:has(.badge) > button' },
      { event: 'click', selector: 'li + li > button' },
      { event: 'click', selector: 'ul:has(#b2) li:first-child button' },
    ];
    const page = { limit: 100, offset: 0 };
    const alone = await Promise.all(rules.map(async (r) => (await new Engine(store).matchingEvents('p', [r], page)).map((e) => e.id)));
    const spy = vi.spyOn(store, 'replayChunks');
    const all = await new Engine(store).matchingEvents('p', rules, page);
    // the same answer as the rules one by one (their union) ...
    expect(new Set(all.map((e) => e.id))).toEqual(new Set(alone.flat()));
    expect(all.length).toBeGreaterThan(alone[0].length);
    // ... with one read of each session's recording
    const sessions = spy.mock.calls.map((c) => c[1]);
    expect(sessions.length).toBeGreaterThan(0);
    expect(new Set(sessions).size).toBe(sessions.length);
    spy.mockRestore();
  });
});

describe('ExactCache', () => {
  it('keys results by an order-independent signature and evicts the least recently used', () => {
    const c = new ExactCache(2);
    c.set('a', ExactCache.signature(['1', '2']), ['1']);
    expect(c.get('a', ExactCache.signature(['2', '1']))).toEqual(['1']);
    expect(c.get('a', ExactCache.signature(['1']))).toBeUndefined();
    c.set('b', 's', []);
    c.get('a', ExactCache.signature(['1', '2']));
    c.set('c', 's', []);
    expect(c.get('b', 's')).toBeUndefined();
    expect(c.size).toBe(2);
  });
});
