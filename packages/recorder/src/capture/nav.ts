// Page views (load + SPA navigation) and page leaves (time on page, deepest scroll).
import type { Ctx } from './ctx';

export interface Nav {
  /** manual page view (`hindsight.page()`) */
  page(): void;
  /** pagehide: closes the current page view */
  leave(): void;
  /** recorder (re)activated: first page view */
  start(): void;
}

export function installNav(ctx: Ctx, notify: () => void): Nav {
  let url = location.href;
  let referrer = document.referrer;
  let start = Date.now();
  let depth = 0;
  let lastScroll = 0;
  let open = false;

  const measure = () => {
    const d = document.documentElement;
    const h = Math.max(d.scrollHeight, 1);
    depth = Math.max(depth, Math.min(100, Math.round(((scrollY + innerHeight) / h) * 100)));
  };
  const view = () => {
    start = Date.now();
    depth = 0;
    try {
      measure();
    } catch {
      /* no layout yet */
    }
    open = true;
    ctx.emit('pageview', { referrer });
  };
  const leave = () => {
    if (!open) return;
    open = false;
    measure();
    ctx.emit('pageleave', { url, props: { duration: Date.now() - start, scrollDepth: depth } });
  };
  // one page view per real URL change, whatever API caused it
  const check = () => {
    if (!ctx.active() || location.href === url) return;
    notify();
    leave();
    referrer = url;
    url = location.href;
    view();
  };

  for (const m of ['pushState', 'replaceState'] as const) {
    const orig = history[m];
    try {
      history[m] = function (this: History, ...a: Parameters<History['pushState']>) {
        const r = orig.apply(this, a);
        try {
          check();
        } catch {
          /* never break navigation */
        }
        return r;
      };
    } catch {
      /* the page made it read-only: the Navigation API and popstate below still see changes */
    }
  }
  // the Navigation API (navigation.navigate() with intercept()) changes the URL without history.*
  const nv = (window as { navigation?: EventTarget }).navigation;
  if (nv) ctx.on(nv, 'navigatesuccess', check);
  ctx.on(window, 'popstate', check);
  ctx.on(window, 'hashchange', check);
  ctx.on(window, 'scroll', () => {
    // scrollHeight can force layout: sample at most every 250 ms
    const now = Date.now();
    if (now - lastScroll > 250) {
      lastScroll = now;
      measure();
    }
  });
  ctx.on(window, 'pageshow', (e) => {
    // restored from the back/forward cache: a new view of the same page
    if ((e as PageTransitionEvent).persisted) view();
  });

  return {
    page() {
      leave();
      url = location.href;
      view();
    },
    leave,
    start() {
      url = location.href;
      view();
    },
  };
}
