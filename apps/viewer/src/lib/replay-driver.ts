// Drives rrweb Replayers over a progressively loaded session (replay-feed.ts).
//
// Why several Replayers: showing a moment means rebuilding the page of the segment's snapshot and
// replaying up to 5 minutes of changes. The rebuild is cheap in JS but the browser must then style
// and lay out a brand-new 10k-node document, which is most of a seek's time. So, while the viewer
// is idle, each segment gets a hidden Replayer already rebuilt and laid out at its snapshot (the
// *pool*, bounded); a seek takes the pooled one, reveals it and replays forward only the
// mutations up to the target. Without a pooled one, a fresh Replayer is built for the target's
// segment alone, so no seek ever replays from the session start. The active Replayer also gets
// the following segments appended in the background, so playback runs on across checkouts.
import { Replayer } from 'rrweb';
import { RRWEB_FULL_SNAPSHOT, type ReplayEventLike } from './replay';
import { afterNextPaint, segmentAt, type ReplayFeed } from './replay-feed';
import type { FrameSize } from './replay-fit';

export interface DriverHooks {
  /** a Replayer was created (attach listeners; `isActive(r)` tells whether it is on screen) */
  onCreate: (r: Replayer) => void;
  /** r is now the one on screen */
  onActivate: (r: Replayer) => void;
  onError: (message: string) => void;
}

export interface DriverConfig {
  speed: number;
  skipInactive: boolean;
}

interface Entry {
  r: Replayer;
  /** timestamp of its first event: its time 0 */
  base: number;
  /** its first FullSnapshot's timestamp (rrweb shows nothing earlier) */
  snapshot: number;
  /** contiguous segments it holds */
  first: number;
  last: number;
  /** started from its first segment's head only: settles once the rest of that segment is in */
  rest?: Promise<void>;
  /** holds only that head (the rest is on its way, or failed to load): seeks rebuild */
  headOnly?: boolean;
}

/** hidden ready-to-show Replayers kept at most (each holds one rebuilt page) */
const POOL_MAX = 8;
/** pages smaller than this rebuild fast enough on a seek: no hidden copy for them */
const POOL_MIN_SNAPSHOT_BYTES = 256 * 1024;
/** background work waits for this much quiet after the last seek */
const IDLE_MS = 1000;
/** pause between background steps, so a seek never waits long behind one */
const STEP_GAP_MS = 120;
/** a replaced Replayer goes after the new frame painted */
const RETIRE_AFTER_MS = 100;

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

export class ReplayDriver {
  private active: Entry | null = null;
  private pool = new Map<number, Entry>();
  private retiring: Replayer[] = [];
  /** bumped by every show(); a stale async step sees a different value and stops */
  private gen = 0;
  private target: number;
  private destroyed = false;
  private working = false;
  private lastShow = 0;
  /** the gen of a show() still waiting for data */
  private pending = -1;
  /** the recorded viewport of the page on screen (its last resize), what the stage fits */
  size: FrameSize = { width: 1024, height: 768 };

  constructor(
    private mount: HTMLElement,
    private readonly feed: ReplayFeed,
    private hooks: DriverHooks,
    private config: DriverConfig,
  ) {
    this.target = feed.start;
  }

  get replayer(): Replayer | null {
    return this.active?.r ?? null;
  }

  isActive(r: Replayer): boolean {
    return this.active?.r === r;
  }

  /**
   * Hands this driver (built before the app started, lib/early-replay.ts) to a player: its
   * Replayers move into `mount` with their rebuilt pages intact (Element.moveBefore keeps a moved
   * iframe's document, where appendChild would reload it blank; the entry builds a driver early
   * only where the browser has it, early-replay.ts canAdopt), and the player's hooks see each
   * Replayer as if just created, the one on screen as just activated.
   */
  adopt(mount: HTMLElement, hooks: DriverHooks): void {
    const move = (mount as unknown as { moveBefore: (node: Node, child: Node | null) => void }).moveBefore;
    for (const child of [...this.mount.children]) move.call(mount, child, null);
    this.mount = mount;
    this.hooks = hooks;
    const all = new Set([...this.retiring, ...[...this.pool.values()].map((e) => e.r), ...(this.active ? [this.active.r] : [])]);
    for (const r of all) {
      // rrweb's destroy() removes the wrapper from its config.root: it must be the new parent
      r.config.root = mount;
      hooks.onCreate(r);
    }
    if (this.active) hooks.onActivate(this.active.r);
  }

