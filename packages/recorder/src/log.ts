// Silent-by-default logger: the recorder must never spam or break the host page's console.
let on = false;
export const setDebug = (v: boolean) => {
  on = v;
};
export function log(...a: unknown[]): void {
  if (on)
    try {
      console.debug('[hindsight]', ...a);
    } catch {
      /* console may be replaced by the page */
    }
}
/** Runs fn, swallowing (and debug-logging) anything it throws. */
export function safe<A extends unknown[], R>(fn: (...a: A) => R): (...a: A) => R | undefined {
  return (...a: A) => {
    try {
      return fn(...a);
    } catch (e) {
      log(e);
      return undefined;
    }
  };
}
/** s cut to n UTF-16 units, never leaving half a surrogate pair (half an emoji) at the end */
export const cap = (s: string, n: number): string => (s.length > n ? s.slice(0, n).replace(/[\ud800-\udbff]$/, '') : s);
