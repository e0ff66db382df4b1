import { describe, expect, it } from 'vitest';
import { matchRoute } from '../src/lib/router';

describe('matchRoute', () => {
  it.each([
    ['/', { name: 'sessions' }],
    ['/sessions/abc', { name: 'replay', id: 'abc' }],
    ['/sessions/abc/', { name: 'replay', id: 'abc' }],
    ['/sessions/a%20b%2Fc', { name: 'replay', id: 'a b/c' }],
    ['/users/u%40x', { name: 'user', id: 'u@x' }],
    ['/definitions', { name: 'definitions' }],
    ['/nope', { name: 'notfound' }],
  ])('%s', (path, route) => expect(matchRoute(path)).toEqual(route));

  // a mistyped or cut-off link used to throw here, before the app rendered anything (a blank page)
  it.each(['/sessions/%E0%A4%A', '/sessions/abc%2', '/sessions/%', '/users/%ZZ'])('%s is not found, not an exception', (path) => {
    expect(matchRoute(path)).toEqual({ name: 'notfound' });
  });
});
