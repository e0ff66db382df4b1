import { describe, expect, it, vi } from 'vitest';
import { planEviction, type CacheEntry } from '../src/lib/lru';
import { buildSegments, indexEvents, memoryIndex, PAINT_GRACE_MS, ReplayFeed, segmentAt, type ChunkIndexEntry } from '../src/lib/replay-feed';
import { parseSessionFile, SESSION_FILE_FORMAT } from '../src/lib/session-file';

const e = (key: string, bytes: number, usedAt: number): CacheEntry => ({ key, bytes, usedAt });

describe('planEviction (LRU)', () => {
  it.each<[string, CacheEntry[], number, string[], string[]]>([
    ['nothing when under budget', [e('a', 10, 1), e('b', 10, 2)], 20, [], []],
    ['oldest first until it fits', [e('new', 10, 3), e('old', 10, 1), e('mid', 10, 2)], 15, [], ['old', 'mid']],
    ['only as many as needed', [e('a', 50, 1), e('b', 10, 2), e('c', 10, 3)], 25, [], ['a']],
    ['ties: larger first, then key', [e('b', 5, 1), e('a', 5, 1), e('big', 20, 1)], 10, [], ['big']],
    ['ties by key when equal', [e('b', 5, 1), e('a', 5, 1)], 5, [], ['a']],
    ['never evicts kept keys', [e('open', 100, 1), e('x', 10, 2)], 50, ['open'], ['x']],
    ['empty budget evicts all but kept', [e('a', 1, 1), e('b', 1, 2)], 0, ['b'], ['a']],
    ['negative sizes count as zero', [e('a', -5, 1), e('b', 10, 2)], 10, [], []],
  ])('%s', (_label, entries, max, keep, want) => {
    expect(planEviction(entries, max, new Set(keep))).toEqual(want);
  });
});

const meta = (ts: number, href = 'http://shop.test/') => ({ type: 4, timestamp: ts, data: { href, width: 800, height: 600 } });
const full = (ts: number) => ({ type: 2, timestamp: ts, data: { node: { type: 0, childNodes: [], id: 1 }, initialOffset: { top: 0, left: 0 } } });
const inc = (ts: number) => ({ type: 3, timestamp: ts, data: { source: 1, positions: [] } });

describe('replay segments', () => {
  // chunk a: junk before the first Meta, then snapshot 1; b: increments; c: increments + checkout Meta at its end;
  // d: the checkout's FullSnapshot and more
  const chunks: Record<string, any[]> = {
    a: [inc(90), meta(100), full(100)],
    b: [inc(200), inc(300)],
    c: [inc(400), meta(500)],
    d: [full(500), inc(600)],
  };
  const index: ChunkIndexEntry[] = ['c', 'a', 'd', 'b'].map((k) => indexEvents(k, chunks[k]));

  it('cuts at Meta events, in time order, dropping what precedes the first one', () => {
    const segs = buildSegments(index);
    expect(segs.map((s) => [s.start, s.end, s.parts, s.snapshotBytes])).toEqual([
      [100, 500, [
        { id: 'a', from: 1, to: 3 },
        { id: 'b', from: 0, to: 2 },
        { id: 'c', from: 0, to: 1 },
      ], index[1].bytes],
      [500, 600, [
        { id: 'c', from: 1, to: 2 },
        { id: 'd', from: 0, to: 2 },
      ], Math.max(index[0].bytes, index[2].bytes)],
    ]);
  });

  it.each([
    [50, 0],
    [100, 0],
    [499, 0],
    [500, 1],
    [9999, 1],
  ])('segmentAt(%i) = %i', (t, want) => {
    expect(segmentAt(buildSegments(index), t)).toBe(want);
  });

  it('loads only the chunks of the wanted segment, sorted and sanitized', async () => {
    const asked: string[][] = [];
    const feed = new ReplayFeed(memoryIndex(index), async (ids) => {
      asked.push(ids);
      return new Map(ids.map((id) => [id, structuredClone(chunks[id])]));
    });
    expect([feed.start, feed.end]).toEqual([100, 600]);
    const seg = await feed.loadSegment(1);
    expect(asked).toEqual([['c', 'd']]);
    expect(seg.map((x) => [x.type, x.timestamp])).toEqual([
      [4, 500],
      [2, 500],
      [3, 600],
    ]);
    await feed.loadSegment(1);
    expect(asked.length).toBe(1); // memoized
  });
});

