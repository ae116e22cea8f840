import { useState } from 'react';
import { gql, Q, session } from '../api';

interface Props {
  reason: string | null;
  onSignedIn(role: string): void;
}

export function Login({ reason, onSignedIn }: Props) {
  const [token, setToken] = useState('');
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (ev: React.FormEvent) => {
    ev.preventDefault();
    const t = token.trim();
    if (!t) return;
    setBusy(true);
    setError(null);
    session.save(t, null, remember);
    try {
      const d = await gql<{ me: { role: string } }>(Q.me);
      onSignedIn(d.me.role);
    } catch (err) {
      session.clear();
      setError(
        (err as Error).message === 'your session has ended'
          ? 'that token is not valid here'
          : (err as Error).message,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login" data-testid="login">
      <h1>
        <span className="logo" aria-hidden="true">
          ◆
        </span>{' '}
        accessgraph
      </h1>
      <p className="lede">Who can reach this resource, through which path, and should they?</p>
      {reason && (
        <p className="warn" role="alert" data-testid="login-reason">
          {reason}
        </p>
      )}
      <section>
        <h2>Sign in with a login link</h2>
        <p>
          <code>accessgraph serve</code> (or <code>npm start</code>, or <code>accessgraph demo</code>) prints
          a one-time link like <code>http://127.0.0.1:4000/login#code=agl_…</code>. Open it in this browser;
          it signs you in and is then used up. Links expire after 15 minutes: restart the server to print a
          new one.
        </p>
      </section>
      <section>
        <h2>…or paste an API token</h2>
        <p>
          Create one on the machine running the server: <code>accessgraph token create --role viewer</code>{' '}
          (the token is on the last line).
        </p>
        <form onSubmit={submit}>
          <input
            type="password"
            autoComplete="off"
            aria-label="API token"
            placeholder="API token"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            data-testid="token-input"
          />
          <label className="check">
            <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} /> keep
            me signed in on this browser
          </label>
          <button type="submit" disabled={busy || !token.trim()}>
            {busy ? 'Checking…' : 'Sign in'}
          </button>
        </form>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </section>
    </main>
  );
}
