// Which pseudo-classes a definition may use, and which evaluation path each needs.
// Names are lower case (css-what lower-cases them; CSS pseudo names are ASCII case-insensitive).

/** Decidable from the stored element chain alone (nth indices, attributes, ancestors). */
export const CHAIN_PSEUDOS: ReadonlySet<string> = new Set([
  'first-child', 'last-child', 'only-child',
  'first-of-type', 'last-of-type', 'only-of-type',
  'nth-child', 'nth-last-child', 'nth-of-type', 'nth-last-of-type',
  'not', 'is', 'where',
  // Browsers answer `matches(':visited')` / `closest(':visited')` as if no link were visited
  // (history-sniffing protection), so the live answer is a constant false: decidable.
  'visited',
]);

/** Need the recorded DOM (siblings, descendants, form state); decided with css-select. */
export const DOM_PSEUDOS: ReadonlySet<string> = new Set([
  'has', 'empty', 'root', 'scope',
  'checked', 'disabled', 'enabled', 'required', 'optional', 'read-only', 'read-write',
  'placeholder-shown', 'defined', 'link', 'any-link', 'lang',
  // the featureless shadow host, seen from inside its shadow tree (replay/adapter.ts)
  'host', 'host-context',
]);

/**
 * Live user/UA state a recording cannot establish exactly. `:hover`/`:active` hold for a
 * mouse click's path but not for keyboard activation or `<label>`-forwarded clicks, which the
 * product counts as clicks too; `:focus*` depends on focus rules and timing; `:target` on the
 * fragment at that instant. Guessing would silently break "equals the live closest()", so
 * definitions using them are rejected with this explanation instead.
 */
export const STATE_PSEUDOS: ReadonlySet<string> = new Set([
  'hover', 'active', 'focus', 'focus-within', 'focus-visible', 'target', 'target-within',
  'user-invalid', 'user-valid', 'autofill', '-webkit-autofill', 'fullscreen', 'modal',
  'popover-open', 'open', 'closed', 'playing', 'paused', 'picture-in-picture', 'valid', 'invalid',
  'in-range', 'out-of-range', 'default', 'indeterminate', 'blank', 'current', 'past', 'future',
  'local-link', 'xr-overlay', 'muted', 'volume-locked',
  'seeking', 'buffering', 'stalled',
]);

/**
 * Pseudo-classes Chromium (156) accepts that definitions cannot use: view transitions, scrollbar
 * parts, custom-state selectors, `:dir()`, the -webkit- aliases, interest/target
 * markers. Refused with a 400 like unknown names, but never silently dropped from a forgiving
 * `:is()`/`:where()` list, because Chromium would not drop them.
 */
export const CHROMIUM_ONLY_PSEUDOS: ReadonlySet<string> = new Set([
  'active-view-transition', 'active-view-transition-type', 'corner-present', 'decrement', 'increment',
  'double-button', 'single-button', 'no-button', 'start', 'end', 'horizontal', 'vertical',
  'window-inactive', 'dir', 'state', '-webkit-any',
  '-webkit-drag', '-webkit-full-page-media', '-webkit-full-screen', '-webkit-full-screen-ancestor',
  'target-current', 'interest-source', 'interest-target', 'target-before', 'target-after',
]);

/** Functional pseudo-classes that take a selector list. */
export const SELECTOR_LIST_PSEUDOS: ReadonlySet<string> = new Set(['not', 'is', 'where', 'has', 'host', 'host-context']);
/** Functional pseudo-classes that take a string argument. */
export const STRING_ARG_PSEUDOS: ReadonlySet<string> = new Set([
  'nth-child', 'nth-last-child', 'nth-of-type', 'nth-last-of-type', 'lang',
]);