  /** absolute time being shown (the seek target while it loads) */
  now(): number {
    // while a seek waits for data, the moment shown is the one asked for (the list highlights it)
    return this.pending === this.gen ? this.target : this.displayed();
  }

  /** where the Replayer on screen is */
  private displayed(): number {
    const a = this.active;
    return a ? a.base + a.r.getCurrentTime() + this.overshoot : this.target;
  }

  /**
   * How far past the recording's end a paused seek asked to be (an event after the last replay
   * data, e.g. the click that ended the session): the frame is the last one, but the moment shown
   * stays the one asked for, so the event list keeps that event current.
   */
  private overshoot = 0;

  setConfig(c: Partial<DriverConfig>): void {
    this.config = { ...this.config, ...c };
    this.active?.r.setConfig(c);
  }

  /** more segments after the active run (playback reaching its end needs the next one) */
  get hasMore(): boolean {
    return !!this.active && this.active.last < this.feed.segments.length - 1;
  }

  /** Shows absolute time ts, paused or playing; resolves once shown (or superseded). */
  async show(ts: number, play: boolean): Promise<void> {
    const g = ++this.gen;
    this.lastShow = performance.now();
    const shown = this.displayed();
    this.pending = g;
    this.target = ts;
    // the first frame: from the snapshot alone when the moment is inside it (before the rest of
    // the segment, or even of the index, is known)
    if (!this.active && (await this.startFromHead(segmentAt(this.feed.segments, ts), ts))) {
      if (g !== this.gen || this.destroyed) return;
      this.position(this.active!, ts, ts, play);
      void this.background();
      return;
    }
    if (!this.feed.covers(ts)) {
      await this.feed.whenComplete;
      if (g !== this.gen || this.destroyed) return;
    }
    const asked = ts;
    ts = Math.min(Math.max(ts, this.feed.start), this.feed.end);
    const cur = segmentAt(this.feed.segments, shown);
    this.target = ts;
    const i = segmentAt(this.feed.segments, ts);
    if (this.active?.rest) {
      // what a seek inside it needs may still be missing
      await this.active.rest.catch(() => {});
      if (g !== this.gen || this.destroyed) return;
    }
    const a = this.active;
    try {
      // rrweb seeks forward inside what it holds without a rebuild (it skips what it already played)
      const inPlace = !!a && !a.headOnly && i >= a.first && i <= a.last && i === cur && ts >= shown;
      if (!inPlace) {
        const pooled = this.pool.get(i);
        if (pooled) {
          this.pool.delete(i);
          this.activate(pooled);
        } else {
          const events = await this.feed.loadSegment(i);
          if (g !== this.gen || this.destroyed) return;
          if (a && this.active === a && !a.headOnly && i === a.last + 1 && i === cur + 1 && ts >= shown) await this.append(a, i, events);
          else this.activate(this.create(i, events, true));
          if (g !== this.gen || this.destroyed) return;
        }
      }
      this.position(this.active!, ts, asked, play);
    } catch (err) {
      if (g === this.gen && !this.destroyed) {
        this.pending = -1;
        this.hooks.onError((err as Error).message || 'unreadable recording');
      }
      return;
    }
    void this.background();
  }

