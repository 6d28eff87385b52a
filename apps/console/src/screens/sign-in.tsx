import { useState } from 'preact/hooks';
import { Field, Notice } from '../components/field.js';
import { describeError } from '../errors.js';
import { type ApiLocation, ConsoleSession } from '../session.js';

/** E-mail and password; every failure is a message on the form, and nothing of any account is shown. */
export function SignIn({
  api,
  onSignedIn,
  message,
}: {
  api: ApiLocation;
  onSignedIn: (session: ConsoleSession) => void;
  /** Why the user is here again (the session ended), shown until they try again. */
  message?: string | undefined;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>(message);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (email.trim() === '' || password === '') {
      setError('Enter your e-mail and password.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const session = await ConsoleSession.signIn(api, email.trim(), password);
      setPassword('');
      onSignedIn(session);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <h1>Sign in</h1>
      <p class="muted">to the Callwire console</p>
      <form onSubmit={submit} aria-label="Sign in" noValidate>
        <Field label="E-mail">
          {({ id }) => (
            <input
              id={id}
              type="email"
              autoComplete="username"
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Password">
          {({ id }) => (
            <input
              id={id}
              type="password"
              autoComplete="current-password"
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error === undefined ? null : <Notice kind="error">{error}</Notice>}
      </form>
    </main>
  );
}
