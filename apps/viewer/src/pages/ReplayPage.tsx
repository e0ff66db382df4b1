import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RawEvent } from '@hindsight/schema';
import { DefineFromReplay } from '../components/DefineFromReplay';
import { EventList } from '../components/EventList';
// static: this chunk is only loaded for a replay, and a lazy Player cost the first frame a render pass
import { Player, type PlayerHandle } from '../components/Player';
import { Empty, ErrorState, Spinner } from '../components/States';
import { eventIndexAt, matchNames } from '../lib/replay';
import { Link, useLocation, useTitle } from '../lib/router';
import type { SessionData } from '../lib/session-data';
import { buildSessionFile, downloadJson } from '../lib/session-file';
import { formatDateTime, formatSpan, shortId } from '../lib/time';
import { useApi } from '../lib/useApi';
import { usePainted } from '../lib/usePainted';
import { openAt, openSession } from '../lib/replay-prefetch';
import { dropEarly } from '../lib/early-replay';
import { ImportSessionPage } from './ImportSessionPage';
import { count } from '../lib/plural';
import { SessionsCrumb } from '../components/SessionsCrumb';

const PIN_SLACK_MS = 50;
// rrweb is most of this screen's code: evaluating it must not delay the session's requests

/** `/sessions/:id`; `/sessions/import` plays an exported file (the four contract routes stay as they are). */
export function ReplayPage({ id }: { id: string }) {
  if (id === IMPORT_ID) return <ImportSessionPage />;
  return <ServerReplay id={id} />;
}

export const IMPORT_ID = 'import';

function ServerReplay({ id }: { id: string }) {
  useTitle('Replay');
  const loc = useLocation();
  const at = openAt(loc.search);
  const { data, error, loading, reload } = useApi((signal) => openSession(id, at, signal), [id]);
  // a replay that failed to load, or has nothing to play, shows no player to adopt the frame shown
  // before the app started (lib/early-frame.ts)
  const noPlayer = !!error || (!!data && !data.feed.playable);
  useEffect(() => {
    if (noPlayer) dropEarly();
  }, [noPlayer]);
  return (
    <>
      {error && (
        <div className="page replay-page">
          <ErrorState error={error} onRetry={reload} />
        </div>
      )}
      {!error && loading && !data && (
        <div className="page replay-page">
          <Spinner label="Loading replay…" />
        </div>
      )}
      {data && (data.events.length > 0 || data.feed.playable ? <ReplayView data={data} /> : <SessionNotFound id={id} />)}
    </>
  );
}

/** Nothing recorded under this id (a mistyped or foreign link, or another project's session). */
function SessionNotFound({ id }: { id: string }) {
  return (
    <div className="page replay-page" data-testid="session-not-found">
      <header className="page-head compact">
        <div>
          <SessionsCrumb>
            <span className="mono break-all">{id}</span>
          </SessionsCrumb>
          <h1>Session not found</h1>
        </div>
      </header>
      <Empty title="Nothing was recorded under this session id in this project.">
        Check the link, or the project chosen in the menu. <Link to="/">Go to sessions</Link>.
      </Empty>
    </div>
  );
}

/** The replay screen for a loaded session (from the server, the cache, or an imported file). */
export function ReplayView({ data }: { data: SessionData }) {
  const loc = useLocation();
  const initialTs = openAt(loc.search);
  const { events, feed } = data;
  const painted = usePainted(feed);
  const [extra, setExtra] = useState({ matches: data.matches, summary: data.summary });
  useEffect(() => {
    let live = true;
    data.later?.then((x) => live && setExtra(x));
    return () => {
      live = false;
    };
  }, [data]);
  const { matches } = extra;

  const playerRef = useRef<PlayerHandle>(null);
  // define from replay: the element picked in the replay iframe (n remounts the panel per pick)
  const [pick, setPick] = useState<{ el: Element; url: string; n: number } | null>(null);
  const onPick = useCallback((el: Element, url: string) => setPick((p) => ({ el, url, n: (p?.n ?? 0) + 1 })), []);
  const [current, setCurrent] = useState(-1);
  const named = useMemo(() => matchNames(matches), [matches]);
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
    const all: number[] = events.map((e) => e.ts);
    if (feed.playable) all.push(feed.start, feed.end);
    if (all.length === 0) return null;
    const first = Math.min(...all);
    const last = Math.max(...all);
    const user = [...events].reverse().find((e) => e.userId)?.userId ?? extra.summary?.userId ?? null;
    const anon = events[0]?.anonymousId ?? extra.summary?.anonymousId ?? '';
    const errors = events.filter((e) => e.type === 'error').length;
    return { first, last, user, anon, errors };
  }, [events, feed, extra.summary]);

  const [exporting, setExporting] = useState<string>('');
  const doExport = async () => {
    setExporting('Exporting…');
    try {
      downloadJson(`hindsight-session-${data.id}.json`, await buildSessionFile(data));
      setExporting('');
    } catch (e) {
      setExporting(`Export failed: ${(e as Error).message}`);
    }
  };

  const start = feed.playable ? feed.start : (events[0]?.ts ?? 0);

  return (
    <div className="page replay-page">
      <header className="page-head compact">
        <div>
          <SessionsCrumb>
            <span className="mono">{shortId(data.id, 12)}</span>
            {data.origin === 'file' && <span className="badge">imported file</span>}
            {data.origin === 'cache' && <span className="badge" title="The server could not be reached; this is the copy kept in this browser">cached copy</span>}
          </SessionsCrumb>
          {summary && (
            <p className="session-meta">
              <strong>{summary.user ?? 'anonymous'}</strong>
              {!summary.user && <code className="muted"> {shortId(summary.anon)}</code>}
              <span className="sep">·</span>
              {formatDateTime(summary.first)}
              <span className="sep">·</span>
              {formatSpan(summary.last - summary.first)}
              <span className="sep">·</span>
              {count(events.length, 'event')}
              {summary.errors > 0 && (
                <span className="badge error">{count(summary.errors, 'error')}</span>
              )}
            </p>
          )}
        </div>
        <div className="replay-actions">
          {exporting && <span className="muted small">{exporting}</span>}
          <button type="button" className="btn small" onClick={doExport} disabled={exporting === 'Exporting…'} data-testid="export-session" title="Download this session (events and replay) as a file">
            Export session
          </button>
          <Link to={`/sessions/${IMPORT_ID}`} className="btn small" data-testid="import-session-link">
            Import session
          </Link>
        </div>
      </header>
      <div className="replay-layout">
        {feed.playable ? (
          <Player ref={playerRef} feed={feed} events={events} matches={matches} initialTs={initialTs} onTime={onTime} onPick={onPick} picked={pick?.el ?? null} />
        ) : (
          <div className="player">
            <Empty title="No replay recorded for this session.">The event list still shows everything that was captured.</Empty>
          </div>
        )}
        <EventList events={events} start={start} current={current} onSelect={onSelect} named={named} deferred={!painted} />
      </div>
      {pick && <DefineFromReplay key={pick.n} element={pick.el} url={pick.url} onClose={() => setPick(null)} />}
    </div>
  );
}
