// Webhook signatures: X-Hindsight-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>.
// The timestamp is signed with the body so a captured request cannot be replayed later
// (receivers reject an old `t`); the scheme is Stripe's, which receivers' tooling knows.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-hindsight-signature';
export const DELIVERY_HEADER = 'x-hindsight-delivery';

export function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

const hmac = (secret: string, t: number, body: string): string => createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');

export function signatureHeader(secret: string, body: string, nowMs = Date.now()): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${hmac(secret, t, body)}`;
}

/** What a receiver does (docs/destinations.md shows the same in a few lines). */
export function verifySignature(secret: string, header: string | null | undefined, body: string, opts: { toleranceS?: number; nowMs?: number } = {}): boolean {
  if (!header) return false;
  const parts = new Map(header.split(',').map((kv) => kv.split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) return false;
  if (Math.abs((opts.nowMs ?? Date.now()) / 1000 - t) > (opts.toleranceS ?? 300)) return false;
  return timingSafeEqual(Buffer.from(v1, 'hex'), Buffer.from(hmac(secret, t, body), 'hex'));
}
