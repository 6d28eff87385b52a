import type { Call } from '@callwire/types';
import { useEffect, useState } from 'preact/hooks';
import { Field, Notice } from '../components/field.js';
import { numbersWith, upsert } from '../components/numbers.js';
import { describeError } from '../errors.js';
import { formatTime } from '../format.js';
import { type AccountScope, canWrite } from '../scope.js';
import { useAsync } from '../use-async.js';
import { useFormAction } from '../use-form-action.js';
import { SimulateForm } from './simulate.js';

const ENDED = new Set(['hangup', 'destroyed']);

/** Add a state to a call's history unless it is already the last one. */
function extend(trail: readonly string[] | undefined, state: string): string[] {
  const list = trail ?? [];
  return list[list.length - 1] === state ? [...list] : [...list, state];
}

/** Place calls, hang up, simulate inbound traffic, and watch every call's state change live. */
export function CallsScreen({ scope }: { scope: AccountScope }) {
  const { client, feed } = scope;
  const voiceNumbers = useAsync(() => numbersWith(client, 'voice'), [client]);
  const [calls, setCalls] = useState<Call[]>([]);
  const [trails, setTrails] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    let current = true;
    client.calls
      .search({}, { pageSize: 50 })
      .page({ take: 50 })
      .then((page) => current && setCalls((old) => page.data.reduce((list, call) => upsert(list, call), old)))
      .catch((e: unknown) => current && setError(e));
    const off = feed.onEvent((event) => {
      if (!event.type.startsWith('call.')) return;
      const call = event.payload as Call;
      setCalls((old) => upsert(old, call));
      setTrails((old) => ({ ...old, [call.uuid]: extend(old[call.uuid], call.state) }));
    });
    return () => {
      current = false;
      off();
    };
  }, [client, feed]);

  const numbers = voiceNumbers.state.status === 'ok' ? voiceNumbers.state.value : [];
  const hangup = async (call: Call) => {
    setError(undefined);
    try {
      setCalls((old) => upsert(old, call));
      await client.calls.hangup(call.uuid);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section aria-labelledby="calls-title">
      <h2 id="calls-title">Calls</h2>
      {canWrite(scope) ? (
        <div class="columns">
          <PlaceCallForm scope={scope} numbers={numbers} />
          <SimulateForm scope={scope} numbers={numbers} />
        </div>
      ) : (
        <p class="muted">Your access to this account is read-only.</p>
      )}
      <h3>Calls</h3>
      {error === undefined ? null : <Notice kind="error">{describeError(error)}</Notice>}
      {calls.length === 0 ? (
        <p class="muted">No calls yet.</p>
      ) : (
        <table>
          <caption class="visually-hidden">Calls, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Direction</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">State</th>
              <th scope="col">History</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {calls.map((call) => (
              <tr key={call.uuid}>
                <td>
                  <time dateTime={call.init_on}>{formatTime(call.init_on)}</time>
                </td>
                <td>{call.direction === 'out' ? 'outbound' : 'inbound'}</td>
                <td>{call.from}</td>
                <td>{call.to}</td>
                <td>
                  <span class={`state state-${call.state}`}>{call.state}</span>
                </td>
                <td>{(trails[call.uuid] ?? [call.state]).join(' → ')}</td>
                <td>
                  {ENDED.has(call.state) || !canWrite(scope) ? null : (
                    <button
                      type="button"
                      onClick={() => hangup(call)}
                      aria-label={`Hang up the call to ${call.to}`}
                    >
                      Hang up
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function PlaceCallForm({ scope, numbers }: { scope: AccountScope; numbers: string[] }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const form = useFormAction(['from', 'to']);
  const { errors } = form;
  const caller = from === '' ? numbers[0] : from;

  const submit = form.onSubmit(async () => {
    const call = await scope.client.calls.create({ from: caller ?? '', to });
    return `Calling ${call.to}…`;
  });

  return (
    <form onSubmit={submit} aria-labelledby="call-form-title" noValidate>
      <h3 id="call-form-title">Place a call</h3>
      <Field label="Call from" error={errors.from}>
        {({ id, describedBy, invalid }) => (
          <select
            id={id}
            value={caller}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onChange={(e) => setFrom(e.currentTarget.value)}
          >
            {numbers.map((tn) => (
              <option key={tn} value={tn}>
                {tn}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Call to"
        hint="The simulated network answers any number except those ending 0486 (busy), 0408 (no answer), 0404 (unallocated)"
        error={errors.to}
      >
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            type="tel"
            autoComplete="off"
            value={to}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onInput={(e) => setTo(e.currentTarget.value)}
          />
        )}
      </Field>
      <button type="submit" disabled={form.busy}>
        Place call
      </button>
      {form.notice === undefined ? null : <Notice kind={form.notice.kind}>{form.notice.text}</Notice>}
    </form>
  );
}
