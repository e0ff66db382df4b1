import { forwardRef, useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState, type MouseEvent as ReactMouseEvent } from 'react';
import type { Replayer } from 'rrweb';
import 'rrweb/dist/style.css';
import '../replay.css';
import type { RawEvent } from '@hindsight/schema';
import type { DefinitionMatch } from '../api';
import { buildMarkers, clamp, openingTs, pageChanges, pageUrlAt, sessionEnd, shortUrl } from '../lib/replay';
import { adoptEarly } from '../lib/early-replay';
import { ReplayDriver, type DriverHooks } from '../lib/replay-driver';
import { fitReplay } from '../lib/replay-fit';
import type { ReplayFeed } from '../lib/replay-feed';
import { meaningfulElement } from '../lib/suggest';
import { formatDuration } from '../lib/time';
import { usePainted } from '../lib/usePainted';
import { Timeline } from './Timeline';

export interface PlayerHandle {
  /** seek to an absolute timestamp (epoch ms), keeping the play/pause state */
  seekTo: (ts: number) => void;
}

interface Props {
  feed: ReplayFeed;
  events: RawEvent[];
  /** events matching saved definitions: timeline markers */
  matches?: DefinitionMatch[];
  /** absolute timestamp to start at (e.g. `?t=`) */
  initialTs?: number;
  /** called with the absolute timestamp being shown, at most once per animation frame */
  onTime?: (ts: number) => void;
  /** define-from-replay: when given, a "Pick element" toggle appears; picking works only while paused */
  onPick?: (el: Element, url: string) => void;
  /** the element last picked, kept outlined while paused */
  picked?: Element | null;
}

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

const SPEEDS = [1, 2, 4, 8] as const;
const STEP = 5_000;
const NO_MATCHES: DefinitionMatch[] = [];

function isTypingTarget(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  const tag = el.tagName.toLowerCase();
  if (tag === 'input') return !/^(checkbox|radio|button|submit|reset)$/.test((el as HTMLInputElement).type);
  return tag === 'textarea' || tag === 'select' || el.isContentEditable;
}

