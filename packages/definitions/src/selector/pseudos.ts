// Which pseudo-classes a definition may use, and which evaluation path each needs.
// Names are lower case (css-what lower-cases them; CSS pseudo names are ASCII case-insensitive).
import { CHAIN_STATES } from '@hindsight/schema';

/**
 * Live state the recorder captures per chain element at the event (ChainElement.state): decided
 * from the chain only, so only where the chain reaches (the target and its ancestors).
 */
export const LIVE_STATE_PSEUDOS: ReadonlySet<string> = new Set(CHAIN_STATES);

/** Decidable from the stored element chain alone (nth indices, attributes, ancestors). */
export const CHAIN_PSEUDOS: ReadonlySet<string> = new Set([
  'first-child', 'last-child', 'only-child',
  'first-of-type', 'last-of-type', 'only-of-type',
  'nth-child', 'nth-last-child', 'nth-of-type', 'nth-last-of-type',
  'not', 'is', 'where',
  // Browsers answer `matches(':visited')` / `closest(':visited')` as if no link were visited
  // (history-sniffing protection), so the live answer is a constant false: decidable.
  'visited',
  ...CHAIN_STATES,
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
 * Live state the recorder does not capture: validity depends on what the user typed (masked
 * fields must not leak it), the rest are media or WebVTT states (or unknown to Chromium).
 * Guessing would silently break "equals the live closest()", so definitions using them are
 * rejected with this explanation instead.
 */
export const STATE_PSEUDOS: ReadonlySet<string> = new Set([
  'target-within', 'user-invalid', 'user-valid', 'closed', 'playing', 'paused', 'valid', 'invalid',
  'in-range', 'out-of-range', 'blank', 'current', 'past', 'future',
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
