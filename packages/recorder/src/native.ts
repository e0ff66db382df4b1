// Element.matches and closest as the browser made them. Pages replace DOM methods (old
// polyfills, test doubles, hostile code); the recorder calls the originals it saw when it loaded,
// and when even those throw (replaced before we loaded) each caller gets the answer that is safe
// for it: a mask or block that cannot be decided holds, a capture that cannot be decided is off.
// rrweb's calls go through these too (build.mjs, patch 8).
const EP = (typeof Element == 'function' ? Element.prototype : {}) as Element;
export const nativeMatches = EP.matches;
export const nativeClosest = EP.closest;

/** el.matches(sel), or `onError` when that throws */
export function matches(el: Element, sel: string, onError: boolean): boolean {
  try {
    return nativeMatches.call(el, sel);
  } catch {
    return onError;
  }
}

/** el.closest(sel), or `onError` when that throws */
export function closest(el: Element, sel: string, onError: Element | null): Element | null {
  try {
    return nativeClosest.call(el, sel);
  } catch {
    return onError;
  }
}
