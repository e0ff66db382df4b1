import type { z } from 'zod';
import { describeZodError } from '@hindsight/schema/validate';
import { HttpError } from './errors.js';
import { parseJson, readBodyCapped } from './body.js';

/** Reads a JSON API body (capped at 1 MB) and validates it with a zod schema. */
export async function readJson<T>(req: Request, schema: z.ZodType<T>): Promise<T> {
  const raw = await readBodyCapped(req, 1024 * 1024);
  if (raw.length === 0) throw new HttpError(400, 'empty_body', 'a JSON body is required');
  const parsed = schema.safeParse(parseJson(raw.toString('utf8')));
  if (!parsed.success) throw new HttpError(400, 'invalid_body', describeZodError(parsed.error));
  return parsed.data;
}

/** an API answer: JSON, never cached */
export const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } as const;

export const json = (data: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(data), { status, headers: { ...JSON_HEADERS, ...headers } });

/**
 * Epoch ms from a number, or a string of digits or an ISO date; null when it is none of them or
 * lies outside a JavaScript Date's range (±8.64e15 ms): no event can be there, and the stores'
 * 64-bit time arithmetic must not overflow on it.
 */
export function epochMs(v: number | string): number | null {
  const n = typeof v === 'number' ? v : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(n) && Math.abs(n) <= MAX_EPOCH_MS ? n : null;
}
export const MAX_EPOCH_MS = 8.64e15;

/** Epoch ms from a query value (see epochMs). */
export function parseTime(name: string, v: string | null | undefined): number | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  const n = epochMs(v);
  if (n === null) throw new HttpError(400, 'bad_query', `${name} must be epoch milliseconds or an ISO date (within ±8.64e15 ms), got "${v.slice(0, 64)}"`);
  return n;
}

export function parseIntParam(name: string, v: string | null | undefined, min: number, max: number): number | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new HttpError(400, 'bad_query', `${name} must be a whole number from ${min} to ${max}`);
  }
  return n;
}

export function parseBoolParam(name: string, v: string | null | undefined): boolean | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new HttpError(400, 'bad_query', `${name} must be true or false`);
}
