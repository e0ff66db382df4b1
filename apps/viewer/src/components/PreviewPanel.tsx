import { useEffect, useState } from 'react';
import type { PreviewResult, Rule } from '@hindsight/schema';
import { ApiError, previewRules } from '../api';
import { Link } from '../lib/router';
import { formatDateTime, shortId } from '../lib/time';

const DEBOUNCE = 400;

/** Live counts for the rules being edited (debounced POST /api/definitions/preview). */
export function PreviewPanel({ rules }: { rules: Rule[] }) {
  const key = JSON.stringify(rules);
  const [state, setState] = useState<{ result?: PreviewResult; error?: string; loading: boolean }>({ loading: false });

  useEffect(() => {
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    const id = setTimeout(() => {
      previewRules(JSON.parse(key) as Rule[], ctl.signal).then(
        (result) => !ctl.signal.aborted && setState({ result, loading: false }),
        (e: Error) => {
          if (ctl.signal.aborted) return;
          setState({ error: e instanceof ApiError ? e.message : `Preview failed: ${e.message}`, loading: false });
        },
      );
    }, DEBOUNCE);
    return () => {
      clearTimeout(id);
      ctl.abort();
    };
  }, [key]);

  const r = state.result;
  return (
    <aside className={state.loading ? 'preview loading' : 'preview'} aria-live="polite" data-testid="preview">
      <h3>
        Live preview <span className="muted small">over all recorded history</span>
      </h3>
      {state.error ? (
        <p className="error-text" role="alert" data-testid="preview-error">
          {state.error}
        </p>
      ) : (
        <>
          <div className="stats">
            <div className="stat">
              <span className="stat-value" data-testid="preview-events">
                {r ? r.events.toLocaleString() : '–'}
              </span>
              <span className="stat-label">events</span>
            </div>
            <div className="stat">
              <span className="stat-value" data-testid="preview-sessions">
                {r ? r.sessions.toLocaleString() : '–'}
              </span>
              <span className="stat-label">sessions</span>
            </div>
            <div className="stat">
              <span className="stat-value" data-testid="preview-users">
                {r ? r.users.toLocaleString() : '–'}
              </span>
              <span className="stat-label">users</span>
            </div>
          </div>
          {r && r.sample.length > 0 && (
            <>
              <h4>Sample matches</h4>
              <ul className="samples" data-testid="preview-samples">
                {r.sample.map((s) => (
                  <li key={s.eventId}>
                    <Link to={`/sessions/${encodeURIComponent(s.sessionId)}?t=${s.ts}&e=${encodeURIComponent(s.eventId)}`} data-testid="preview-sample">
                      {formatDateTime(s.ts, { seconds: true })} · <span className="mono">{shortId(s.sessionId)}</span>
                    </Link>
                  </li>
                ))}
              </ul>
            </>
          )}
          {r && r.events === 0 && <p className="muted small">Nothing recorded so far matches these rules.</p>}
        </>
      )}
    </aside>
  );
}
