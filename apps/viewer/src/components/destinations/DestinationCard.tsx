// One destination: where it sends, its signing secret, delivery counts, enable/disable, delete,
// dead letters and backfills.
import { useState } from 'react';
import type { Definition } from '@hindsight/schema';
import { deleteDestination, updateDestination, type Destination } from '../../api';
import { useAction } from '../../lib/useAction';
import { BackfillPanel } from './BackfillPanel';
import { DeadLetters } from './DeadLetters';
import { count } from '../../lib/plural';

interface Props {
  destination: Destination;
  definitions: Definition[];
  /** show the secret from the start (right after creating it) */
  revealSecret?: boolean;
  onChanged: () => void;
}

export function DestinationCard({ destination: d, definitions, revealSecret = false, onChanged }: Props) {
  const [showSecret, setShowSecret] = useState(revealSecret);
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction();
  const received = d.definitions === 'all' ? definitions : definitions.filter((x) => (d.definitions as string[]).includes(x.id));

  const act = async (fn: () => Promise<unknown>) => {
    if (await run(fn)) onChanged();
  };

  return (
    <section className="card dest-card" data-testid="destination-card" data-destination-id={d.id} aria-label={d.name}>
      <header className="dest-head">
        <div>
          <h2>
            {d.name} {!d.enabled && <span className="badge">paused</span>}
          </h2>
          <code className="dest-url">{d.url}</code>
          <div className="small muted">
            {d.definitions === 'all' ? 'All definitions, including future ones' : `${count(received.length, 'definition')}: ${received.map((x) => x.name).join(', ')}`}
          </div>
        </div>
        <div className="dest-actions">
          <button type="button" className="btn small" disabled={busy} onClick={() => act(() => updateDestination(d.id, { enabled: !d.enabled }))} data-testid="toggle-destination">
            {d.enabled ? 'Pause' : 'Resume'}
          </button>
          {confirming ? (
            <span className="confirm" role="group" aria-label={`Confirm deleting ${d.name}`}>
              Delete “{d.name}” and its queued deliveries?
              <button type="button" className="btn danger small" disabled={busy} onClick={() => act(() => deleteDestination(d.id))} data-testid="confirm-delete-destination">
                Delete
              </button>
              <button type="button" className="btn small" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </span>
          ) : (
            <button type="button" className="btn ghost small danger-text" onClick={() => setConfirming(true)} data-testid="delete-destination">
              Delete
            </button>
          )}
        </div>
      </header>

      <dl className="dest-counts" data-testid="delivery-counts">
        <div>
          <dt>Delivered</dt>
          <dd data-testid="count-delivered">{d.deliveries.delivered}</dd>
        </div>
        <div>
          <dt>Pending</dt>
          <dd data-testid="count-pending">{d.deliveries.pending}</dd>
        </div>
        <div className={d.deliveries.dead ? 'dead' : ''}>
          <dt>Dead letters</dt>
          <dd data-testid="count-dead">{d.deliveries.dead}</dd>
        </div>
      </dl>

      <div className="dest-secret">
        <span className="small muted">Signing secret (X-Hindsight-Signature, HMAC-SHA256):</span>{' '}
        {showSecret ? (
          <code data-testid="destination-secret">{d.secret}</code>
        ) : (
          <button type="button" className="btn ghost small" onClick={() => setShowSecret(true)} data-testid="show-secret">
            Show secret
          </button>
        )}
      </div>

      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}

      <h3>Backfill history</h3>
      <BackfillPanel destinationId={d.id} definitions={received} onProgress={onChanged} />

      <h3>Dead letters</h3>
      <DeadLetters destinationId={d.id} version={d.deliveries.dead} onRetried={onChanged} />
    </section>
  );
}
