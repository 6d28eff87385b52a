import type { ApiToken } from '@callwire/types';
import { useState } from 'preact/hooks';
import { Field, Notice } from '../components/field.js';
import { SecretOnce } from '../components/secret.js';
import { describeError } from '../errors.js';
import type { AccountScope } from '../scope.js';
import { useAsync } from '../use-async.js';
import { useFormAction } from '../use-form-action.js';

const LIFETIMES = [
  { label: '1 hour', seconds: 3600 },
  { label: '1 day', seconds: 86_400 },
  { label: '30 days', seconds: 30 * 86_400 },
  { label: '1 year', seconds: 365 * 86_400 },
];

/** API tokens of this user on this account: create (the secret is shown once), list, revoke. */
export function TokensScreen({ scope }: { scope: AccountScope }) {
  const { client } = scope;
  const tokens = useAsync(() => client.auth.tokens.list().toArray(), [client]);
  const [name, setName] = useState('');
  const [ttl, setTtl] = useState(String(LIFETIMES[2]?.seconds));
  const form = useFormAction(['name', 'ttl']);
  const { errors } = form;
  const [fresh, setFresh] = useState<ApiToken | undefined>();

  const create = form.onSubmit(async () => {
    const token = await client.auth.tokens.create({ name, ttl: Number(ttl) });
    setName('');
    setFresh(token);
    tokens.reload();
    return undefined;
  });

  const revoke = (token: ApiToken) =>
    form.run(async () => {
      await client.auth.tokens.revoke(token.uuid);
      tokens.reload();
      return `Token “${token.name}” revoked.`;
    });

  return (
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <p class="muted">
        Tokens act as you on this account, for scripts and servers. Treat them like passwords.
      </p>
      {fresh?.token === undefined ? null : (
        <SecretOnce
          label={`New token “${fresh.name}”`}
          secret={fresh.token}
          onDone={() => setFresh(undefined)}
        />
      )}
      <form onSubmit={create} aria-labelledby="token-form-title" noValidate>
        <h3 id="token-form-title">Create a token</h3>
        <Field label="Token name" error={errors.name}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              value={name}
              autoComplete="off"
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Valid for" error={errors.ttl}>
          {({ id, describedBy, invalid }) => (
            <select
              id={id}
              value={ttl}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onChange={(e) => setTtl(e.currentTarget.value)}
            >
              {LIFETIMES.map((l) => (
                <option key={l.seconds} value={String(l.seconds)}>
                  {l.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" disabled={form.busy}>
          Create token
        </button>
      </form>
      {form.notice === undefined ? null : <Notice kind={form.notice.kind}>{form.notice.text}</Notice>}
      <h3>Your tokens</h3>
      {tokens.state.status === 'loading' ? <p class="muted">Loading…</p> : null}
      {tokens.state.status === 'error' ? (
        <Notice kind="error">{describeError(tokens.state.error)}</Notice>
      ) : null}
      {tokens.state.status === 'ok' && tokens.state.value.length === 0 ? (
        <p class="muted">No tokens yet.</p>
      ) : null}
      {tokens.state.status === 'ok' && tokens.state.value.length > 0 ? (
        <table>
          <caption class="visually-hidden">Your API tokens</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.state.value.map((token) => (
              <tr key={token.uuid}>
                <td>{token.name}</td>
                <td>
                  <time dateTime={token.expired_on}>
                    {new Date(token.expired_on).toLocaleString('en-GB')}
                  </time>
                </td>
                <td>
                  <button
                    type="button"
                    onClick={() => revoke(token)}
                    aria-label={`Revoke token ${token.name}`}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
