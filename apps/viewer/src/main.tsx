// Entry. It starts a directly opened replay's requests first (lib/replay-prefetch.ts) and only then
// loads React and the app, as a separate chunk fetched in parallel: the session's data no longer
// waits for the whole app bundle to be evaluated. Where the browser can move a live iframe, such a
// replay's first frame is even shown before the app is evaluated (lib/early-frame.ts), and the
// player adopts it.
import { canAdopt, startingApp } from './lib/early-replay';
import { restoreProject } from './lib/project';
import { prefetchReplay } from './lib/replay-prefetch';
import './styles.css';

/**
 * The app starts after this even when the early frame is not up yet (a slow server): its screens
 * take over (startingApp), and the player builds the frame. Until then the outline shows "Loading
 * replay…", but the menu is not usable yet.
 */
const EARLY_WAIT_MS = 5000;

restoreProject();
const early = canAdopt();
const replay = prefetchReplay(location.pathname, location.search, { code: !early });

let booted = false;
const boot = () => {
  if (booted) return;
  booted = true;
  startingApp();
  void import('./boot').then((m) => m.boot(document.getElementById('root')!));
};
if (replay && early) {
  setTimeout(boot, EARLY_WAIT_MS);
  import('./lib/early-frame')
    .then((m) => m.showEarly(replay.data, replay.at))
    .catch(() => {})
    .finally(boot);
} else boot();
