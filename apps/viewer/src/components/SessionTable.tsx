import { useEffect, type KeyboardEvent, type MouseEvent, type PointerEvent } from 'react';
import type { SessionSummary } from '@hindsight/schema';
import { Link, navigate } from '../lib/router';
import { shortUrl } from '../lib/replay';
import { formatDateTime, formatSpan, shortId } from '../lib/time';
import { count } from '../lib/plural';
import { prefetchReplay, preloadReplayCode } from '../lib/replay-prefetch';

const replayPath = (id: string) => `/sessions/${encodeURIComponent(id)}`;

/** `profileLinks`: off on a user's own page, where each would link to the page itself */
export function SessionTable({ sessions, profileLinks = true }: { sessions: SessionSummary[]; profileLinks?: boolean }) {
  const open = (id: string) => navigate(replayPath(id));
  // A list of sessions is where replays are opened from: the replay code (rrweb, ~300 kB) loads
  // and evaluates while the analyst reads the list, not after the click.
  useEffect(() => {
    const idle = window.requestIdleCallback ?? ((f: () => void) => window.setTimeout(f, 200));
    idle(preloadReplayCode);
  }, []);
  // and a row's data starts on the press, a tenth of a second before its click
  const onRowPress = (e: PointerEvent, id: string) => {
    if (e.button === 0 && !(e.target as HTMLElement).closest('.profile-link')) prefetchReplay(replayPath(id), '');
  };
  const onRowClick = (e: MouseEvent, id: string) => {
    // let the row's own link handle real link clicks (and ctrl/cmd-click to a new tab)
    if ((e.target as HTMLElement).closest('a')) return;
    open(id);
  };
  const onRowKey = (e: KeyboardEvent, id: string) => {
    if (e.key === 'Enter' && !(e.target as HTMLElement).closest('a')) open(id);
  };
  return (
    <table className="table sessions" data-testid="sessions-table">
      <thead>
        <tr>
          <th scope="col">User</th>
          <th scope="col">Started</th>
          <th scope="col" className="num">
            Duration
          </th>
          <th scope="col" className="num">
            Pages
          </th>
          <th scope="col" className="num">
            Events
          </th>
          <th scope="col">Entry URL</th>
          <th scope="col">
            <span className="sr-only">Errors and frustration</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {sessions.map((s) => (
          <tr key={s.id} className="clickable" data-testid="session-row" data-session-id={s.id} onClick={(e) => onRowClick(e, s.id)} onPointerDown={(e) => onRowPress(e, s.id)} onKeyDown={(e) => onRowKey(e, s.id)}>
            <td className="who">
              <Link to={replayPath(s.id)} className="row-link">
                {s.userId ? (
                  <span className="user" title={s.userId}>
                    {s.userId}
                  </span>
                ) : (
                  <span className="user anon">
                    anonymous <code>{shortId(s.anonymousId)}</code>
                  </span>
                )}
              </Link>
              {s.userId && profileLinks && (
                <Link to={`/users/${encodeURIComponent(s.userId)}`} className="profile-link" aria-label={`Profile of ${s.userId}`} data-testid="user-link">
                  profile
                </Link>
              )}
            </td>
            <td className="nowrap">{formatDateTime(s.startedAt)}</td>
            <td className="num nowrap">{formatSpan(s.endedAt - s.startedAt)}</td>
            <td className="num">{s.pageCount}</td>
            <td className="num">{s.eventCount}</td>
            <td className="url" title={s.entryUrl}>
              {shortUrl(s.entryUrl)}
            </td>
            <td className="badges">
              {s.hasError && <span className="badge error">Error</span>}
              {s.rageClicks > 0 && (
                <span className="badge rage" title={count(s.rageClicks, 'rage click')}>
                  Rage ×{s.rageClicks}
                </span>
              )}
              {s.deadClicks > 0 && (
                <span className="badge dead" title={count(s.deadClicks, 'dead click')}>
                  Dead ×{s.deadClicks}
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
