// Server-side tracking for events only the backend knows (payment succeeded, payment failed):
// queued, sent in batches to POST /v1/batch with the write key, retried with backoff until the
// server acknowledged them. Same wire format and dedupe (client-generated ids) as the recorder.
import { WIRE_VERSION, type Batch, type RawEvent } from '@hindsight/schema';

export interface TrackerOptions {
  /** server origin, e.g. `http://localhost:8787` */
  endpoint: string;
  /** the project's public write key */
  writeKey: string;
  /** send when this many events are queued (default 100) */
  flushAt?: number;
  /** …or this long after the first queued event (default 1000 ms) */
  flushIntervalMs?: number;
  /** give up a batch after this many failed attempts (default 10; it is then reported to onError) */
  maxAttempts?: number;
  /** first retry delay; doubles per attempt up to 30 s (default 500 ms) */
  retryBaseMs?: number;
  fetch?: typeof fetch;
  onError?: (err: Error, events: RawEvent[]) => void;
}

export interface TrackOptions {
  /** the signed-in user; events without one need `anonymousId` */
  userId?: string;
  anonymousId?: string;
  /** defaults to one server session per user and UTC day */
  sessionId?: string;
  /** epoch ms; default now */
  ts?: number;
  url?: string;
}

const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Tracker {
  private queue: RawEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private sending: Promise<void> = Promise.resolve();
  private readonly opts: Required<Omit<TrackerOptions, 'fetch' | 'onError'>> & Pick<TrackerOptions, 'fetch' | 'onError'>;

  constructor(opts: TrackerOptions) {
    this.opts = { flushAt: 100, flushIntervalMs: 1000, maxAttempts: 10, retryBaseMs: 500, ...opts, endpoint: opts.endpoint.replace(/\/+$/, '') };
  }

  /** a named event (a `custom` event, like the recorder's `track()`) */
  track(name: string, props?: Record<string, unknown>, o: TrackOptions = {}): string {
    return this.push({ ...this.base(o), type: 'custom', name, ...(props ? { props } : {}) });
  }

  /** links `o.anonymousId` (when given) to `userId` and records the traits */
  identify(userId: string, traits?: Record<string, unknown>, o: Omit<TrackOptions, 'userId'> = {}): string {
    return this.push({ ...this.base({ ...o, userId }), type: 'identify', ...(traits ? { props: traits } : {}) });
  }

  /** sends everything queued so far; resolves once the server acknowledged it (or gave up) */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const events = this.queue.splice(0);
    if (events.length) this.sending = this.sending.then(() => this.send(events));
    await this.sending;
  }

  /** flushes and stops the timer: call before the process exits */
  close(): Promise<void> {
    return this.flush();
  }

  private base(o: TrackOptions): RawEvent {
    const ts = o.ts ?? Date.now();
    const who = o.anonymousId ?? o.userId;
    if (!who) throw new Error('track needs a userId or an anonymousId');
    return {
      id: crypto.randomUUID(),
      type: 'custom',
      ts,
      sessionId: o.sessionId ?? `server:${who}:${new Date(ts).toISOString().slice(0, 10)}`.slice(0, 64),
      anonymousId: who.slice(0, 64),
      userId: o.userId ?? null,
      url: o.url ?? '',
    };
  }

  private push(e: RawEvent): string {
    this.queue.push(e);
    if (this.queue.length >= this.opts.flushAt) void this.flush();
    else if (!this.timer) this.timer = setTimeout(() => void this.flush(), this.opts.flushIntervalMs);
    return e.id;
  }

  private async send(events: RawEvent[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let wait = Math.min(30_000, this.opts.retryBaseMs * 2 ** (attempt - 1));
      try {
        // sentAt is set per attempt so the server's skew correction stays right after a retry
        const body: Batch = { v: WIRE_VERSION, sentAt: Date.now(), events };
        const res = await (this.opts.fetch ?? fetch)(`${this.opts.endpoint}/v1/batch?key=${encodeURIComponent(this.opts.writeKey)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (res.ok) return;
        const retryAfter = Number(res.headers.get('retry-after'));
        if (Number.isFinite(retryAfter) && retryAfter > 0) wait = retryAfter * 1000;
        const text = await res.text();
        if (!RETRYABLE.has(res.status)) return this.fail(new Error(`ingest refused the batch: ${res.status} ${text.slice(0, 200)}`), events);
      } catch (e) {
        if (attempt >= this.opts.maxAttempts) return this.fail(e as Error, events);
      }
      if (attempt >= this.opts.maxAttempts) return this.fail(new Error(`gave up after ${attempt} attempts`), events);
      await sleep(wait);
    }
  }

  private fail(err: Error, events: RawEvent[]): void {
    this.opts.onError?.(err, events);
  }
}
