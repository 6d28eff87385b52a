import type { Account, Lease } from '@callwire/types';
import { useEffect, useState } from 'preact/hooks';
import { Notice } from '../components/field.js';
import { describeError } from '../errors.js';
import { formatMoney, formatTime } from '../format.js';
import type { AccountScope } from '../scope.js';
import { useStore } from '../store.js';
import { useAsync } from '../use-async.js';

/** Balance (live), the account's numbers with their features, and the latest activity. */
export function Overview({ scope }: { scope: AccountScope }) {
  const { client, feed } = scope;
  const [account, setAccount] = useState<Account | undefined>();
  const [error, setError] = useState<unknown>();
  const numbers = useAsync(() => client.numbers.list().toArray(), [client]);
  const events = useStore(feed.events);

  useEffect(() => {
    client.accounts.current().then(setAccount, setError);
    return feed.onEvent((event) => {
      if (event.type === 'account.balance.changed' || event.type === 'account.updated')
        setAccount(event.payload);
      if (event.type === 'tn.updated' || event.type === 'tn.released') numbers.reload();
    });
  }, [client, feed, numbers.reload]);

  return (
    <section aria-labelledby="overview-title">
      <h2 id="overview-title">Overview</h2>
      {error === undefined ? null : <Notice kind="error">{describeError(error)}</Notice>}
      <div class="cards">
        <section class="card" aria-labelledby="balance-title">
          <h3 id="balance-title">Balance</h3>
          <p class="big" aria-live="polite">
            {account === undefined ? 'Loading…' : formatMoney(account.balance)}
          </p>
          {account === undefined ? null : <p class="muted">Level {account.level.replace('Level', '')}</p>}
        </section>
      </div>
      <h3>Numbers</h3>
      <NumbersTable state={numbers.state} />
      <h3>Recent activity</h3>
      {events.length === 0 ? (
        <p class="muted">Nothing yet. Send an SMS or place a call and it appears here.</p>
      ) : (
        <ul class="activity" aria-label="Recent activity">
          {events.slice(0, 10).map((event) => (
            <li key={event.uuid}>
              <time dateTime={event.created_on}>{formatTime(event.created_on)}</time> {event.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function NumbersTable({ state }: { state: ReturnType<typeof useAsync<Lease[]>>['state'] }) {
  if (state.status === 'loading') return <p class="muted">Loading numbers…</p>;
  if (state.status === 'error') return <Notice kind="error">{describeError(state.error)}</Notice>;
  if (state.value.length === 0) return <p class="muted">This account has no numbers yet.</p>;
  return (
    <table>
      <caption class="visually-hidden">Numbers of this account</caption>
      <thead>
        <tr>
          <th scope="col">Number</th>
          <th scope="col">Location</th>
          <th scope="col">Capabilities</th>
          <th scope="col">Voice</th>
          <th scope="col">SMS</th>
          <th scope="col">Renews</th>
        </tr>
      </thead>
      <tbody>
        {state.value.map((lease) => (
          <tr key={lease.uuid}>
            <td>{lease.tn}</td>
            <td>
              {lease.city}, {lease.state}
            </td>
            <td>{lease.features.join(', ')}</td>
            <td>{lease.voice ? 'on' : 'off'}</td>
            <td>{lease.sms ? 'on' : 'off'}</td>
            <td>{lease.autorenew ? 'monthly' : 'no'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
