// The delivery retry policy and webhook signatures (pure functions, table-driven).
import { describe, expect, it } from 'vitest';
import { backoffMs, decide, retryAfterMs, type AttemptResult, type Decision } from '../src/destinations/retry.js';
import { signatureHeader, verifySignature } from '../src/destinations/signature.js';
import { deliveryId } from '../src/destinations/payload.js';

const P = { baseMs: 1000, maxAttempts: 3, maxDelayMs: 60_000, timeoutMs: 10_000 };
const NOW = Date.UTC(2026, 0, 1);
const half = () => 0.5;

describe('decide', () => {
  it.each<[string, AttemptResult, number, Decision]>([
    ['200 delivered', { status: 200 }, 1, { kind: 'delivered' }],
    ['204 delivered', { status: 204 }, 3, { kind: 'delivered' }],
    ['500 retried with backoff', { status: 500 }, 1, { kind: 'retry', delayMs: 750 }],
    ['503 second attempt doubles', { status: 503 }, 2, { kind: 'retry', delayMs: 1500 }],
    ['408 retried', { status: 408 }, 1, { kind: 'retry', delayMs: 750 }],
    ['429 honours a longer Retry-After', { status: 429, retryAfter: '7' }, 1, { kind: 'retry', delayMs: 7000 }],
    ['429 shorter Retry-After keeps the backoff', { status: 429, retryAfter: '0' }, 2, { kind: 'retry', delayMs: 1500 }],
    ['Retry-After capped', { status: 503, retryAfter: '86400' }, 1, { kind: 'retry', delayMs: 60_000 }],
    ['network error retried', { error: 'ECONNREFUSED' }, 1, { kind: 'retry', delayMs: 750 }],
    ['400 dead at once', { status: 400 }, 1, { kind: 'dead' }],
    ['404 dead at once', { status: 404 }, 1, { kind: 'dead' }],
    ['302 dead (redirects not followed)', { status: 302 }, 1, { kind: 'dead' }],
    ['500 dead after the last attempt', { status: 500 }, 3, { kind: 'dead' }],
    ['timeout dead after the last attempt', { error: 'timed out' }, 3, { kind: 'dead' }],
  ])('%s', (_l, result, attempts, expected) => {
    expect(decide(result, attempts, P, NOW, half)).toEqual(expected);
  });

  it('backoff grows exponentially within [exp/2, exp] and is capped', () => {
    for (const [attempt, lo, hi] of [
      [1, 500, 1000],
      [4, 4000, 8000],
      [20, 30_000, 60_000],
    ]) {
      expect(backoffMs(attempt, P, () => 0)).toBe(lo);
      expect(backoffMs(attempt, P, () => 1)).toBe(hi);
    }
  });

  it.each<[string | null, number | null]>([
    ['120', 120_000],
    [new Date(NOW + 30_000).toUTCString(), 30_000],
    [new Date(NOW - 30_000).toUTCString(), 0],
    ['soon', null],
    [null, null],
  ])('Retry-After %s → %s ms', (v, ms) => expect(retryAfterMs(v, NOW)).toBe(ms));
});

describe('signatures', () => {
  const body = JSON.stringify({ id: 'dlv_1', event: { id: 'e1' } });
  it('verifies its own header, refuses another secret, body, or an old timestamp', () => {
    const h = signatureHeader('whsec_a', body, NOW);
    expect(h).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature('whsec_a', h, body, { nowMs: NOW })).toBe(true);
    expect(verifySignature('whsec_b', h, body, { nowMs: NOW })).toBe(false);
    expect(verifySignature('whsec_a', h, body + ' ', { nowMs: NOW })).toBe(false);
    expect(verifySignature('whsec_a', h, body, { nowMs: NOW + 600_000 })).toBe(false);
    expect(verifySignature('whsec_a', 'garbage', body, { nowMs: NOW })).toBe(false);
    expect(verifySignature('whsec_a', null, body, { nowMs: NOW })).toBe(false);
  });

  it('delivery ids are deterministic per (project, destination, definition, event)', () => {
    expect(deliveryId('p', 'd', 'def', 'e')).toBe(deliveryId('p', 'd', 'def', 'e'));
    expect(new Set([deliveryId('p', 'd', 'def', 'e'), deliveryId('p', 'd', 'def', 'e2'), deliveryId('p', 'd2', 'def', 'e'), deliveryId('q', 'd', 'def', 'e')]).size).toBe(4);
  });
});
