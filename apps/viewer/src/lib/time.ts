const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `m:ss` or `h:mm:ss` for a duration / offset in ms (negative clamps to 0). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** Human duration for tables: `45s`, `3m 05s`, `1h 02m`. */
export function formatSpan(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  const total = Math.round(ms / 1000);
  if (total < 60) return `${total}s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}h ${pad(m)}m` : `${m}m ${pad(s)}s`;
}

/** `YYYY-MM-DD HH:mm` (`:ss` with `seconds`) in local time, or UTC when `utc`. */
export function formatDateTime(ts: number, opts: { utc?: boolean; seconds?: boolean } = {}): string {
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return '—';
  const [y, mo, da, h, mi, se] = opts.utc
    ? [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    : [d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()];
  return `${y}-${pad(mo + 1)}-${pad(da)} ${pad(h)}:${pad(mi)}${opts.seconds ? `:${pad(se)}` : ''}`;
}

/** `YYYY-MM-DD` (local) — the value format of <input type="date">. */
export function toDateInput(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Parses `YYYY-MM-DD` as local midnight (start of day), or the end of that day with `endOfDay`. */
export function parseDateInput(s: string | null | undefined, endOfDay = false): number | undefined {
  if (!s) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(d.getTime()) || d.getMonth() !== Number(m[2]) - 1) return undefined;
  return endOfDay ? d.getTime() + 86_400_000 - 1 : d.getTime();
}

/** Coerces an API timestamp (epoch ms, epoch s, or ISO string) to epoch ms. */
export function toMillis(t: number | string): number {
  if (typeof t === 'number') return t < 1e11 ? t * 1000 : t;
  const n = Number(t);
  if (Number.isFinite(n)) return toMillis(n);
  return Date.parse(t);
}

/** Axis/tooltip label for a trend bucket. */
export function formatBucket(ts: number, interval: 'hour' | 'day' | 'week'): string {
  const d = new Date(ts);
  const md = `${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return interval === 'hour' ? `${md} ${pad(d.getHours())}:00` : interval === 'week' ? `wk ${md}` : md;
}

/**
 * A short, distinguishing form of an id. Our ids are UUIDv7, whose leading characters are a
 * timestamp shared by everything created in the same minute, so show the random tail instead.
 * Ids chosen by a sender (`sess-42`, `checkout-a`) are not UUIDs: short ones are shown as they are.
 */
export function shortId(id: string, n = 8): string {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
  const compact = uuid ? id.replace(/-/g, '') : id;
  return compact.length <= n ? compact : (uuid ? '' : '…') + compact.slice(-n);
}
