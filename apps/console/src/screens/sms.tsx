import type { Sms } from '@callwire/types';
import { useEffect, useState } from 'preact/hooks';
import { Field, Notice } from '../components/field.js';
import { numbersWith, upsert } from '../components/numbers.js';
import { describeError } from '../errors.js';
import { formatTime } from '../format.js';
import { type AccountScope, canWrite } from '../scope.js';
import { useAsync } from '../use-async.js';
import { useFormAction } from '../use-form-action.js';

/** Send an SMS and watch messages move through their states. */
export function SmsScreen({ scope }: { scope: AccountScope }) {
  const { client, feed } = scope;
  const senders = useAsync(() => numbersWith(client, 'sms'), [client]);
  const [messages, setMessages] = useState<Sms[]>([]);
  const [listError, setListError] = useState<unknown>();

  useEffect(() => {
    let current = true;
    client.sms
      .search({}, { pageSize: 50 })
      .page({ take: 50 })
      .then(
        (page) => current && setMessages((old) => page.data.reduce((list, sms) => upsert(list, sms), old)),
      )
      .catch((error: unknown) => current && setListError(error));
    const off = feed.onEvent((event) => {
      if (event.type.startsWith('sms.')) setMessages((old) => upsert(old, event.payload as Sms));
    });
    return () => {
      current = false;
      off();
    };
  }, [client, feed]);

  return (
    <section aria-labelledby="sms-title">
      <h2 id="sms-title">SMS</h2>
      {canWrite(scope) ? (
        <SendForm scope={scope} senders={senders.state.status === 'ok' ? senders.state.value : []} />
      ) : (
        <p class="muted">Your access to this account is read-only.</p>
      )}
      <h3>Messages</h3>
      {listError === undefined ? null : <Notice kind="error">{describeError(listError)}</Notice>}
      {messages.length === 0 ? (
        <p class="muted">No messages yet.</p>
      ) : (
        <table>
          <caption class="visually-hidden">Messages, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Direction</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Message</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((sms) => (
              <tr key={sms.uuid}>
                <td>
                  <time dateTime={sms.created_on}>{formatTime(sms.created_on)}</time>
                </td>
                <td>{sms.direction === 'out' ? 'sent' : 'received'}</td>
                <td>{sms.from}</td>
                <td>{sms.to}</td>
                <td>{sms.message}</td>
                <td>
                  <span class={`state state-${sms.state}`}>{sms.state}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function SendForm({ scope, senders }: { scope: AccountScope; senders: string[] }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [message, setMessage] = useState('');
  const form = useFormAction(['from', 'to', 'message']);
  const sender = from === '' ? senders[0] : from;
  const { errors } = form;

  const submit = form.onSubmit(async () => {
    const sms = await scope.client.sms.send({ from: sender ?? '', to, message });
    setMessage('');
    return `Message to ${sms.to} accepted.`;
  });

  return (
    <form onSubmit={submit} aria-labelledby="sms-send-title" noValidate>
      <h3 id="sms-send-title">Send an SMS</h3>
      <Field label="From" error={errors.from}>
        {({ id, describedBy, invalid }) => (
          <select
            id={id}
            value={sender}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onChange={(e) => setFrom(e.currentTarget.value)}
          >
            {senders.map((tn) => (
              <option key={tn} value={tn}>
                {tn}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="To" hint="A US phone number: +1 and ten digits, or just the ten digits" error={errors.to}>
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
      <Field label="Message" error={errors.message}>
        {({ id, describedBy, invalid }) => (
          <textarea
            id={id}
            rows={3}
            value={message}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onInput={(e) => setMessage(e.currentTarget.value)}
          />
        )}
      </Field>
      <button type="submit" disabled={form.busy}>
        Send SMS
      </button>
      {form.notice === undefined ? null : <Notice kind={form.notice.kind}>{form.notice.text}</Notice>}
    </form>
  );
}