  /** Moves e (on screen) to absolute time ts; `asked` may lie past the recording's end. */
  private position(e: Entry, ts: number, asked: number, play: boolean): void {
    // Just past the snapshot at the earliest (the Meta event precedes it by a few ms): rrweb
    // rebuilds a snapshot that lies ahead (and one at exactly the position) only on a timer of its
    // own, a task and often a whole frame later; one already past, it rebuilds right here. Before
    // it there is nothing to show anyway.
    const offset = Math.max(0, ts - e.base, e.snapshot + 1 - e.base);
    this.overshoot = play ? 0 : Math.max(0, asked - ts);
    if (play) e.r.play(offset);
    else e.r.pause(offset);
    this.pending = -1;
    this.retire();
  }

  pause(): void {
    this.target = this.now();
    this.active?.r.pause();
  }

  destroy(): void {
    this.destroyed = true;
    this.gen++;
    for (const r of this.retiring.splice(0)) r.destroy();
    for (const e of this.pool.values()) e.r.destroy();
    this.pool.clear();
    this.active?.r.destroy();
    this.active = null;
    this.mount.innerHTML = '';
  }

  private create(i: number, events: ReplayEventLike[], visible: boolean): Entry {
    // Replay data is untrusted. rrweb 2.2.2 rebuilds into an iframe sandboxed with exactly
    // `allow-same-origin` (no allow-scripts) unless UNSAFE_replayCanvas is set; never set it.
    // The feed has already run sanitizeReplay (the requests neither sandbox nor CSP stop).
    const r = new Replayer(events as any[], {
      root: this.mount,
      speed: this.config.speed,
      skipInactive: this.config.skipInactive,
      UNSAFE_replayCanvas: false,
      insertStyleRules: [],
      showWarning: false,
      triggerFocus: false,
      mouseTail: { strokeStyle: 'rgba(79, 70, 229, 0.55)', lineWidth: 2, duration: 600 },
      logger: { log: () => {}, warn: () => {} },
      // rrweb's virtual DOM copies the whole rebuilt page (buildFromDom) and diffs it back on every
      // seek: ~1 s for a 10k-node page. Between checkouts there are at most 5 minutes of
      // mutations, which apply to the real DOM faster than that copy takes.
      useVirtualDom: false,
    });
    holdSyncScrolls(r);
    // before the hooks' listeners, so a hook that fits the stage on resize sees the new size
    r.on('resize', (d: unknown) => {
      const s = d as Partial<FrameSize> | undefined;
      if (this.isActive(r) && s?.width && s.height) this.size = { width: s.width, height: s.height };
    });
    if (!visible) r.wrapper.style.visibility = 'hidden';
    this.hooks.onCreate(r);
    const base = events[0]?.timestamp ?? this.feed.segments[i].start;
    return { r, base, snapshot: events.find((ev) => ev.type === RRWEB_FULL_SNAPSHOT)?.timestamp ?? base, first: i, last: i };
  }

  /**
   * The first frame, from the segment's head (Meta + FullSnapshot) when ts falls inside it: the
   * rest of the segment is added to the same Replayer as it arrives, so the page shows as soon as
   * the snapshot is in instead of after up to 5 minutes of changes.
   */
  private async startFromHead(i: number, ts: number): Promise<boolean> {
    const head = await this.feed.loadHead(i);
    if (this.destroyed || !head?.length || ts < head[0].timestamp || ts > head[head.length - 1].timestamp || this.active) return false;
    const e = this.create(i, head, true);
    const inHead = new Set(head);
    e.headOnly = true;
    // the rest after the head's frame painted: its parsing would hold that paint back
    e.rest = this.feed.painted
      .then(() => this.feed.loadSegment(i))
      .then(async (all) => {
        for (const ev of all) if (!inHead.has(ev)) e.r.addEvent(ev as any);
        await sleep(0); // addEvent lands in a microtask
        e.headOnly = false;
      })
      // failed: the head stays on screen (headOnly) and the next seek rebuilds from the whole segment
      .finally(() => delete e.rest);
    this.activate(e);
    return true;
  }

