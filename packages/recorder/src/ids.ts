// UUIDv7 (RFC 9562): 48-bit ms timestamp + 12-bit counter + random. The counter (method 1)
// keeps ids created in the same millisecond ordered, so the IndexedDB outbox keyed by id
// replays items in creation order and the store gets time-sortable ids.
let lastMs = 0;
let counter = 0;
// getRandomValues and toString(16) cost ~35 µs per id in Chromium; a random pool and a hex
// table make ids ~10× cheaper (a busy page makes hundreds per second)
// (a loop, not Array.from(…, mapFn): Prototype.js replaces Array.from with one that ignores mapFn)
const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push((i + 256).toString(16).slice(1));
const pool = new Uint8Array(4096);
let used = pool.length;

export function uuidv7(now: number = Date.now()): string {
  if (used + 16 > pool.length) {
    crypto.getRandomValues(pool);
    used = 0;
  }
  const b = pool.slice(used, (used += 16));
  if (now > lastMs) {
    lastMs = now;
    // random start in the lower half leaves room to count up within the millisecond
    counter = ((b[6] & 7) << 8) | b[7];
  } else if (++counter > 0xfff) {
    lastMs++;
    counter = 0;
  }
  let ms = lastMs;
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = 0x70 | (counter >> 8);
  b[7] = counter & 255;
  b[8] = 0x80 | (b[8] & 0x3f);
  let h = '';
  for (let i = 0; i < 16; i++) h += HEX[b[i]];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** FNV-1a: a stable 32-bit hash, used for deterministic per-session sampling. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** true when this session is inside the sample (rate 0..1), the same answer in every tab. */
export function sampled(sessionId: string, rate: number): boolean {
  return rate >= 1 || hash32(sessionId) / 4294967296 < rate;
}