describe("a segment's head (first frame before the rest of the segment)", () => {
  // segment 0: Meta ends chunk a, its FullSnapshot starts chunk b, then 3 chunks of changes
  const chunks: Record<string, any[]> = {
    a: [inc(90), meta(100)],
    b: [full(100), inc(150)],
    c: [inc(200)],
    d: [inc(300)],
    e: [inc(400)],
  };
  const index = Object.keys(chunks).map((k) => indexEvents(k, chunks[k]));
  const feedOf = (asked: string[][]) =>
    new ReplayFeed(memoryIndex(index), async (ids) => {
      asked.push(ids);
      return new Map(ids.map((id) => [id, structuredClone(chunks[id])]));
    });

  it('fetches the snapshot chunks first and only the rest for the whole segment, reusing the head objects', async () => {
    const asked: string[][] = [];
    const feed = feedOf(asked);
    const head = (await feed.loadHead(0))!;
    expect(head.map((x) => [x.type, x.timestamp])).toEqual([
      [4, 100],
      [2, 100],
      [3, 150],
    ]);
    const all = await feed.loadSegment(0);
    expect(asked).toEqual([['a', 'b'], ['c', 'd', 'e']]);
    expect(all.map((x) => x.timestamp)).toEqual([100, 100, 150, 200, 300, 400]);
    // the driver adds to the Replayer exactly the events not in the head, told apart by identity
    expect(all.filter((x) => !head.includes(x)).map((x) => x.timestamp)).toEqual([200, 300, 400]);
  });

  it('no head when the segment is no bigger than it, or when it lacks the FullSnapshot', async () => {
    const small = new ReplayFeed(memoryIndex([indexEvents('x', [meta(1), full(1), inc(2)])]), async (ids) => new Map(ids.map((id) => [id, [meta(1), full(1), inc(2)]])));
    expect(await small.loadHead(0)).toBeNull();
    const noSnap: Record<string, any[]> = { a: [meta(100)], b: [inc(150)], c: [full(160)] };
    const feed = new ReplayFeed(memoryIndex(Object.keys(noSnap).map((k) => indexEvents(k, noSnap[k]))), async (ids) => new Map(ids.map((id) => [id, structuredClone(noSnap[id])])));
    expect(await feed.loadHead(0)).toBeNull();
    expect((await feed.loadSegment(0)).map((x) => x.timestamp)).toEqual([100, 150, 160]);
  });

  it('a segment already loading whole has no separate head', async () => {
    const asked: string[][] = [];
    const feed = feedOf(asked);
    const all = feed.loadSegment(0);
    expect(await feed.loadHead(0)).toBeNull();
    await all;
    expect(asked).toEqual([['a', 'b', 'c', 'd', 'e']]);
  });
});

describe('painted: what waits for the first frame', () => {
  const settled = async (p: Promise<void>) => {
    let done = false;
    void p.then(() => (done = true));
    await Promise.resolve();
    await Promise.resolve();
    return done;
  };
  it('settles when a player reports its frame painted, not before', async () => {
    vi.useFakeTimers();
    try {
      const feed = new ReplayFeed(memoryIndex([]), async () => new Map());
      expect(await settled(feed.painted)).toBe(false);
      feed.markPainted();
      expect(await settled(feed.painted)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
  it('settles by itself after the grace period when no player shows a frame', async () => {
    vi.useFakeTimers();
    try {
      const feed = new ReplayFeed(memoryIndex([]), async () => new Map());
      vi.advanceTimersByTime(PAINT_GRACE_MS - 1);
      expect(await settled(feed.painted)).toBe(false);
      vi.advanceTimersByTime(1);
      expect(await settled(feed.painted)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('a feed started from a partial index', () => {
  const chunks: Record<string, any[]> = {
    a: [meta(100), full(100), inc(200)],
    b: [meta(500), full(500), inc(600)],
    c: [inc(700), inc(800)],
    d: [meta(900), full(900)],
  };
  const entry = (k: string) => indexEvents(k, chunks[k]);
  it('keeps the prefix segments, waits for the complete index beyond them, then grows', async () => {
    let finish!: (v: any) => void;
    const rest = new Promise<any>((r) => (finish = r));
    const asked: string[][] = [];
    const feed = new ReplayFeed({ v: 1, chunks: [entry('a'), entry('b')], complete: false, lastTs: 900 }, async (ids) => {
      asked.push(ids);
      return new Map(ids.map((id) => [id, structuredClone(chunks[id])]));
    }, rest);
    expect([feed.complete, feed.segments.length, feed.end]).toEqual([false, 2, 900]);
    expect([feed.covers(300), feed.covers(500), feed.covers(950)]).toEqual([true, false, false]);
    expect((await feed.loadSegment(0)).map((e) => e.timestamp)).toEqual([100, 100, 200]);
    let grown = 0;
    feed.onChange(() => grown++);
    const last = feed.loadSegment(1); // the prefix's last segment may still grow: it waits
    await Promise.resolve();
    expect(asked).toEqual([['a']]);
    finish({ v: 1, chunks: ['a', 'b', 'c', 'd'].map(entry), complete: true, lastTs: 900 });
    expect((await last).map((e) => e.timestamp)).toEqual([500, 500, 600, 700, 800]);
    expect([feed.complete, feed.segments.length, grown, feed.covers(950)]).toEqual([true, 3, 1, true]);
  });
});

describe('session files', () => {
  const good = { format: SESSION_FILE_FORMAT, version: 1, exportedAt: 1, session: null, events: [], matches: [], replay: [meta(1)] };
  it.each([
    ['not JSON', '{', /not JSON/],
    ['another format', JSON.stringify({ ...good, format: 'x' }), /not a Hindsight session/],
    ['a future version', JSON.stringify({ ...good, version: 2 }), /Unsupported export version 2/],
    ['no replay', JSON.stringify({ ...good, replay: null }), /no events or replay/],
  ])('refuses %s', (_l, text, msg) => {
    expect(() => parseSessionFile(text)).toThrow(msg);
  });
  it('keeps only well-formed events and replay envelopes, and only known chain fields', () => {
    const f = parseSessionFile(
      JSON.stringify({
        ...good,
        events: [
          { id: 'e1', type: 'click', ts: 5, url: 'u', chain: [{ tag: 'button', attrs: { class: 'b', bad: 1 }, nth: [1, 1, 1, 1], onclick: 'x' }] },
          { id: 'e2', type: 'click' },
          'junk',
        ],
        replay: [meta(1), { type: 'x', timestamp: 2 }, null],
        matches: [{ definitionId: 'd', name: 'Buy', eventId: 'e1', ts: 5 }, { name: 1 }],
      }),
    );
    expect(f.events.map((x) => x.id)).toEqual(['e1']);
    expect(f.events[0].chain).toEqual([{ tag: 'button', attrs: { class: 'b' }, nth: [1, 1, 1, 1] }]);
    expect(f.replay).toEqual([meta(1)]);
    expect(f.matches).toEqual([{ definitionId: 'd', name: 'Buy', eventId: 'e1', ts: 5 }]);
  });
});
