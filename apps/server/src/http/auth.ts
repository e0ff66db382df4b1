// Admin auth primitives for /api/*: the viewer's session cookie and constant-time token checks
// (who may do what is decided in ./access.ts). The cookie is `<scope>.<expiry>.<hmac>`: scope `*`
// is the server admin, otherwise a project id. Its HMAC key is the server admin token, plus, for a
// project, the hash of the project's current admin token: servers sharing the admin token and the
// store accept each other's cookies without shared session state, changing HINDSIGHT_ADMIN_TOKEN
// revokes every cookie, and rotating a project's admin token revokes that project's cookies.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const COOKIE_NAME = 'hs_session';
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;
/** cookie scope of the server admin (project ids never contain `*`) */
export const SERVER_SCOPE = '*';

function sign(secret: string, payload: string): string {
  return createHmac('sha256', `hindsight-cookie:${secret}`).update(payload).digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export function makeSessionCookie(secret: string, scope: string, now = Date.now()): string {
  const payload = `${scope}.${now + SESSION_TTL_MS}`;
  return `${payload}.${sign(secret, payload)}`;
}

/**
 * The scope of a valid, unexpired cookie, else null. `secretFor` gives the signing secret of a
 * scope (undefined for an unknown project).
 */
export function verifySessionCookie(secretFor: (scope: string) => string | undefined, value: string | undefined, now = Date.now()): string | null {
  const m = value ? /^([^.]+)\.(\d+)\.([A-Za-z0-9_-]+)$/.exec(value) : null;
  if (!m) return null;
  const [, scope, exp, sig] = m;
  if (Number(exp) < now) return null;
  const secret = secretFor(scope);
  return secret !== undefined && safeEqual(sig, sign(secret, `${scope}.${exp}`)) ? scope : null;
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

export function cookieHeader(value: string, maxAgeMs: number): string {
  return `${COOKIE_NAME}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(maxAgeMs / 1000)}`;
}
