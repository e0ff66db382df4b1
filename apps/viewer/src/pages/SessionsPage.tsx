import { useEffect, useRef, useState } from 'react';
import type { SessionSummary } from '@hindsight/schema';
import { listDefinitions, listSessions } from '../api';
import { SessionFiltersBar } from '../components/SessionFiltersBar';
import { SessionTable } from '../components/SessionTable';
import { Empty, ErrorState, Spinner } from '../components/States';
import { filtersToQuery, filtersToSearch, hasAnyFilter, parseFilters, type SessionFilters } from '../lib/filters';
import { navigate, useLocation, useTitle } from '../lib/router';
import { useApi } from '../lib/useApi';

const PAGE = 50;

export function SessionsPage() {
  useTitle('Sessions');
  const loc = useLocation();
  const applied = parseFilters(loc.search);
  const appliedKey = filtersToSearch(applied);
  const [draft, setDraft] = useState<SessionFilters>(applied);

  // URL → draft (back/forward, "Clear")
  const lastApplied = useRef(appliedKey);
  useEffect(() => {
    if (appliedKey !== lastApplied.current) {
      lastApplied.current = appliedKey;
      if (filtersToSearch(draft) !== appliedKey) setDraft(parseFilters(appliedKey));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [appliedKey]);

  // draft → URL, debounced so typing does not fire a request per key
  useEffect(() => {
    const next = filtersToSearch(draft);
    if (next === appliedKey) return;
    const id = setTimeout(() => {
      lastApplied.current = next;
      navigate(`/${next}`, { replace: true });
    }, 350);
    return () => clearTimeout(id);
  }, [draft, appliedKey]);

  // for the "performed" filter; the list still works when this fails
  const definitions = useApi((signal) => listDefinitions(signal), []);

  const [rows, setRows] = useState<SessionSummary[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<Error>();
  const [tick, setTick] = useState(0);
  const ctlRef = useRef<AbortController>(undefined);

  useEffect(() => {
    const ctl = new AbortController();
    ctlRef.current?.abort();
    ctlRef.current = ctl;
    setLoading(true);
    setError(undefined);
    listSessions({ ...filtersToQuery(parseFilters(appliedKey)), limit: PAGE }, ctl.signal).then(
      (r) => {
        if (ctl.signal.aborted) return;
        setRows(r.sessions);
        setNext(r.next);
        setLoading(false);
      },
      (e: Error) => {
        if (ctl.signal.aborted) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => ctl.abort();
  }, [appliedKey, tick]);

  const loadMore = async () => {
    if (!next) return;
    setLoadingMore(true);
    const ctl = ctlRef.current;
    try {
      const r = await listSessions({ ...filtersToQuery(applied), limit: PAGE, cursor: next }, ctl?.signal);
      if (ctl?.signal.aborted) return;
      setRows((prev) => {
        const seen = new Set(prev.map((s) => s.id));
        return prev.concat(r.sessions.filter((s) => !seen.has(s.id)));
      });
      setNext(r.next);
    } catch (e) {
      if (!ctl?.signal.aborted) setError(e as Error);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Sessions</h1>
          <p className="muted">Every visit recorded on your site. Open one to watch the replay.</p>
        </div>
        <button type="button" className="btn" onClick={() => setTick((t) => t + 1)} disabled={loading}>
          Refresh
        </button>
      </header>
      <SessionFiltersBar value={draft} onChange={setDraft} definitions={definitions.data} />
      {error && <ErrorState error={error} onRetry={() => setTick((t) => t + 1)} />}
      {!error && loading && rows.length === 0 && <Spinner label="Loading sessions…" />}
      {!error && !loading && rows.length === 0 && (
        <Empty title={hasAnyFilter(applied) ? 'No sessions match these filters.' : 'No sessions recorded yet.'}>
          {hasAnyFilter(applied)
            ? 'Try a wider date range or clear the filters.'
            : 'Add the recorder script tag to your site and browse it; sessions show up here within seconds.'}
        </Empty>
      )}
      {rows.length > 0 && (
        <div className={loading ? 'table-wrap stale' : 'table-wrap'} aria-busy={loading}>
          <SessionTable sessions={rows} />
        </div>
      )}
      {!error && next && rows.length > 0 && (
        <div className="load-more">
          <button type="button" className="btn" onClick={loadMore} disabled={loadingMore} data-testid="load-more">
            {loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </div>
  );
}
