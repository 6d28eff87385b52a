import { useState } from 'preact/hooks';
import { describeError, fieldErrors } from './errors.js';

/** A form-level message under a form or a list: an error, or a confirmation. */
export interface NoticeMessage {
  kind: 'ok' | 'error';
  text: string;
}

/**
 * What a form needs around the request it sends: the busy state (so a second click does not send
 * twice), each field's error next to its input, and one message for the whole form.
 *
 * `fields` names the form's inputs. When the server's errors all name one of them, the form says
 * "Check the highlighted fields."; an error that names no input of this form would be invisible
 * next to the fields, so the whole message is shown instead.
 */
export function useFormAction(fields: readonly string[]) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<NoticeMessage | undefined>();
  const [busy, setBusy] = useState(false);

  /** Runs `action`; the text it resolves to becomes the confirmation (none when it resolves to nothing). */
  const run = async (action: () => Promise<string | undefined>): Promise<void> => {
    setBusy(true);
    setNotice(undefined);
    try {
      const confirmation = await action();
      setErrors({});
      if (confirmation !== undefined) setNotice({ kind: 'ok', text: confirmation });
    } catch (error) {
      const byField = fieldErrors(error);
      const named = Object.keys(byField);
      setErrors(byField);
      const allShown = named.length > 0 && named.every((name) => fields.includes(name));
      setNotice({ kind: 'error', text: allShown ? 'Check the highlighted fields.' : describeError(error) });
    } finally {
      setBusy(false);
    }
  };

  /** An `onSubmit` handler that keeps the browser from navigating and runs `action`. */
  const onSubmit = (action: () => Promise<string | undefined>) => (event: Event) => {
    event.preventDefault();
    void run(action);
  };

  return { errors, notice, busy, run, onSubmit };
}