  /** Puts e on screen; the previous one stays until e is positioned (retire()). */
  private activate(e: Entry): void {
    if (this.active) {
      this.active.r.pause();
      this.active.r.wrapper.style.zIndex = '0';
      delete this.active.r.wrapper.dataset.active;
      this.retiring.push(this.active.r);
    }
    this.active = e;
    e.r.setConfig(this.config);
    // on top of the one it replaces until that one is removed (moving an iframe in the DOM would
    // reload it and lose the rebuilt page, so stacking is by z-index)
    e.r.wrapper.style.zIndex = '1';
    e.r.wrapper.style.visibility = '';
    // tests and tools find the replay on screen by this mark (hidden pooled ones lack it)
    e.r.wrapper.dataset.active = 'true';
    this.hooks.onActivate(e.r);
    // positioned in this same task (show): once the browser painted it, deferred work may start
    void afterNextPaint().then(() => this.feed.markPainted());
  }

  private retire(): void {
    if (!this.retiring.length) return;
    const old = this.retiring.splice(0);
    setTimeout(() => old.forEach((r) => r.destroy()), RETIRE_AFTER_MS);
  }

  private async append(e: Entry, i: number, events: ReplayEventLike[]): Promise<void> {
    for (const ev of events) e.r.addEvent(ev as any);
    e.last = i;
    // addEvent hands each event to rrweb's state machine in a microtask; let them land before a seek
    await sleep(0);
  }

  /**
   * While idle: append the next segment to the active Replayer (playback), then fill the pool with
   * rebuilt pages of the segments nearest the current one. One step at a time, each after quiet.
   */
  private async background(): Promise<void> {
    if (this.working) return;
    this.working = true;
    try {
      while (!this.destroyed) {
        await sleep(STEP_GAP_MS);
        if (performance.now() - this.lastShow < IDLE_MS) continue;
        const a = this.active;
        if (!a) break;
        const n = this.feed.segments.length;
        if (a.rest) {
          await a.rest.catch(() => {});
          continue;
        }
        if (a.last + 1 < n && !a.headOnly) {
          const next = a.last + 1;
          const events = await this.feed.loadSegment(next);
          if (this.active === a && a.last + 1 === next && !this.destroyed) await this.append(a, next, events);
          continue;
        }
        const cur = segmentAt(this.feed.segments, this.now());
        const near = [...Array(n).keys()]
          .filter((k) => this.feed.segments[k].snapshotBytes >= POOL_MIN_SNAPSHOT_BYTES)
          .sort((x, y) => Math.abs(x - cur) - Math.abs(y - cur) || x - y).slice(0, POOL_MAX);
        // bounded memory: pages of segments that are no longer near go
        for (const [k, e] of this.pool) if (!near.includes(k)) (this.pool.delete(k), e.r.destroy());
        const want = near.find((k) => !this.pool.has(k));
        if (want === undefined) break;
        const events = await this.feed.loadSegment(want);
        if (this.destroyed || this.pool.has(want) || performance.now() - this.lastShow < IDLE_MS) continue;
        const e = this.create(want, events, false);
        // 1 ms in: Meta + FullSnapshot apply now (rebuilt and laid out), nothing after them
        e.r.pause(1);
        this.pool.set(want, e);
      }
    } catch {
      /* offline or a broken chunk: the segment loads again when it is sought */
    } finally {
      this.working = false;
    }
  }
}

/**
 * Fast-forwarding to a seek target applies every recorded scroll synchronously, and each scrollTo
 * forces a layout of the whole page (hundreds of ms for 10k fresh nodes, times every scroll since
 * the checkout). Only the last position per target matters for the frame shown, so scrolls
 * applied synchronously are held and applied once when rrweb flushes the fast-forward.
 */
function holdSyncScrolls(r: Replayer): void {
  const inner = r as unknown as { applyScroll: (d: { id: number }, isSync: boolean) => void };
  const apply = inner.applyScroll.bind(r);
  const held = new Map<number, { id: number }>();
  inner.applyScroll = (d, isSync) => {
    if (!isSync) return apply(d, isSync);
    held.delete(d.id);
    held.set(d.id, d);
  };
  r.on('flush', () => {
    const list = [...held.values()];
    held.clear();
    for (const d of list) apply(d, true);
  });
}
