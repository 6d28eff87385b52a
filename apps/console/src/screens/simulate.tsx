import { useState } from 'preact/hooks';
import { Field, Notice } from '../components/field.js';
import { describeError, fieldErrors } from '../errors.js';
import type { AccountScope } from '../scope.js';

/** Inbound traffic from the outside world to one of the account's numbers (demo server only). */
export function SimulateForm({ scope, numbers }: { scope: AccountScope; numbers: string[] }) {
  const [kind, setKind] = useState<'call' | 'sms'>('call');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [message, setMessage] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [result, setResult] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>();
  const target = to === '' ? numbers[0] : to;

  const submit = async (e: Event) => {
    e.preventDefault();
    setResult(undefined);
    try {
      if (kind === 'call') await scope.client.simulate.call({ from, to: target ?? '' });
      else await scope.client.simulate.sms({ from, to: target ?? '', message });
      setErrors({});
      setResult({
        kind: 'ok',
        text: kind === 'call' ? `Incoming call to ${target}.` : `An SMS arrived at ${target}.`,
      });
    } catch (error) {
      const fields = fieldErrors(error);
      setErrors(fields);
      setResult({
        kind: 'error',
        text: Object.keys(fields).length > 0 ? 'Check the highlighted fields.' : describeError(error),
      });
    }
  };

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
      <button type="submit">{kind === 'call' ? 'Simulate inbound call' : 'Simulate inbound SMS'}</button>
      {result === undefined ? null : <Notice kind={result.kind}>{result.text}</Notice>}
    </form>
  );
}
