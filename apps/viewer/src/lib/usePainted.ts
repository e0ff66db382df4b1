import { useEffect, useState } from 'react';
import type { ReplayFeed } from './replay-feed';

/**
 * Whether the replay's first frame has painted (ReplayFeed.painted); at once for a feed with
 * nothing to play. Parts of the replay screen the first frame does not need (the event list, the
 * timeline's markers: thousands of rows and marks in a long session) render after it.
 */
export function usePainted(feed: ReplayFeed): boolean {
  const [painted, setPainted] = useState(!feed.playable);
  useEffect(() => {
    let live = true;
    setPainted(!feed.playable);
    if (feed.playable) void feed.painted.then(() => live && setPainted(true));
    return () => {
      live = false;
    };
  }, [feed]);
  return painted;
}
