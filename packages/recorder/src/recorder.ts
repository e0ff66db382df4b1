// The recorder core: state, the common event envelope, activation (consent, DNT, sampling)
// and the public API object. Capture modules only see the small Ctx interface.
import type { EventType, RawEvent } from '@hindsight/schema';
import { LIMITS } from '@hindsight/schema';
import { installClicks, installForms, watchFormSubmit } from './capture/dom';
import type { Ctx } from './capture/ctx';
import { installErrors } from './capture/errors';
import { installNav, type Nav } from './capture/nav';
import { installNetwork } from './capture/network';
import { chainOf } from './chain';
import { resolveConfig, type Options } from './config';
import { sampled, uuidv7 } from './ids';
import { cap, log, safe, setDebug } from './log';
import { toJson } from './json';
import { nodeIdOf, startReplay, type Replay } from './replay';
import { createIdentity, K_CONSENT, load, store } from './session';
import { createTransport, type Transport } from './transport';

export type { Options } from './config';

export interface Hindsight {
  /** custom event `name` with optional properties */
  track(name: string, props?: Record<string, unknown>): void;
  /** links the anonymous visitor to your user id; traits go into the identify event's props */
  identify(userId: string, traits?: Record<string, unknown>): void;
  /** manual page view */
  page(): void;
  /** logout: new anonymous id and session, no user id */
  reset(): void;
  /** properties merged into every following event's props (this page) */
  register(props: Record<string, unknown>): void;
  /** resolves once every event and replay chunk captured so far was acknowledged by the server */
  flush(): Promise<void>;
  /** grant (start) or withdraw (stop) consent; remembered in localStorage */
  consent(granted: boolean): void;
  readonly sessionId: string;
  readonly anonymousId: string;
}

// rrweb incremental sources that show the page reacting: mutation, scroll, input, media,
// stylesheet rule, style declaration, adopted stylesheet
const VISIBLE_SOURCES = [0, 3, 5, 7, 8, 13, 15];
/** server caps (packages/schema/src/validate.ts): event name 1024, userId 256 */
export const NAME_MAX = 1024;

function jsonSafe(v: unknown): Record<string, unknown> | undefined {
  if (v == null) return undefined;
  try {
    // strips functions/cycles/DOM nodes now, so postMessage and JSON never fail later
    return JSON.parse(toJson(v));
  } catch (e) {
    log('props dropped', e);
    return undefined;
  }
}

const w = window as unknown as { hindsight?: Hindsight };

