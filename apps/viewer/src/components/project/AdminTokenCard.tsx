import { useState } from 'react';
import { rotateAdminToken } from '../../api';
import { SecretOnce } from './SecretOnce';

/** A project's admin token can be rotated; `default`'s is HINDSIGHT_ADMIN_TOKEN (the environment's). */
export function AdminTokenCard({ projectId }: { projectId: string }) {
  const [confirming, setConfirming] = useState(false);
  const [token, setToken] = useState('');
  const [error, setError] = useState('');

  const rotate = async () => {
    setError('');
    try {
      setToken((await rotateAdminToken()).adminToken);
      setConfirming(false);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section className="card" aria-labelledby="admin-token-title">
      <h2 id="admin-token-title">Admin token</h2>
      {projectId === 'default' ? (
        <p className="muted small">
          The default project’s admin is the server admin token, <code>HINDSIGHT_ADMIN_TOKEN</code>. Rotate it by changing that variable and restarting the server (every
          viewer session then has to sign in again).
        </p>
      ) : (
        <>
          <p className="muted small">Reads and defines this project only. Rotating it ends every session signed in with the old token.</p>
          {token && <SecretOnce title="New admin token" secrets={[['Admin token', token]]} onDone={() => setToken('')} />}
          {confirming ? (
            <span className="confirm" role="group" aria-label="Confirm rotating the admin token">
              The old token stops working at once.
              <button type="button" className="btn danger small" onClick={rotate} data-testid="confirm-rotate">
                Rotate
              </button>
              <button type="button" className="btn small" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </span>
          ) : (
            <button type="button" className="btn" onClick={() => setConfirming(true)} data-testid="rotate-admin-token">
              Rotate admin token
            </button>
          )}
          {error && (
            <p className="error-text" role="alert">
              {error}
            </p>
          )}
        </>
      )}
    </section>
  );
}
