import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RawEvent } from '@hindsight/schema';
import { getSessionEvents, getSessionReplay, type ReplayEvent } from '../api';
import { DefineFromReplay } from '../components/DefineFromReplay';
import { EventList } from '../components/EventList';
import { Player, type PlayerHandle } from '../components/Player';
import { Empty, ErrorState, Spinner } from '../components/States';
import { eventIndexAt } from '../lib/replay';
import { Link, useLocation, useTitle } from '../lib/router';
import { formatDateTime, formatSpan, shortId } from '../lib/time';
import { useApi } from '../lib/useApi';

const RRWEB_FULL_SNAPSHOT = 2;
const PIN_SLACK_MS = 50;
const EMPTY: RawEvent[] = [];

export function ReplayPage({ id }: { id: string }) {
  useTitle('Replay');
  const loc = useLocation();
  const t = Number(new URLSearchParams(loc.search).get('t'));
  const initialTs = Number.isFinite(t) && t > 0 ? t : undefined;

  const { data, error, loading, reload } = useApi(
    async (signal) => {
      const [ev, replay] = await Promise.all([getSessionEvents(id, signal), getSessionReplay(id, signal)]);
      const events = ev.events.slice().sort((a, b) => a.ts - b.ts);
      const rr = (Array.isArray(replay) ? replay : []).slice().sort((a, b) => a.timestamp - b.timestamp);
      return { events, replay: rr };
    },
    [id],
  );

  const playerRef = useRef<PlayerHandle>(null);
  // define from replay: the element picked in the replay iframe (n remounts the panel per pick)
  const [pick, setPick] = useState<{ el: Element; url: string; n: number } | null>(null);
  const onPick = useCallback((el: Element, url: string) => setPick((p) => ({ el, url, n: (p?.n ?? 0) + 1 })), []);
  const [current, setCurrent] = useState(-1);
  const events = data?.events ?? EMPTY;
  // Several events often share a millisecond (click → invalid → submit). The one the user picked
  // (a row click, or `?e=` from a preview sample) stays highlighted until playback moves on.
  const pinned = useRef<string | null>(new URLSearchParams(loc.search).get('e'));
  const onTime = useCallback(
    (ts: number) => {
      const pin = pinned.current ? events.findIndex((e) => e.id === pinned.current) : -1;
      if (pin >= 0 && Math.abs(events[pin].ts - ts) <= PIN_SLACK_MS) return setCurrent(pin);
      pinned.current = null;
      setCurrent(eventIndexAt(events, ts));
    },
    [events],
  );
  const onSelect = useCallback(
    (e: RawEvent) => {
      pinned.current = e.id;
      setCurrent(events.indexOf(e));
      playerRef.current?.seekTo(e.ts);
    },
    [events],
  );

  // a new `?t=` for the session already open (e.g. another sample match): seek there too
  const firstT = useRef(initialTs);
  useEffect(() => {
    if (initialTs === undefined || initialTs === firstT.current) return;
    firstT.current = initialTs;
    pinned.current = new URLSearchParams(loc.search).get('e');
    playerRef.current?.seekTo(initialTs);
  }, [initialTs, loc.search]);

  const summary = useMemo(() => {
    if (!data) return null;
    const all: number[] = [...data.events.map((e) => e.ts), ...data.replay.map((e: ReplayEvent) => e.timestamp)];
    if (all.length === 0) return null;
    const first = Math.min(...all);
    const last = Math.max(...all);
    const user = [...data.events].reverse().find((e) => e.userId)?.userId ?? null;
    const anon = data.events[0]?.anonymousId ?? '';
    const errors = data.events.filter((e) => e.type === 'error').length;
    return { first, last, user, anon, errors };
  }, [data]);

  const playable = !!data && data.replay.length >= 2 && data.replay.some((e) => e.type === RRWEB_FULL_SNAPSHOT);
  const start = data?.replay[0]?.timestamp ?? data?.events[0]?.ts ?? 0;

  return (
    <div className="page replay-page">
      <header className="page-head compact">
        <div>
          <nav className="crumbs" aria-label="Breadcrumb">
            <Link to="/">Sessions</Link> <span aria-hidden="true">/</span> <span className="mono">{shortId(id, 12)}</span>
          </nav>
          {summary && (
            <p className="session-meta">
              <strong>{summary.user ?? 'anonymous'}</strong>
              {!summary.user && <code className="muted"> {shortId(summary.anon)}</code>}
              <span className="sep">·</span>
              {formatDateTime(summary.first)}
              <span className="sep">·</span>
              {formatSpan(summary.last - summary.first)}
              <span className="sep">·</span>
              {events.length} events
              {summary.errors > 0 && (
                <span className="badge error">
                  {summary.errors} error{summary.errors > 1 ? 's' : ''}
                </span>
              )}
            </p>
          )}
        </div>
      </header>
      {error && <ErrorState error={error} onRetry={reload} />}
      {!error && loading && !data && <Spinner label="Loading replay…" />}
      {data && (
        <div className="replay-layout">
          {playable ? (
            <Player ref={playerRef} replay={data.replay} events={data.events} initialTs={initialTs} onTime={onTime} onPick={onPick} picked={pick?.el ?? null} />
          ) : (
            <div className="player">
              <Empty title="No replay recorded for this session.">The event list still shows everything that was captured.</Empty>
            </div>
          )}
          <EventList events={data.events} start={start} current={current} onSelect={onSelect} />
        </div>
      )}
      {pick && <DefineFromReplay key={pick.n} element={pick.el} url={pick.url} onClose={() => setPick(null)} />}
    </div>
  );
}
