import type { AccountAccess } from '@callwire/types';
import { useEffect, useRef } from 'preact/hooks';

/**
 * A user with several accounts says which one to open: nothing account-scoped is loaded before,
 * and the server's default account is only marked, never chosen for them.
 */
export function AccountPicker({
  email,
  accounts,
  current,
  onPick,
  onSignOut,
}: {
  email: string;
  accounts: readonly AccountAccess[];
  current?: string | undefined;
  onPick: (account: AccountAccess) => void;
  onSignOut: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <main class="picker">
      <h1 tabIndex={-1} ref={heading}>
        Which account?
      </h1>
      <p class="muted">
        {email} can work in several accounts. Pick the one to open; you can switch at any time.
      </p>
      <ul class="account-list">
        {accounts.map((account) => (
          <li key={account.uuid}>
            <button
              type="button"
              onClick={() => onPick(account)}
              aria-current={account.uuid === current ? 'true' : undefined}
            >
              <strong>{account.name}</strong>
              <span class="muted">
                {' '}
                — {account.access} access{account.default ? ', your default' : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <button type="button" class="link" onClick={onSignOut}>
        Sign out
      </button>
    </main>
  );
}
