import type { AccountAccess } from '@callwire/types';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ConnectionIndicator } from './components/connection-indicator.js';
import { Notice } from './components/field.js';
import { describeError } from './errors.js';
import { LiveFeed } from './live-feed.js';
import { SCREENS, type ScreenId, useScreen } from './routes.js';
import type { AccountScope } from './scope.js';
import { CallsScreen } from './screens/calls.js';
import { Events } from './screens/events.js';
import { Overview } from './screens/overview.js';
import { ReportsScreen } from './screens/reports.js';
import { SmsScreen } from './screens/sms.js';
import { TokensScreen } from './screens/tokens.js';
import { WebhooksScreen } from './screens/webhooks.js';
import type { ConsoleSession } from './session.js';

const VIEWS: Record<ScreenId, (props: { scope: AccountScope }) => preact.JSX.Element> = {
  overview: Overview,
  events: Events,
  sms: SmsScreen,
  calls: CallsScreen,
  reports: ReportsScreen,
  webhooks: WebhooksScreen,
  tokens: TokensScreen,
};

/** Opens one account: its REST client and its live feed, both torn down when the account changes. */
function useAccountScope(session: ConsoleSession, account: AccountAccess) {
  const [scope, setScope] = useState<AccountScope | undefined>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let feed: LiveFeed | undefined;
    let current = true;
    const client = session.clientFor(account.uuid);
    // The newest seq first, so the timeline starts with recent history and continues live without a seam.
    client.events
      .backfill({ pageSize: 1 })
      .page()
      .then((page) => {
        if (!current) return;
        feed = new LiveFeed({
          wsUrl: session.api.wsUrl,
          baseUrl: session.api.baseUrl,
          auth: client.strategy,
          lastSeq: page.last_seq,
        });
        setScope({ account, client, feed });
      })
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
      feed?.dispose();
    };
  }, [session, account]);
  return { scope, error };
}

export function Shell({
  session,
  account,
  canSwitch,
  onSwitch,
  onSignOut,
}: {
  session: ConsoleSession;
  account: AccountAccess;
  canSwitch: boolean;
  onSwitch: () => void;
  onSignOut: () => void;
}) {
  const { scope, error } = useAccountScope(session, account);
  const screen = useScreen();
  const main = useRef<HTMLElement>(null);
  const View = VIEWS[screen];
  const label = SCREENS.find((s) => s.id === screen)?.label ?? '';
  useEffect(() => {
    document.title = `${label} · ${account.name} · Callwire console`;
    // After sign-in, an account switch or a screen change, keyboard and screen reader users start
    // at the new content instead of wherever the previous view left the focus.
    main.current?.focus({ preventScroll: true });
  }, [label, account.name]);

  return (
    <>
      {/* A button, not a #main link: the hash names the screen. */}
      <button type="button" class="skip" onClick={() => main.current?.focus()}>
        Skip to content
      </button>
      <header class="top">
        <p class="brand">Callwire console</p>
        <p class="account">
          <span class="muted">Account:</span> <strong>{account.name}</strong>{' '}
          <span class="muted">({account.access})</span>
        </p>
        {scope === undefined ? null : <ConnectionIndicator feed={scope.feed} />}
        <div class="session">
          <span class="muted">{session.email}</span>
          {canSwitch ? (
            <button type="button" onClick={onSwitch}>
              Switch account
            </button>
          ) : null}
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <nav aria-label="Screens">
        <ul>
          {SCREENS.map((s) => (
            <li key={s.id}>
              <a href={`#/${s.id}`} aria-current={s.id === screen ? 'page' : undefined}>
                {s.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1} ref={main}>
        {error === undefined ? null : <Notice kind="error">{describeError(error)}</Notice>}
        {scope === undefined ? (
          error === undefined ? (
            <p class="muted">Opening {account.name}…</p>
          ) : null
        ) : (
          <View scope={scope} />
        )}
      </main>
    </>
  );
}