export const Player = forwardRef<PlayerHandle, Props>(function Player({ feed, events, matches = NO_MATCHES, initialTs, onTime, onPick, picked }, ref) {
  const stageRef = useRef<HTMLDivElement>(null);
  const mountRef = useRef<HTMLDivElement>(null);
  const replayerRef = useRef<Replayer | null>(null);
  const driverRef = useRef<ReplayDriver | null>(null);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<number>(1);
  const [skipInactive, setSkipInactive] = useState(true);
  const [skipping, setSkipping] = useState(false);
  const [offset, setOffset] = useState(0);
  const [failed, setFailed] = useState('');
  const [picking, setPicking] = useState(false);
  const [hoverBox, setHoverBox] = useState<Box | null>(null);
  const [pickedBox, setPickedBox] = useState<Box | null>(null);
  const playingRef = useRef(false);
  playingRef.current = playing;
  const onTimeRef = useRef(onTime);
  onTimeRef.current = onTime;
  const offsetRef = useRef(0);
  offsetRef.current = offset;

  // a feed that started from a partial index grows once (the timeline's end, page URLs)
  const [feedVersion, setFeedVersion] = useState(0);
  useEffect(() => {
    setFeedVersion((v) => v + 1); // it may have grown between this render and the subscription
    return feed.onChange(() => setFeedVersion((v) => v + 1));
  }, [feed]);
  const start = feed.start;
  // The feed may know only its first segment yet (progressive loading): the session's events tell
  // how far it goes, so seeks and `?t=` past the loaded part wait for data instead of being clamped.
  const endRef = useRef(0);
  endRef.current = sessionEnd(feed, events);
  const total = Math.max(0, endRef.current - start);
  // the first frame does not wait for the markers (a long session has thousands)
  const painted = usePainted(feed);
  const markers = useMemo(() => (painted ? buildMarkers(events, start, total, matches) : []), [painted, events, start, total, matches]);

  // URL changes (page loads from rrweb Meta events, SPA navigations from pageview events), sorted
  const urlChanges = useMemo(() => pageChanges(feed.pages, events), [feed, events, feedVersion]);
  const url = pageUrlAt(urlChanges, start + offset);

  const fit = () => {
    const d = driverRef.current;
    if (d) fitReplay(stageRef.current, mountRef.current, d.size);
  };

  // a layout effect: the first frame's loading starts before the page chrome paints, not after
  useLayoutEffect(() => {
    const mount = mountRef.current!;
    setFailed('');
    let driver!: ReplayDriver;
    const hooks: DriverHooks = {
      onCreate: (replayer) => {
        replayer.on('resize', fit);
        replayer.on('finish', () => {
          if (!driver.isActive(replayer)) return;
          // the end of what is loaded, not of the session: continue with the next segment
          if (driverRef.current === driver && driver.hasMore && playingRef.current) void driver.show(driver.now() + 1, true);
          else setPlaying(false);
        });
        replayer.on('skip-start', () => driver.isActive(replayer) && setSkipping(true));
        replayer.on('skip-end', () => driver.isActive(replayer) && setSkipping(false));
        fit();
      },
      onActivate: (replayer) => {
        replayerRef.current = replayer;
        setFailed('');
        setSkipping(false);
        fit();
      },
      onError: (msg) => setFailed(msg),
    };
    // the first frame may be on screen already, shown before the app started (lib/early-frame.ts)
    const early = adoptEarly(feed, mount, hooks);
    driver = early?.driver ?? new ReplayDriver(mount, feed, hooks, { speed: 1, skipInactive: true });
    driverRef.current = driver;
    fit(); // an adopted driver's hooks ran before driverRef knew it
    const first = openingTs(feed, events, initialTs);
    setOffset(first - start);
    if (early?.shown !== first) void driver.show(first, false);

    let raf = 0;
    let last = -1;
    const loop = () => {
      // endRef, not `total`: this closure lives as long as the feed, while the feed grows
      const t = clamp(driver.now() - start, 0, Math.max(0, endRef.current - start));
      if (t !== last) {
        last = t;
        setOffset(t);
        onTimeRef.current?.(start + t);
      }
      raf = requestAnimationFrame(loop);
    };
    raf = requestAnimationFrame(loop);
    const ro = new ResizeObserver(fit);
    ro.observe(stageRef.current!);
    return () => {
      cancelAnimationFrame(raf);
      ro.disconnect();
      driver.destroy();
      driverRef.current = null;
      replayerRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [feed]);

  const seek = (o: number) => {
    const d = driverRef.current;
    if (!d) return;
    const length = Math.max(0, Math.max(feed.end, endRef.current) - start); // now, not this render's
    o = clamp(o, 0, length);
    const play = playingRef.current && o < length;
    if (!play) setPlaying(false);
    void d.show(start + o, play);
    setOffset(o);
  };

  // --- define from replay -------------------------------------------------------------------
  // The replay iframe is sandboxed without scripts; everything here runs in the viewer and only
  // *reads* the iframe's DOM (same-origin). The iframe has pointer-events: none, so a transparent
  // layer over the stage takes the pointer and we map its coordinates into the scaled iframe.
  const frameGeometry = () => {
    const iframe = replayerRef.current?.iframe;
    const stage = stageRef.current;
    const doc = iframe?.contentDocument;
    if (!iframe || !stage || !doc) return null;
    const r = iframe.getBoundingClientRect();
    const scale = iframe.offsetWidth ? r.width / iframe.offsetWidth : 1;
    return { iframe, doc, r, scale, stage: stage.getBoundingClientRect() };
  };
  const boxOf = (el: Element): Box | null => {
    const g = frameGeometry();
    if (!g) return null;
    const e = el.getBoundingClientRect();
    return { left: g.r.left - g.stage.left + e.left * g.scale, top: g.r.top - g.stage.top + e.top * g.scale, width: e.width * g.scale, height: e.height * g.scale };
  };
  const elementAt = (clientX: number, clientY: number): Element | null => {
    const g = frameGeometry();
    if (!g) return null;
    const x = (clientX - g.r.left) / g.scale;
    const y = (clientY - g.r.top) / g.scale;
    if (x < 0 || y < 0 || x > g.iframe.offsetWidth || y > g.iframe.offsetHeight) return null;
    const el = g.doc.elementFromPoint(x, y);
    if (!el || el === g.doc.documentElement || el === g.doc.body) return null;
    return meaningfulElement(el);
  };
  const pickActive = picking && !playing && !!onPick;
  const onPickMove = (e: ReactMouseEvent) => {
    const el = elementAt(e.clientX, e.clientY);
    setHoverBox(el ? boxOf(el) : null);
  };
  const onPickClick = (e: ReactMouseEvent) => {
    e.stopPropagation();
    const el = elementAt(e.clientX, e.clientY);
    if (!el || !onPick) return;
    setHoverBox(null);
    setPicking(false);
    onPick(el, url);
  };
  useEffect(() => {
    setPickedBox(picked && !playing && picked.isConnected ? boxOf(picked) : null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [picked, playing, offset]);

  const toggle = () => {
    const d = driverRef.current;
    if (!d) return;
    if (playingRef.current) {
      d.pause();
      setPlaying(false);
    } else {
      const cur = d.now() - start;
      void d.show(start + (cur >= total - 50 ? 0 : cur), true);
      setPlaying(true);
      setPicking(false);
      setHoverBox(null);
    }
  };

  useImperativeHandle(ref, () => ({ seekTo: (ts: number) => seek(ts - start) }));

  useEffect(() => {
    driverRef.current?.setConfig({ speed });
  }, [speed]);
  useEffect(() => {
    driverRef.current?.setConfig({ skipInactive });
    if (!skipInactive) setSkipping(false);
  }, [skipInactive]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || isTypingTarget(e.target)) return;
      if (e.key === ' ' || e.code === 'Space') {
        e.preventDefault();
        if (!e.repeat) toggle();
      } else if (e.key === 'Escape' && picking) {
        setPicking(false);
        setHoverBox(null);
      } else if (e.key === 'ArrowLeft') {
        e.preventDefault();
        seek(offsetRef.current - STEP);
      } else if (e.key === 'ArrowRight') {
        e.preventDefault();
        seek(offsetRef.current + STEP);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <section className="player" aria-label="Session replay">
      <div className="player-url" title={url} data-testid="replay-url">
        <span className="dot" aria-hidden="true" />
        <span className="url-text">{url ? shortUrl(url) : '—'}</span>
        <span className="url-host muted">{hostOf(url)}</span>
      </div>
      <div className="player-stage" ref={stageRef} data-testid="replay-frame-container" onClick={toggle}>
        <div ref={mountRef} className="player-mount" />
        {failed && <div className="player-failed">This recording cannot be replayed ({failed}).</div>}
        {skipping && <div className="player-skip">Skipping inactivity…</div>}
        {pickedBox && <div className="pick-box picked" style={pickedBox} aria-hidden="true" />}
        {pickActive && (
          <div className="pick-layer" data-testid="pick-layer" onMouseMove={onPickMove} onMouseLeave={() => setHoverBox(null)} onClick={onPickClick}>
            {hoverBox && <div className="pick-box" style={hoverBox} data-testid="pick-highlight" />}
          </div>
        )}
      </div>
      <Timeline total={total} current={offset} markers={markers} onSeek={seek} />
      <div className="player-controls">
        <button type="button" className="btn icon primary" onClick={toggle} data-testid="play-button" aria-label={playing ? 'Pause' : 'Play'} title="Play/pause (space) · ←/→ jump 5 s">
          {playing ? (
            <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
              <rect x="5" y="4" width="3.5" height="12" rx="1" fill="currentColor" />
              <rect x="11.5" y="4" width="3.5" height="12" rx="1" fill="currentColor" />
            </svg>
          ) : (
            <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
              <path d="M6 4l10 6-10 6z" fill="currentColor" />
            </svg>
          )}
        </button>
        <span className="time" data-testid="player-time">
          {formatDuration(offset)} / {formatDuration(total)}
        </span>
        <div className="speeds" role="group" aria-label="Playback speed">
          {SPEEDS.map((s) => (
            <button key={s} type="button" className={s === speed ? 'btn small seg active' : 'btn small seg'} aria-pressed={s === speed} onClick={() => setSpeed(s)}>
              {s}x
            </button>
          ))}
        </div>
        <label className="check">
          <input type="checkbox" checked={skipInactive} onChange={(e) => setSkipInactive(e.target.checked)} data-testid="skip-inactive" />
          Skip inactivity
        </label>
        {onPick && (
          <button
            type="button"
            className={picking ? 'btn small active' : 'btn small'}
            aria-pressed={picking}
            data-testid="define-from-replay"
            title="Pause, then point at an element in the replay to define an event from it"
            onClick={() => {
              if (!picking && playingRef.current) toggle();
              setPicking(!picking);
              setHoverBox(null);
            }}
          >
            {picking ? 'Picking… (click an element)' : 'Pick element'}
          </button>
        )}
        <span className="legend muted" data-testid="marker-legend">
          <i className="marker-dot click" /> click <i className="marker-dot rage" /> rage click <i className="marker-dot dead" /> dead click{' '}
          <i className="marker-dot match" /> named event <i className="marker-dot pageview" /> page <i className="marker-dot error" /> error
        </span>
      </div>
    </section>
  );
});

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}
