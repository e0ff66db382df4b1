import { describe, expect, it } from 'vitest';
import { makeSessionCookie, readCookie, requireAdmin, verifySessionCookie, COOKIE_NAME } from '../src/http/auth.js';
import { safeJoin } from '../src/http/static.js';
import { correctTimestamps } from '../src/ingest.js';

describe('admin auth', () => {
  const secret = 'admin-secret';
  it('accepts a fresh cookie and refuses expired, tampered or foreign ones', () => {
    const now = 1_000_000;
    const c = makeSessionCookie(secret, now);
    expect(verifySessionCookie(secret, c, now + 1000)).toBe(true);
    expect(verifySessionCookie(secret, c, now + 8 * 24 * 3600 * 1000)).toBe(false);
    expect(verifySessionCookie('other-secret', c, now)).toBe(false);
    const [exp, sig] = c.split('.');
    expect(verifySessionCookie(secret, `${Number(exp) + 1}.${sig}`, now)).toBe(false);
    expect(verifySessionCookie(secret, 'garbage', now)).toBe(false);
    expect(verifySessionCookie(secret, undefined, now)).toBe(false);
  });

  it('reads the cookie among others', () => {
    expect(readCookie(`a=1; ${COOKIE_NAME}=v.s; b=2`, COOKIE_NAME)).toBe('v.s');
    expect(readCookie('a=1', COOKIE_NAME)).toBeUndefined();
  });

  it.each([
    [{ authorization: 'Bearer admin-secret' }, true],
    [{ authorization: 'Bearer wrong' }, false],
    [{ authorization: 'Basic admin-secret' }, false],
    [{}, false],
  ])('bearer %j → %s', (headers, ok) => {
    const req = new Request('http://x/api/sessions', { headers });
    if (ok) expect(() => requireAdmin(secret, req)).not.toThrow();
    else expect(() => requireAdmin(secret, req)).toThrow(/admin token/);
  });
});

describe('static paths', () => {
  it.each(['../etc/passwd', '%2e%2e/%2e%2e/etc/passwd', 'a/../../x', '%00', '/..%2fsecret'])('refuses %s', (p) => {
    expect(safeJoin('/srv/root', p)).toBeNull();
  });
  it('resolves inside the root', () => {
    expect(safeJoin('/srv/root', '/assets/app.js')).toBe('/srv/root/assets/app.js');
  });
});

describe('clock skew', () => {
  const ev = (ts: number) => ({ id: 'e', type: 'click', ts, sessionId: 's', anonymousId: 'a', url: 'u' }) as const;
  it('shifts events by the difference between server time and the client sentAt', () => {
    const [e] = correctTimestamps([ev(1_000)], 2_000, 62_000); // client clock 60 s behind
    expect(e.ts).toBe(61_000);
  });
  it('ignores sub-second differences (transit time)', () => {
    expect(correctTimestamps([ev(1_000)], 2_000, 2_400)[0].ts).toBe(1_000);
  });
  it('never stores a timestamp in the future', () => {
    expect(correctTimestamps([ev(99_000)], 2_000, 2_000)[0].ts).toBe(2_000);
  });
});

describe('ingest rate limit', () => {
  it('allows a burst, then answers with the seconds to wait, and refills over time', async () => {
    const { RateLimiter } = await import('../src/http/rate-limit.js');
    let now = 0;
    const rl = new RateLimiter(2, 4, () => now);
    expect([rl.take('k'), rl.take('k'), rl.take('k'), rl.take('k')]).toEqual([null, null, null, null]);
    expect(rl.take('k')).toBe(1);
    expect(rl.take('other')).toBeNull(); // per key
    now += 500; // one token back at 2/s
    expect(rl.take('k')).toBeNull();
    expect(rl.take('k')).toBe(1);
    expect(new RateLimiter(0).take('k')).toBeNull(); // 0 = off
  });
});
