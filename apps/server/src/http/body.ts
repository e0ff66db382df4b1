// Bounded request-body reading. Caps are enforced while streaming so a huge body, or a tiny
// gzip bomb, is refused with bounded memory.
import { gunzip, gunzipSync } from 'node:zlib';
import { HttpError } from './errors.js';

export async function readBodyCapped(req: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new HttpError(413, 'body_too_large', `request body is ${declared} bytes; the limit is ${maxBytes}`);
  }
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new HttpError(413, 'body_too_large', `request body exceeds the limit of ${maxBytes} bytes`);
    }
    parts.push(value);
  }
  return Buffer.concat(parts, total);
}

const isGzip = (b: Buffer) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/**
 * Below this many compressed bytes a body is inflated synchronously: async zlib costs ~100 µs of
 * main-thread bookkeeping per call against ~20 µs for the inflate itself on a recorder batch,
 * and the output cap bounds the work (a small gzip bomb stops at maxInflated).
 */
const SYNC_INFLATE_BYTES = 16 * 1024;

/** Inflates gzip bodies (detected by magic bytes) with an output cap; plain bodies pass through. */
export function inflateCapped(body: Buffer, maxInflated: number): Promise<Buffer> {
  if (!isGzip(body)) {
    if (body.length > maxInflated) {
      return Promise.reject(new HttpError(413, 'body_too_large', `body exceeds ${maxInflated} bytes`));
    }
    return Promise.resolve(body);
  }
  // maxOutputLength makes zlib stop (RangeError) instead of allocating past the cap.
  if (body.length <= SYNC_INFLATE_BYTES) {
    try {
      return Promise.resolve(gunzipSync(body, { maxOutputLength: maxInflated }));
    } catch (err) {
      return Promise.reject(inflateError(err, maxInflated));
    }
  }
  return new Promise((resolve, reject) => {
    gunzip(body, { maxOutputLength: maxInflated }, (err, out) => (err ? reject(inflateError(err, maxInflated)) : resolve(out)));
  });
}

function inflateError(err: unknown, maxInflated: number): HttpError {
  if (err instanceof RangeError || (err instanceof Error && /maxOutputLength|buffer/i.test(err.message))) {
    return new HttpError(413, 'inflated_too_large', `decompressed body exceeds the limit of ${maxInflated} bytes`);
  }
  return new HttpError(400, 'bad_encoding', `body is not valid gzip: ${err instanceof Error ? err.message : String(err)}`);
}

/**
 * JSON.parse with a clear 400, and a nesting cap. rrweb snapshots nest two levels per DOM level
 * (node → childNodes → node), and real pages reach a few hundred DOM levels, so the cap is generous;
 * it exists to refuse absurd documents before anything recursive (zod, JSON.stringify) sees them.
 */
export function parseJson(text: string, maxDepth = 2048): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, 'bad_json', `body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (depthExceeds(value, maxDepth)) throw new HttpError(400, 'too_deep', `JSON nesting deeper than ${maxDepth}`);
  return value;
}

/** Is an object or array nested `left` or more levels below `v`? Recursion stops at the cap. */
function depthExceeds(v: unknown, left: number): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (left <= 0) return true;
  if (Array.isArray(v)) {
    for (const c of v) if (c !== null && typeof c === 'object' && depthExceeds(c, left - 1)) return true;
  } else {
    for (const k in v) {
      const c = (v as Record<string, unknown>)[k];
      if (c !== null && typeof c === 'object' && depthExceeds(c, left - 1)) return true;
    }
  }
  return false;
}
