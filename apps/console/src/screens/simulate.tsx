import { useState } from 'preact/hooks';
import { Field, Notice } from '../components/field.js';
import type { AccountScope } from '../scope.js';
import { useFormAction } from '../use-form-action.js';

/** Inbound traffic from the outside world to one of the account's numbers (demo server only). */
export function SimulateForm({ scope, numbers }: { scope: AccountScope; numbers: string[] }) {
  const [kind, setKind] = useState<'call' | 'sms'>('call');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [message, setMessage] = useState('');
  const form = useFormAction(['from', 'to', 'message']);
  const { errors } = form;
  const target = to === '' ? numbers[0] : to;

  const submit = form.onSubmit(async () => {
    if (kind === 'call') {
      await scope.client.simulate.call({ from, to: target ?? '' });
      return `Incoming call to ${target}.`;
    }
    await scope.client.simulate.sms({ from, to: target ?? '', message });
    return `An SMS arrived at ${target}.`;
  });

  return (
    <form onSubmit={submit} aria-labelledby="simulate-title" noValidate>
      <h3 id="simulate-title">Simulate inbound traffic</h3>
      <fieldset>
        <legend>What arrives</legend>
        <label class="choice">
          <input
            type="radio"
            name="simulate-kind"
            checked={kind === 'call'}
            onChange={() => setKind('call')}
          />{' '}
          A call
        </label>
        <label class="choice">
          <input type="radio" name="simulate-kind" checked={kind === 'sms'} onChange={() => setKind('sms')} />{' '}
          An SMS
        </label>
      </fieldset>
      <Field label="From (outside number)" error={errors.from}>
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            type="tel"
            autoComplete="off"
            value={from}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onInput={(e) => setFrom(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field label="To (your number)" error={errors.to}>
        {({ id, describedBy, invalid }) => (
          <select
            id={id}
            value={target}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onChange={(e) => setTo(e.currentTarget.value)}
          >
            {numbers.map((tn) => (
              <option key={tn} value={tn}>
                {tn}
              </option>
            ))}
          </select>
        )}
      </Field>
      {kind === 'sms' ? (
        <Field label="Inbound message" error={errors.message}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              value={message}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => setMessage(e.currentTarget.value)}
            />
          )}
        </Field>
      ) : null}
      <button type="submit" disabled={form.busy}>
        {kind === 'call' ? 'Simulate inbound call' : 'Simulate inbound SMS'}
      </button>
      {form.notice === undefined ? null : <Notice kind={form.notice.kind}>{form.notice.text}</Notice>}
    </form>
  );
}
