import { useState, type FormEvent } from 'react';
import { ApiError, login } from '../api';
import { useTitle } from '../lib/router';
import { useAction } from '../lib/useAction';

const loginError = (err: unknown) => (err instanceof ApiError && (err.status === 401 || err.status === 403) ? 'That token is not valid.' : (err as Error).message);

export function LoginPage({ onLoggedIn }: { onLoggedIn: () => void }) {
  useTitle('Log in');
  const [token, setToken] = useState('');
  const { busy, error, setError, run } = useAction(loginError);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!token.trim()) return setError('Enter the admin token.');
    if (await run(() => login(token.trim()))) onLoggedIn();
  };

  return (
    <div className="login">
      <form className="login-card" onSubmit={submit} noValidate>
        <div className="brand login-brand">
          <span className="brand-mark" aria-hidden="true">
            ◐
          </span>
          Hindsight
        </div>
        <h1>Sign in</h1>
        <p className="muted">Use the admin token printed when the server started (HINDSIGHT_ADMIN_TOKEN).</p>
        <label className="field">
          <span>Admin token</span>
          <input
            type="password"
            autoComplete="current-password"
            autoFocus
            value={token}
            onChange={(e) => setToken(e.target.value)}
            data-testid="login-token"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'login-error' : undefined}
          />
        </label>
        {error && (
          <p className="error-text" id="login-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" className="btn primary wide" disabled={busy} data-testid="login-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
