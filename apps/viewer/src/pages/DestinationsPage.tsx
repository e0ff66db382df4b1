// Destinations: webhooks that receive named events as they happen, and past ones on request.
import { useEffect, useState } from 'react';
import { listDefinitions, listDestinations } from '../api';
import { DestinationCard } from '../components/destinations/DestinationCard';
import { DestinationForm } from '../components/destinations/DestinationForm';
import { Empty, ErrorState, Spinner } from '../components/States';
import { useTitle } from '../lib/router';
import { useApi } from '../lib/useApi';

/** counts move as deliveries are sent; refresh them while the page is open */
const REFRESH_MS = 3000;

export function DestinationsPage() {
  useTitle('Destinations');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const { data, error, loading, reload } = useApi((signal) => listDestinations(signal), []);
  const defs = useApi((signal) => listDefinitions(signal), []);

  useEffect(() => {
    const t = setInterval(reload, REFRESH_MS);
    return () => clearInterval(t);
  }, [reload]);

  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Destinations</h1>
          <p className="muted">Webhooks that receive matches of your definitions as events arrive — signed, retried, and backfillable.</p>
        </div>
        {!creating && (
          <button type="button" className="btn primary" onClick={() => setCreating(true)} data-testid="new-destination">
            New destination
          </button>
        )}
      </header>

      {creating && (
        <DestinationForm
          definitions={defs.data ?? []}
          onCreated={(d) => {
            setCreating(false);
            setCreated(d.id);
            reload();
          }}
          onCancel={() => setCreating(false)}
        />
      )}

      {defs.error && <ErrorState error={defs.error} onRetry={defs.reload} />}
      {error && <ErrorState error={error} onRetry={reload} />}
      {!error && loading && !data && <Spinner label="Loading destinations…" />}
      {data && data.length === 0 && !creating && (
        <Empty title="No destinations yet.">Add a webhook URL and Hindsight POSTs every match of your definitions to it, signed with a secret.</Empty>
      )}
      {data?.map((d) => (
        <DestinationCard key={d.id} destination={d} definitions={defs.data ?? []} revealSecret={d.id === created} onChanged={reload} />
      ))}
    </div>
  );
}
