import { useState } from 'react';
import { createWriteKey, listWriteKeys, revokeWriteKey, type WriteKey } from '../../api';
import { formatDateTime } from '../../lib/time';
import { useAction } from '../../lib/useAction';
import { useApi } from '../../lib/useApi';
import { Empty, ErrorState, Spinner } from '../States';

/** The project's public write keys: rotate by adding a key, deploying it, then revoking the old one. */
export function WriteKeysCard() {
  const { data, error, loading, reload } = useApi((signal) => listWriteKeys(signal), []);
  const [confirming, setConfirming] = useState<string | null>(null);
  const { busy, error: actionError, run } = useAction();

  const act = async (fn: () => Promise<unknown>) => {
    if (!(await run(fn))) return;
    setConfirming(null);
    reload();
  };

  const live = data?.filter((k) => k.revokedAt === null) ?? [];
  // new embeds get the newest live key, so a rotation's old key can be revoked once pages update
  const embedKey = live[live.length - 1];

  return (
    <section className="card" aria-labelledby="keys-title">
      <header className="card-head">
        <div>
          <h2 id="keys-title">Write keys</h2>
          <p className="muted small">Public: they are in every page that embeds the recorder and can only send data, never read it. Several can be live at once while you rotate.</p>
        </div>
        <button type="button" className="btn primary" disabled={busy} onClick={() => act(createWriteKey)} data-testid="new-key">
          New key
        </button>
      </header>
      {actionError && (
        <p className="error-text" role="alert" data-testid="key-error">
          {actionError}
        </p>
      )}
      {loading && !data ? (
        <Spinner label="Loading keys…" />
      ) : error ? (
        <ErrorState error={error} onRetry={reload} />
      ) : !data?.length ? (
        <Empty title="No write keys">Create one to start recording.</Empty>
      ) : (
        <table className="table keys" data-testid="keys-table">
          <thead>
            <tr>
              <th>Key</th>
              <th>Created</th>
              <th>Status</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {data.map((k) => (
              <KeyRow key={k.id} k={k} confirming={confirming === k.id} busy={busy} onAsk={() => setConfirming(k.id)} onCancel={() => setConfirming(null)} onRevoke={() => act(() => revokeWriteKey(k.id))} />
            ))}
          </tbody>
        </table>
      )}
      {embedKey && (
        <div className="embed">
          <h3>Embed snippet</h3>
          <pre className="snippet" data-testid="embed-snippet">
            {`<script src="${location.origin}/recorder.js" data-key="${embedKey.key}" data-endpoint="${location.origin}"></script>`}
          </pre>
        </div>
      )}
    </section>
  );
}

function KeyRow({ k, confirming, busy, onAsk, onCancel, onRevoke }: { k: WriteKey; confirming: boolean; busy: boolean; onAsk: () => void; onCancel: () => void; onRevoke: () => void }) {
  const revoked = k.revokedAt !== null;
  return (
    <tr data-testid="key-row" data-key={k.key} data-state={revoked ? 'revoked' : 'live'} className={revoked ? 'revoked' : undefined}>
      <td>
        <code>{k.key}</code>
        {k.source === 'env' && <span className="badge" title="from HINDSIGHT_PROJECT_KEY">env</span>}
      </td>
      <td>{k.createdAt ? formatDateTime(k.createdAt) : <span className="muted">at start</span>}</td>
      <td>{revoked ? <span className="badge error">revoked {formatDateTime(k.revokedAt!)}</span> : <span className="badge live">live</span>}</td>
      <td className="actions-cell">
        {revoked ? null : confirming ? (
          <span className="confirm" role="group" aria-label="Confirm revoking this key">
            Pages still using it stop recording.
            <button type="button" className="btn danger small" disabled={busy} onClick={onRevoke} data-testid="confirm-revoke">
              Revoke
            </button>
            <button type="button" className="btn small" onClick={onCancel}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" className="btn ghost small danger-text" onClick={onAsk} data-testid="revoke-key">
            Revoke
          </button>
        )}
      </td>
    </tr>
  );
}