export function init(o: Options): Hindsight {
  if (w.hindsight && typeof w.hindsight.flush === 'function') {
    if (o && o.debug) console.warn('[hindsight] init called twice; keeping the first instance');
    return w.hindsight;
  }
  const cfg = resolveConfig(o);
  setDebug(cfg.debug);
  const nav_ = navigator as Navigator & { globalPrivacyControl?: boolean };
  const dnt = cfg.respectDnt && (nav_.doNotTrack === '1' || !!nav_.globalPrivacyControl);
  const decided = load(K_CONSENT);
  const granted = decided === '1' || (!cfg.pending && decided !== '0');
  const ident = createIdentity(false);
  const off = !cfg.key || !cfg.endpoint || dnt || !sampled(ident.touch(false), cfg.sampleRate);
  if (off) log('recorder off', { key: !!cfg.key, endpoint: cfg.endpoint, dnt });

  // the page's fetch before anyone (including us) wraps it: our own requests use it
  const origFetch: typeof fetch = window.fetch && window.fetch.bind(window);
  let active = false;
  let transport: Transport | undefined;
  let replay: Replay | undefined;
  let nav: Nav | undefined;
  let sid = '';
  const registered: Record<string, unknown> = {};
  const activityFns: (() => void)[] = [];
  const activity = () => activityFns.forEach((f) => f());

  /** current session id; a new session starts a new recording (Meta + FullSnapshot) */
  const session = (act: boolean) => {
    const s = ident.touch(act);
    if (s !== sid) {
      sid = s;
      replay?.restart();
    }
    return s;
  };

  function emit(type: EventType, extra: Partial<RawEvent> = {}): RawEvent | undefined {
    if (!active || !transport) return;
    const props = { ...registered, ...extra.props };
    const ev: RawEvent = {
      id: uuidv7(),
      type,
      ts: Date.now(),
      sessionId: session(true),
      anonymousId: ident.anonymousId(),
      userId: ident.userId(),
      url: cap(location.href, LIMITS.string),
      title: cap(document.title, LIMITS.string),
      ...extra,
      props: Object.keys(props).length ? props : undefined,
    };
    transport.put('e', ev);
    log(type, ev);
    return ev;
  }

  function element(type: EventType, t: Element, props?: Record<string, unknown>) {
    if (!active) return;
    session(true); // a renewed session must start its recording before we take the position
    const rec = replay?.pos();
    const chain = chainOf(t, cfg);
    if (!chain) return;
    return emit(type, { chain, nodeId: replay ? nodeIdOf(t) : undefined, rec, props });
  }

  const ctx: Ctx = {
    cfg,
    on(t, type, fn) {
      t.addEventListener(
        type,
        (e) => {
          if (active)
            try {
              fn(e);
            } catch (err) {
              log(err);
            }
        },
        { capture: true, passive: true },
      );
    },
    emit,
    element,
    activity: (f) => activityFns.push(f),
    replaying: () => !!replay,
    active: () => active,
  };

  /**
   * Element events outside our window's reach: same-origin iframes (their events never
   * propagate to the parent) and open shadow roots (submit/change/invalid are not composed).
   */
  let frames = () => {};
  function watchRoots() {
    // Marked on the object itself, not in a WeakSet: an iframe's contentWindow stays the same
    // object when the frame navigates, but the new document's Window (where the mark lives) is
    // new and needs listeners again.
    const K = Symbol();
    // (own property: HTMLFormElement.prototype inherits Element.prototype's mark)
    const mark = (o: object) => {
      const m = o as { [K]?: 1 };
      if (Object.prototype.hasOwnProperty.call(m, K)) return false;
      return (m[K] = 1);
    };
    const watch = (r: EventTarget, clicks: boolean) => {
      if (!mark(r)) return;
      if (clicks) installClicks(ctx, r);
      installForms(ctx, r);
    };
    // Shadow roots that exist without our attachShadow patch: attached before init, or
    // declarative (<template shadowrootmode="open">) ones the parser creates while loading.
    const walk = (root: Document | ShadowRoot) =>
      root.querySelectorAll('*').forEach((el) => {
        const sr = el.shadowRoot;
        if (sr) watch(sr, false), walk(sr);
      });
    /** a window's element events, and those of the open shadow roots in it, now and later */
    const watchWindow = (win: Window & typeof globalThis) => {
      watch(win, true);
      const E = win.Element.prototype;
      const attach = E.attachShadow;
      try {
        if (attach && mark(E))
          E.attachShadow = function (this: Element, init: ShadowRootInit) {
            const r = attach.call(this, init);
            try {
              if (init.mode === 'open') watch(r, false);
            } catch {
              /* never break components */
            }
            return r;
          };
      } catch {
        /* a frozen prototype: the walks below still find the roots that exist by then */
      }
      watchFormSubmit(ctx, win, mark);
      walk(win.document);
    };
    watchWindow(window);
    frames = () =>
      document.querySelectorAll('iframe').forEach((f) => {
        try {
          const fw = f.contentWindow as (Window & typeof globalThis) | null;
          if (fw && fw.document) watchWindow(fw); // throws when cross-origin
        } catch {
          /* cross-origin frame: not ours to record */
        }
      });
    frames();
    // an iframe's load event reaches the parent document but not the window
    ctx.on(document, 'load', (e) => (e.target as Element).localName === 'iframe' && frames());
    // after the page's own DOMContentLoaded work (ours, a capture listener, runs first)
    const later = () => setTimeout(() => {
      try {
        walk(document);
      } catch (err) {
        log(err);
      }
    });
    ctx.on(document, 'DOMContentLoaded', later);
    ctx.on(window, 'load', later);
  }

  function activate() {
    if (active || off) return;
    ident.persist();
    transport ||= createTransport(cfg, origFetch);
    sid = ident.touch(false);
    active = true;
    if (cfg.replay)
      replay = startReplay(
        cfg,
        () => sid,
        (c) => transport!.put('c', c),
        (e) => {
          if (e.type === 4 || (e.type === 3 && VISIBLE_SOURCES.includes(e.data!.source!))) activity();
        },
      );
    frames(); // iframes that loaded while consent was pending
    nav!.start();
  }

  function deactivate() {
    active = false;
    replay?.stop();
    replay = undefined;
  }

  if (!off) {
    // listeners go in at init even while consent is pending, so ours run before the page's
    nav = installNav(ctx, activity);
    watchRoots();
    installErrors(ctx);
    installNetwork(ctx);
    ctx.on(window, 'pagehide', () => {
      nav!.leave();
      replay?.cut();
      transport?.beacon();
      transport?.kick();
    });
    ctx.on(document, 'visibilitychange', () => {
      if (document.visibilityState === 'hidden') {
        replay?.cut();
        transport?.kick();
      }
    });
    ctx.on(window, 'online', () => transport?.kick(true));
    if (granted) activate();
  }

  const api: Hindsight = {
    track: safe((name: string, props?: Record<string, unknown>) =>
      emit('custom', { name: cap(String(name), NAME_MAX), props: jsonSafe(props) }),
    ) as Hindsight['track'],
    identify: safe((userId: string, traits?: Record<string, unknown>) => {
      if (off) return;
      ident.setUser(userId == null ? null : cap(String(userId), 256));
      emit('identify', { props: jsonSafe(traits) });
    }) as Hindsight['identify'],
    page: safe(() => active && nav!.page()) as Hindsight['page'],
    reset: safe(() => {
      if (off) return;
      ident.reset();
      if (active) session(false);
    }) as Hindsight['reset'],
    register: safe((props: Record<string, unknown>) => Object.assign(registered, jsonSafe(props))) as Hindsight['register'],
    flush() {
      try {
        replay?.cut();
        if (transport) return transport.flush();
      } catch (e) {
        log(e);
      }
      return Promise.resolve();
    },
    consent: safe((yes: boolean) => {
      store(K_CONSENT, yes ? '1' : '0');
      if (yes) activate();
      else deactivate();
    }) as Hindsight['consent'],
    get sessionId() {
      try {
        return active ? session(false) : ident.touch(false);
      } catch {
        return '';
      }
    },
    get anonymousId() {
      return ident.anonymousId();
    },
  };
  w.hindsight = api;
  return api;
}
