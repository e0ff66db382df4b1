// State of the first frame shown before the app starts (early-frame.ts builds it), kept apart
// from rrweb: the app asks here whether there is one to adopt, or drops it, without loading rrweb.
import type { DriverHooks, ReplayDriver } from './replay-driver';
import type { ReplayFeed } from './replay-feed';

export interface EarlyReplay {
  feed: ReplayFeed;
  driver: ReplayDriver;
  /** the moment shown */
  shown: number;
}

/** the outline laid over the page, holding the driver's Replayers until the player adopts them */
type Shown = EarlyReplay & { overlay: HTMLElement };

let early: Shown | null = null;
/** the app took over: a frame not yet built is left to the player */
let closed = false;

/** this browser can move a live iframe (Chromium 133+); without it the player builds the frame */
export function canAdopt(): boolean {
  return typeof Element !== 'undefined' && 'moveBefore' in Element.prototype;
}

/** the early frame built (or being built) */
export function setEarly(e: Shown): void {
  early = e;
}

/** whether `driver` is still the early frame's (not adopted, not dropped) */
export function isEarly(driver: ReplayDriver): boolean {
  return early?.driver === driver;
}

/**
 * The app is starting before the early frame was built (a slow server): the outline goes, so the
 * app's own screens (menu, loading and error states) are not hidden under it, and the player
 * builds the frame. A frame already built stays for the player to adopt.
 */
export function startingApp(): void {
  if (!early) dropEarly();
}

/** the app took over: nothing more is built before it */
export function isClosed(): boolean {
  return closed;
}

/**
 * The first frame built for `feed`, adopted by a player: its Replayers move into `mount` and the
 * player's hooks take over (ReplayDriver.adopt); the player owns the driver from then on. Null
 * when there is none (another session, not built yet, gone): the player builds its own. Either
 * way the early frame's part is over.
 */
export function adoptEarly(feed: ReplayFeed, mount: HTMLElement, hooks: DriverHooks): EarlyReplay | null {
  closed = true;
  const e = early;
  if (!e || e.feed !== feed) {
    dropEarly();
    return null;
  }
  early = null;
  e.driver.adopt(mount, hooks);
  e.overlay.remove(); // after the move: a removed iframe would lose its page
  return e;
}

/** the skeleton's Replayers (if any) go with it; the app shows its own screen */
export function dropEarly(): void {
  closed = true;
  const e = early;
  early = null;
  e?.driver.destroy();
  for (const o of document.querySelectorAll('.early-replay')) o.remove();
}
