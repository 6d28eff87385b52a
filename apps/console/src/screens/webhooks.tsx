import type { EventSubscription, WebhookDelivery } from '@callwire/types';
import { useState } from 'preact/hooks';
import { Field, Notice } from '../components/field.js';
import { SecretOnce } from '../components/secret.js';
import { describeError } from '../errors.js';
import { formatTime } from '../format.js';
import { type AccountScope, canWrite } from '../scope.js';
import { useAsync } from '../use-async.js';
import { useFormAction } from '../use-form-action.js';

/** Webhook subscriptions: create (signing secret shown once), delete, and their recent deliveries. */
export function WebhooksScreen({ scope }: { scope: AccountScope }) {
  const { client } = scope;
  const subscriptions = useAsync(
    async () => (await client.events.subscriptions.list().toArray()).filter((s) => s.channel === 'webhook'),
    [client],
  );
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState('*');
  const form = useFormAction(['url', 'types']);
  const { errors } = form;
  const [fresh, setFresh] = useState<EventSubscription | undefined>();
  const [open, setOpen] = useState<string | undefined>();

  const create = form.onSubmit(async () => {
    const patterns = types
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    const created = await client.events.subscriptions.create({ channel: 'webhook', url, types: patterns });
    setUrl('');
    setFresh(created);
    subscriptions.reload();
    return undefined;
  });

  const remove = (subscription: EventSubscription) =>
    form.run(async () => {
      await client.events.subscriptions.delete(subscription.uuid);
      if (open === subscription.uuid) setOpen(undefined);
      subscriptions.reload();
      return `Webhook to ${subscription.url} deleted.`;
    });

  const list = subscriptions.state.status === 'ok' ? subscriptions.state.value : [];
  return (
    <section aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      {fresh?.signing_secret === undefined ? null : (
        <SecretOnce
          label={`Signing secret for ${fresh.url}`}
          secret={fresh.signing_secret}
          onDone={() => setFresh(undefined)}
        />
      )}
      {canWrite(scope) ? (
        <form onSubmit={create} aria-labelledby="webhook-form-title" noValidate>
          <h3 id="webhook-form-title">Add a webhook</h3>
          <Field
            label="Endpoint URL"
            hint="http(s) URL that receives each event as a signed POST"
            error={errors.url}
          >
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                type="url"
                value={url}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                onInput={(e) => setUrl(e.currentTarget.value)}
              />
            )}
          </Field>
          <Field
            label="Event types"
            hint="Comma-separated: * for all, call.* for a family, or types such as sms.delivered"
            error={errors.types}
          >
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                value={types}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                onInput={(e) => setTypes(e.currentTarget.value)}
              />
            )}
          </Field>
          <button type="submit" disabled={form.busy}>
            Add webhook
          </button>
        </form>
      ) : null}
      {form.notice === undefined ? null : <Notice kind={form.notice.kind}>{form.notice.text}</Notice>}
      <h3>Subscriptions</h3>
      {subscriptions.state.status === 'error' ? (
        <Notice kind="error">{describeError(subscriptions.state.error)}</Notice>
      ) : null}
      {subscriptions.state.status === 'ok' && list.length === 0 ? (
        <p class="muted">No webhooks yet.</p>
      ) : null}
      {list.length === 0 ? null : (
        <table>
          <caption class="visually-hidden">Webhook subscriptions</caption>
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Event types</th>
              <th scope="col">Active</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.uuid}>
                <td>{s.url}</td>
                <td>{s.types.join(', ')}</td>
                <td>{s.is_active ? 'yes' : 'no'}</td>
                <td class="actions">
                  <button
                    type="button"
                    aria-expanded={open === s.uuid}
                    onClick={() => setOpen(open === s.uuid ? undefined : s.uuid)}
                    aria-label={`Deliveries to ${s.url}`}
                  >
                    Deliveries
                  </button>
                  {canWrite(scope) ? (
                    <button
                      type="button"
                      onClick={() => remove(s)}
                      aria-label={`Delete the webhook to ${s.url}`}
                    >
                      Delete
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open === undefined ? null : <Deliveries scope={scope} subscription={open} />}
    </section>
  );
}

function attemptsText(delivery: WebhookDelivery): string {
  const log = delivery.attempt_log ?? [];
  if (log.length === 0) return delivery.last_status === null ? '—' : String(delivery.last_status);
  return log.map((a) => `#${a.attempt}: ${a.status ?? a.error ?? 'no answer'}`).join(', ');
}

function Deliveries({ scope, subscription }: { scope: AccountScope; subscription: string }) {
  const deliveries = useAsync(
    () => scope.client.events.deliveries(subscription).page({ take: 20 }),
    [scope.client, subscription],
  );
  return (
    <div>
      <h3>Recent deliveries</h3>
      <button type="button" onClick={deliveries.reload}>
        Refresh deliveries
      </button>
      {deliveries.state.status === 'loading' ? <p class="muted">Loading…</p> : null}
      {deliveries.state.status === 'error' ? (
        <Notice kind="error">{describeError(deliveries.state.error)}</Notice>
      ) : null}
      {deliveries.state.status === 'ok' && deliveries.state.value.data.length === 0 ? (
        <p class="muted">No deliveries yet.</p>
      ) : null}
      {deliveries.state.status === 'ok' && deliveries.state.value.data.length > 0 ? (
        <table>
          <caption class="visually-hidden">Recent deliveries, newest event first</caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Seq</th>
              <th scope="col">State</th>
              <th scope="col">Attempts</th>
              <th scope="col">Status codes</th>
              <th scope="col">Last try</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.state.value.data.map((d) => (
              <tr key={d.uuid}>
                <td>
                  <code>{d.event_type}</code>
                </td>
                <td>{d.seq}</td>
                <td>
                  <span class={`state state-${d.state}`}>{d.state}</span>
                </td>
                <td>{d.attempts}</td>
                <td>{attemptsText(d)}</td>
                <td>
                  <time dateTime={d.modified_on}>{formatTime(d.modified_on)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
