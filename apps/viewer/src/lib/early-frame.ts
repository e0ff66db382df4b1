// The first frame of a replay opened directly (a typed or shared link, a reload), shown before the
// app starts. On a cold open the machine's CPU is the bottleneck: evaluating React and the app,
// rendering the page and its first React pass all competed with rebuilding, styling and painting
// a 10k-node recorded page, and came first. Here the entry (main.tsx) loads only this module
// (rrweb and the replay driver), shows the frame in a skeleton of the replay screen laid over the
// page, and starts the app once the frame painted. The player then adopts this driver (adoptEarly
// in early-replay.ts): its Replayers move into the player's stage with Element.moveBefore, which
// keeps an iframe's document (a plain move would reload it blank), so nothing is built twice.
import 'rrweb/dist/style.css';
import '../replay.css';
import { dropEarly, isClosed, isEarly, setEarly } from './early-replay';
import { ReplayDriver } from './replay-driver';
import { fitReplay } from './replay-fit';
import { openingTs, pageChanges, pageUrlAt, shortUrl } from './replay';
import type { SessionData } from './session-data';

/**
 * Shows the first frame of `data` at `at` (`?t=`, else the session's start). Resolves once that
 * frame painted, or at once when there is nothing to show (no replay, a failed load: the app
 * reports those).
 */
export async function showEarly(data: Promise<SessionData>, at: number | undefined): Promise<void> {
  if (isClosed()) return;
  const overlay = skeleton();
  document.body.appendChild(overlay);
  try {
    const d = await data;
    if (isClosed() || !d.feed.playable) return dropEarly();
    const feed = d.feed;
    const stage = overlay.querySelector<HTMLElement>('.player-stage')!;
    const mount = overlay.querySelector<HTMLElement>('.player-mount')!;
    let failed = false;
    // until the player adopts the driver (its hooks then replace these)
    const fit = () => fitReplay(stage, mount, driver.size);
    const driver: ReplayDriver = new ReplayDriver(
      mount,
      feed,
      {
        onCreate: (r) => {
          r.on('resize', () => isEarly(driver) && fit());
          fit();
        },
        onActivate: fit,
        onError: () => (failed = true),
      },
      { speed: 1, skipInactive: true },
    );
    const shown = openingTs(feed, d.events, at);
    setEarly({ feed, driver, shown, overlay });
    await driver.show(shown, false);
    overlay.querySelector('.state')?.remove();
    // the page's address, as the player's URL bar will show it (text only: it is recorded data)
    const url = pageUrlAt(pageChanges(feed.pages, d.events), shown);
    overlay.querySelector('.url-text')!.textContent = url ? shortUrl(url) : '—';
    if (failed || !driver.replayer) {
      // the player shows the failure (and a driver already taken is the player's)
      if (isEarly(driver)) dropEarly();
      return;
    }
    await feed.painted;
  } catch {
    dropEarly();
  }
}

/**
 * The replay screen's outline: the app's classes and the text lines of its header and URL bar, so
 * the stage has the player's size and place (the frame does not jump when the player adopts it).
 */
function skeleton(): HTMLElement {
  const overlay = document.createElement('div');
  overlay.className = 'early-replay';
  // a picture of the screen to come: assistive tech, the keyboard (the recorded page's links
  // inside the replay iframe) and tests meet the app's own screen instead
  overlay.setAttribute('aria-hidden', 'true');
  overlay.inert = true;
  overlay.innerHTML = `
    <div class="shell">
      <div class="nav"><span class="brand"><span class="brand-mark">◐</span>Hindsight</span></div>
      <div class="main">
        <div class="page replay-page">
          <header class="page-head compact">
            <div><div class="crumbs">Sessions /</div><p class="session-meta">&nbsp;</p></div>
          </header>
          <div class="replay-layout">
            <section class="player">
              <div class="player-url"><span class="dot"></span><span class="url-text">&nbsp;</span></div>
              <div class="player-stage" data-testid="replay-frame-early">
                <div class="state"><span class="spinner"></span>Loading replay…</div>
                <div class="player-mount"></div>
              </div>
            </section>
            <section class="event-panel"></section>
          </div>
        </div>
      </div>
    </div>`;
  return overlay;
}
