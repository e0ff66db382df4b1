// What one delivery attempt's outcome means: delivered, try again later (with backoff), or dead.
// Pure, so the policy is tested table-driven (test/destinations-retry.test.ts).

export interface RetryPolicy {
  /** first retry delay; doubles per attempt (HINDSIGHT_DESTINATION_RETRY_BASE_MS, default 1000) */
  baseMs: number;
  /** attempts before a delivery becomes a dead letter (HINDSIGHT_DESTINATION_MAX_ATTEMPTS, default 8) */
  maxAttempts: number;
  /** no single wait is longer (Retry-After included) */
  maxDelayMs: number;
  /** per request (HINDSIGHT_DESTINATION_TIMEOUT_MS, default 10000) */
  timeoutMs: number;
}

export const DEFAULT_POLICY: RetryPolicy = { baseMs: 1000, maxAttempts: 8, maxDelayMs: 3600_000, timeoutMs: 10_000 };

function positiveInt(env: NodeJS.ProcessEnv, name: string, dflt: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number, got "${raw}"`);
  return n;
}

export function policyFromEnv(env: NodeJS.ProcessEnv = process.env): RetryPolicy {
  return {
    baseMs: positiveInt(env, 'HINDSIGHT_DESTINATION_RETRY_BASE_MS', DEFAULT_POLICY.baseMs),
    maxAttempts: positiveInt(env, 'HINDSIGHT_DESTINATION_MAX_ATTEMPTS', DEFAULT_POLICY.maxAttempts),
    maxDelayMs: DEFAULT_POLICY.maxDelayMs,
    timeoutMs: positiveInt(env, 'HINDSIGHT_DESTINATION_TIMEOUT_MS', DEFAULT_POLICY.timeoutMs),
  };
}

/** an attempt's result: an HTTP status (with Retry-After), or a network error / timeout */
export type AttemptResult = { status: number; retryAfter?: string | null } | { error: string };

export type Decision = { kind: 'delivered' } | { kind: 'retry'; delayMs: number } | { kind: 'dead' };

/** 408, 429 and 5xx are the receiver's temporary trouble; other 4xx (and 3xx: not followed) will not change by themselves */
export const isRetryableStatus = (s: number): boolean => s === 408 || s === 429 || s >= 500;

/** exponential with "equal jitter": half fixed, half random, so many failing deliveries spread out */
export function backoffMs(attempt: number, p: RetryPolicy, random = Math.random): number {
  const exp = Math.min(p.maxDelayMs, p.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (exp / 2) * random());
}

/** Retry-After: delay-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable */
export function retryAfterMs(value: string | null | undefined, nowMs: number): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : null;
}

/** @param attempts attempts made including this one */
export function decide(result: AttemptResult, attempts: number, p: RetryPolicy, nowMs = Date.now(), random = Math.random): Decision {
  if ('status' in result && result.status >= 200 && result.status < 300) return { kind: 'delivered' };
  const retryable = 'error' in result || isRetryableStatus(result.status);
  if (!retryable || attempts >= p.maxAttempts) return { kind: 'dead' };
  const asked = 'status' in result ? retryAfterMs(result.retryAfter, nowMs) : null;
  return { kind: 'retry', delayMs: Math.min(p.maxDelayMs, Math.max(backoffMs(attempts, p, random), asked ?? 0)) };
}
