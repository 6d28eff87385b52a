import type { AccountAccess } from '@callwire/types';
import { useState } from 'preact/hooks';
import { describeError } from './errors.js';
import { AccountPicker } from './screens/account-picker.js';
import { SignIn } from './screens/sign-in.js';
import type { ApiLocation, ConsoleSession } from './session.js';
import { Shell } from './shell.js';

type Phase =
  | { name: 'signed-out'; error?: unknown; notice?: string }
  | { name: 'choose'; session: ConsoleSession; accounts: AccountAccess[]; current?: string }
  | { name: 'open'; session: ConsoleSession; accounts: AccountAccess[]; account: AccountAccess };

/**
 * Signed out → (several accounts: which one?) → one account open. Switching goes back through the
 * picker, and the open account's screens are unmounted first, so two accounts never share a view.
 */
export function App({ api }: { api: ApiLocation }) {
  const [phase, setPhase] = useState<Phase>({ name: 'signed-out' });

  const signedIn = async (session: ConsoleSession) => {
    session.onExpired(() => {
      session.dispose();
      setPhase({ name: 'signed-out', notice: 'Your session has ended. Sign in again to continue.' });
    });
    try {
      const accounts = await session.accounts();
      const only = accounts.length === 1 ? accounts[0] : undefined;
      setPhase(
        only === undefined
          ? { name: 'choose', session, accounts }
          : { name: 'open', session, accounts, account: only },
      );
    } catch (error) {
      await session.signOut().catch(() => undefined);
      setPhase({ name: 'signed-out', error });
    }
  };

  const signOut = (session: ConsoleSession) => {
    setPhase({ name: 'signed-out' });
    void session.signOut().catch(() => undefined);
  };

  switch (phase.name) {
    case 'signed-out':
      return (
        <SignIn
          api={api}
          onSignedIn={signedIn}
          message={phase.error === undefined ? phase.notice : describeError(phase.error)}
        />
      );
    case 'choose':
      return (
        <AccountPicker
          email={phase.session.email}
          accounts={phase.accounts}
          current={phase.current}
          onPick={(account) =>
            setPhase({ name: 'open', session: phase.session, accounts: phase.accounts, account })
          }
          onSignOut={() => signOut(phase.session)}
        />
      );
    case 'open':
      return (
        <Shell
          key={phase.account.uuid}
          session={phase.session}
          account={phase.account}
          canSwitch={phase.accounts.length > 1}
          onSwitch={() =>
            setPhase({
              name: 'choose',
              session: phase.session,
              accounts: phase.accounts,
              current: phase.account.uuid,
            })
          }
          onSignOut={() => signOut(phase.session)}
        />
      );
  }
}
