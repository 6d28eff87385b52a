import { useEffect, useRef } from 'preact/hooks';

/**
 * A secret shown exactly once (an API token, a signing secret). It is kept in this component's
 * props only: once dismissed, nothing in the console can show it again.
 */
export function SecretOnce({ label, secret, onDone }: { label: string; secret: string; onDone: () => void }) {
  const box = useRef<HTMLElement>(null);
  // Move focus to the secret so keyboard and screen reader users find it at once.
  useEffect(() => box.current?.focus(), []);
  return (
    <section class="secret" aria-label={label} tabIndex={-1} ref={box}>
      <p>
        <strong>{label}</strong>: copy it now, it is not shown again.
      </p>
      <code class="secret-value">{secret}</code>
      <button type="button" onClick={() => void navigator.clipboard?.writeText(secret)}>
        Copy
      </button>{' '}
      <button type="button" onClick={onDone}>
        I have stored it
      </button>
    </section>
  );
}
