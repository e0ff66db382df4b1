import { describe, expect, it } from 'vitest';
import { makeSessionCookie, readCookie, verifySessionCookie, COOKIE_NAME, SERVER_SCOPE } from '../src/http/auth.js';
import { safeJoin } from '../src/http/static.js';
import { correctTimestamps } from '../src/ingest.js';

describe('session cookie', () => {
  const secrets: Record<string, string> = { [SERVER_SCOPE]: 'admin-secret', shop: 'admin-secret:hash1' };
  const secretFor = (scope: string) => secrets[scope];
  it('carries its scope and refuses expired, tampered or foreign ones', () => {
    const now = 1_000_000;
    const c = makeSessionCookie('admin-secret', SERVER_SCOPE, now);
    expect(verifySessionCookie(secretFor, c, now + 1000)).toBe(SERVER_SCOPE);
    expect(verifySessionCookie(secretFor, c, now + 8 * 24 * 3600 * 1000)).toBeNull();
    expect(verifySessionCookie(() => 'other-secret', c, now)).toBeNull();
    const [scope, exp, sig] = c.split('.');
    expect(verifySessionCookie(secretFor, `${scope}.${Number(exp) + 1}.${sig}`, now)).toBeNull();
    // the server admin's signature does not make a project cookie, nor the other way round
    expect(verifySessionCookie(secretFor, `shop.${exp}.${sig}`, now)).toBeNull();
    expect(verifySessionCookie(secretFor, 'garbage', now)).toBeNull();
    expect(verifySessionCookie(secretFor, undefined, now)).toBeNull();
  });

  it('a project cookie dies with the token generation it was signed for', () => {
    const c = makeSessionCookie('admin-secret:hash1', 'shop', 0);
    expect(verifySessionCookie(secretFor, c, 1)).toBe('shop');
    expect(verifySessionCookie(() => 'admin-secret:hash2', c, 1)).toBeNull();
    expect(verifySessionCookie(() => undefined, c, 1)).toBeNull(); // unknown project
  });

  it('reads the cookie among others', () => {
    expect(readCookie(`a=1; ${COOKIE_NAME}=v.s; b=2`, COOKIE_NAME)).toBe('v.s');
    expect(readCookie('a=1', COOKIE_NAME)).toBeUndefined();
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
  it.each([400, 1_500, 9_999])('ignores a %i ms difference (transit time of a slow upload)', (transit) => {
    expect(correctTimestamps([ev(1_000)], 2_000, 2_000 + transit)[0].ts).toBe(1_000);
  });
  it('keeps the order of a slow batch and the next one', () => {
    // batch A (events up to 2 s, sent at 2 s) took 3 s to arrive; batch B (an event at 2.5 s) 0.1 s
    const a = correctTimestamps([ev(1_900)], 2_000, 5_000)[0].ts;
    const b = correctTimestamps([ev(2_500)], 2_600, 2_700)[0].ts;
    expect(a).toBeLessThan(b);
  });
  it('shifts a clock ahead by 10 s or more back, and clamps one a few seconds ahead to now', () => {
    expect(correctTimestamps([ev(20_000)], 21_000, 11_000)[0].ts).toBe(10_000);
    expect(correctTimestamps([ev(5_000)], 6_000, 2_000)[0].ts).toBe(2_000);
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
