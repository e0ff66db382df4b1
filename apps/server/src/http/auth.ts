// Admin auth for /api/*: `Authorization: Bearer <admin token>` or the viewer's session cookie.
// The cookie is an HMAC-signed expiry, so servers sharing the admin token (scale-out) accept
// each other's cookies without shared session state.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { HttpError } from './errors.js';

export const COOKIE_NAME = 'hs_session';
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;

function sign(secret: string, payload: string): string {
  return createHmac('sha256', `hindsight-cookie:${secret}`).update(payload).digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export function makeSessionCookie(secret: string, now = Date.now()): string {
  const payload = String(now + SESSION_TTL_MS);
  return `${payload}.${sign(secret, payload)}`;
}

export function verifySessionCookie(secret: string, value: string | undefined, now = Date.now()): boolean {
  if (!value) return false;
  const dot = value.indexOf('.');
  if (dot < 1) return false;
  const payload = value.slice(0, dot);
  const exp = Number(payload);
  if (!Number.isFinite(exp) || exp < now) return false;
  return safeEqual(value.slice(dot + 1), sign(secret, payload));
}

export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function checkToken(adminToken: string, given: unknown): boolean {
  return typeof given === 'string' && safeEqual(given, adminToken);
}

export function requireAdmin(adminToken: string, req: Request): void {
  const auth = req.headers.get('authorization');
  if (auth?.startsWith('Bearer ') && checkToken(adminToken, auth.slice(7).trim())) return;
  if (verifySessionCookie(adminToken, readCookie(req.headers.get('cookie'), COOKIE_NAME))) return;
  throw new HttpError(401, 'unauthorized', 'admin token or session cookie required');
}

export function cookieHeader(value: string, maxAgeMs: number): string {
  return `${COOKIE_NAME}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(maxAgeMs / 1000)}`;
}
