import { useMemo, useState } from 'react';
import { getUser } from '../api';
import { SessionTable } from '../components/SessionTable';
import { Empty, ErrorState, Spinner } from '../components/States';
import { describeEvent, shortUrl } from '../lib/replay';
import { Link, useTitle } from '../lib/router';
import { formatDateTime } from '../lib/time';
import { useApi } from '../lib/useApi';
import { count } from '../lib/plural';

const PAGE = 200;

/** One user: identify traits, every session (anonymous ones before identify included), every event. */
export function UserPage({ id }: { id: string }) {
  useTitle(`User ${id}`);
  const user = useApi((signal) => getUser(id, signal), [id]);
  const [shown, setShown] = useState(PAGE);
  // newest first, like the sessions list
  const events = useMemo(() => [...(user.data?.events ?? [])].reverse(), [user.data]);
  const traits = Object.entries(user.data?.traits ?? {});

  if (user.error) {
    return (
      <div className="page">
        <h1>User {id}</h1>
        <ErrorState error={user.error} onRetry={user.reload} />
      </div>
    );
  }
  if (!user.data) return <Spinner label="Loading user…" />;
  const u = user.data;
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <p className="muted">
            <Link to={`/?userId=${encodeURIComponent(id)}`}>Sessions</Link> › user
          </p>
          <h1 data-testid="user-id">{u.userId}</h1>
          <p className="muted">
            First seen {formatDateTime(u.firstSeen)} · last seen {formatDateTime(u.lastSeen)} · {count(u.sessions.length, 'session')} · {count(u.events.length, 'event')}
            {u.truncated && ' (the newest are not all shown)'}
          </p>
        </div>
      </header>
      <div className="user-grid">
        <section className="card" aria-label="Traits" data-testid="user-traits">
          <h2>Traits</h2>
          {traits.length === 0 ? (
            <p className="muted">No traits sent with identify().</p>
          ) : (
            <dl className="traits">
              {traits.map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
                </div>
              ))}
            </dl>
          )}
          <h2>Devices</h2>
          <p className="muted">Anonymous ids linked to this user (their sessions before identify count too):</p>
          <ul className="anon-ids">
            {u.anonymousIds.map((a) => (
              <li key={a}>
                <code>{a}</code>
              </li>
            ))}
          </ul>
        </section>
        <section className="card" aria-label="Activity">
          <h2>Sessions</h2>
          <div className="table-wrap">
            <SessionTable sessions={u.sessions} profileLinks={false} />
          </div>
          <h2>Events</h2>
          {events.length === 0 ? (
            <Empty title="No events." />
          ) : (
            <ol className="user-events" data-testid="user-events">
              {events.slice(0, shown).map((e) => (
                <li key={e.id} data-testid="user-event">
                  <span className="nowrap muted">{formatDateTime(e.ts, { seconds: true })}</span>
                  <span className={`type type-${e.type}`}>{e.type.replace('_', ' ')}</span>
                  <span className="what">{describeEvent(e)}</span>
                  <span className="url muted" title={e.url}>
                    {shortUrl(e.url)}
                  </span>
                  <Link to={`/sessions/${encodeURIComponent(e.sessionId)}?t=${e.ts}&e=${encodeURIComponent(e.id)}`}>Replay</Link>
                </li>
              ))}
            </ol>
          )}
          {events.length > shown && (
            <button type="button" className="btn" onClick={() => setShown((n) => n + PAGE)}>
              Show more
            </button>
          )}
        </section>
      </div>
    </div>
  );
}
