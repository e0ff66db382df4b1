// A destination's dead letters (deliveries that failed for good) with retry.
import { listDeadLetters, retryDeadLetters } from '../../api';
import { useAction } from '../../lib/useAction';
import { useApi } from '../../lib/useApi';
import { formatDateTime } from '../../lib/time';
import { Empty, ErrorState, Spinner } from '../States';
import { count } from '../../lib/plural';

export function DeadLetters({ destinationId, version, onRetried }: { destinationId: string; version: number; onRetried: () => void }) {
  const { data, error, loading, reload } = useApi((signal) => listDeadLetters(destinationId, signal), [destinationId, version]);
  const { busy, error: retryError, run } = useAction();

  const retry = async (ids?: string[]) => {
    if (!(await run(() => retryDeadLetters(destinationId, ids)))) return;
    reload();
    onRetried();
  };

  if (error) return <ErrorState error={error} onRetry={reload} />;
  if (loading && !data) return <Spinner label="Loading dead letters…" />;
  if (!data?.length) return <Empty title="No dead letters.">Deliveries that fail for good (a 4xx answer, or every retry used) show up here.</Empty>;
  return (
    <div data-testid="dead-letters">
      <div className="row dest-subhead">
        <span className="muted small">
          {count(data.length, 'dead letter')}
          {data.length >= 100 ? ' (newest 100)' : ''}
        </span>
        <button type="button" className="btn small" disabled={busy} onClick={() => retry()} data-testid="retry-all-dead">
          Retry all
        </button>
      </div>
      {retryError && (
        <p className="error-text" role="alert">
          {retryError}
        </p>
      )}
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Definition</th>
            <th scope="col">Event</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last answer</th>
            <th scope="col">Failed</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {data.map((d) => (
            <tr key={d.id} data-testid="dead-letter-row">
              <td>{d.definitionName}</td>
              <td>
                <code>{d.eventId}</code>
              </td>
              <td className="num">{d.attempts}</td>
              <td>
                {d.lastStatus !== null && <span className="badge error">HTTP {d.lastStatus}</span>} <span className="small">{d.lastError}</span>
              </td>
              <td className="nowrap muted">{formatDateTime(d.updatedAt, { seconds: true })}</td>
              <td className="actions-cell">
                <button type="button" className="btn ghost small" disabled={busy} onClick={() => retry([d.id])}>
                  Retry
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
