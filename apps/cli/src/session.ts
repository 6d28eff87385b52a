import type { AuthStrategy, SessionAuth } from '@callwire/auth-core';
import { describeAccount, matchAccount } from './account-selection.js';
import { type KnownAccount, updateProfile } from './config/config-file.js';
import { CredentialStore } from './config/credentials-store.js';
import type { Context } from './context.js';
import { CliError, NoAccountSelectedError } from './errors.js';
import type { AccountApi, PrincipalApi } from './sdk/api.js';
import { debugFetch } from './sdk/debug-fetch.js';
import { createRestApi } from './sdk/rest-api.js';

/** auth-core's store key for the login's own session (the others are account uuids). */
const DEFAULT_SESSION_KEY = 'default';

/** The logged-in principal for one run: its auth strategy and the API on top of it. */
export interface CliSession {
  kind: 'session' | 'api_token';
  /** For whoami: where the credentials come from, never their value. */
  describe: string;
  auth: AuthStrategy;
  api: PrincipalApi;
  /** Binds the session to an account now (masquerade), so problems show at `use`/`login` time. */
  bind(accountId: string): Promise<void>;
  /** Revokes the session on the server (sessions only). */
  logout(): Promise<void>;
}

type RestClientModule = typeof import('@callwire/rest-client') & {
  /** Present with --debug only: the response validator and its schemas cost most of a command's start-up. */
  validateResponses?: typeof import('@callwire/rest-client/validation')['validateResponses'];
};

/**
 * The REST client, imported once a command needs the API. Its response validation only ever warns, and
 * those warnings only show with --debug, so the validator (and every schema it builds) is loaded then
 * only: an ordinary command starts without it.
 */
async function loadRest(ctx: Context): Promise<RestClientModule> {
  if (!ctx.options.debug) return import('@callwire/rest-client');
  const [client, validation] = await Promise.all([
    import('@callwire/rest-client'),
    import('@callwire/rest-client/validation'),
  ]);
  return { ...client, validateResponses: validation.validateResponses };
}

/**
 * The REST client for a strategy. With --debug, responses are checked against their schemas and a
 * mismatch is printed as a warning (never failing a command over a field the CLI may not even print).
 */
function restApi(ctx: Context, rest: RestClientModule, auth: AuthStrategy): PrincipalApi {
  const client = rest.createClient({
    baseUrl: ctx.settings.baseUrl,
    auth,
    fetch: fetchFor(ctx),
    ...(rest.validateResponses ? { validate: rest.validateResponses('warn') } : {}),
    userAgent: 'callwire-cli',
    logger: {
      warn: (message) => {
        if (ctx.options.debug) ctx.io.stderr.write(`${ctx.output.err.dim(`* ${message}`)}\n`);
      },
    },
    hooks: {
      afterResponse: [
        ({ request, response }) => {
          // Defence in depth for the account banner: the server names the account each scoped
          // request ran under (X-Account-Id). If it is not the one asked for, stop right here.
          const asked = request.headers.get('x-account-id');
          const ran = response.headers.get('x-account-id');
          if (asked && ran && asked.toLowerCase() !== ran.toLowerCase()) {
            throw new CliError(
              `The server ran this request on account ${ran}, not on ${asked} as asked.`,
              'Nothing further was sent. Check `callwire whoami` and the server version.',
            );
          }
        },
      ],
    },
  });
  return createRestApi(client);
}

function fetchFor(ctx: Context): typeof fetch {
  const base = ctx.io.fetch ?? globalThis.fetch;
  return ctx.options.debug ? debugFetch(base, ctx.io.stderr, ctx.secrets, ctx.output.err) : base;
}

/** Keeps every token this run sees in the redaction list, whatever path it took to arrive. */
function trackSecrets(ctx: Context, auth: AuthStrategy): void {
  auth.onChange((change) => {
    if (change.session) {
      ctx.secrets.add(change.session.token);
      ctx.secrets.add(change.session.refreshToken);
    }
  });
}

function sessionFromAuth(
  ctx: Context,
  rest: RestClientModule,
  auth: SessionAuth,
  username: string,
): CliSession {
  trackSecrets(ctx, auth);
  return {
    kind: 'session',
    describe: `session for ${username} (stored in ${ctx.paths.credentials})`,
    auth,
    api: restApi(ctx, rest, auth),
    bind: async (accountId) => {
      const child = auth.forAccount(accountId);
      trackSecrets(ctx, child);
      await child.token();
    },
    logout: async () => {
      // Sessions bound to other accounts (masquerade) by earlier runs live only in the store; make
      // them known so the root's logout revokes each of them on the server, not just locally.
      const stored = await new CredentialStore(ctx.paths.credentials).get(ctx.settings.profileName);
      if (stored?.type === 'session') {
        for (const key of Object.keys(stored.sessions)) if (key !== DEFAULT_SESSION_KEY) auth.forAccount(key);
      }
      await auth.logout();
    },
  };
}

function tokenSession(
  ctx: Context,
  rest: RestClientModule,
  auth: AuthStrategy,
  describe: string,
): CliSession {
  return {
    kind: 'api_token',
    describe,
    auth,
    api: restApi(ctx, rest, auth),
    bind: async () => {},
    logout: async () => {},
  };
}

/**
 * Opens the principal for this run: CALLWIRE_TOKEN first (CI), else the profile's stored
 * credentials. Sessions are restored from the credentials file; rotated tokens are written back by
 * auth-core through the file-backed session store, so a refresh in one run is not lost to the next.
 */
export async function openSession(
  ctx: Context,
  options: { ignoreEnvToken?: boolean } = {},
): Promise<CliSession> {
  if (ctx.settings.envToken && !options.ignoreEnvToken) {
    const [{ createTokenAuth }, rest] = await Promise.all([import('@callwire/auth-core'), loadRest(ctx)]);
    return tokenSession(
      ctx,
      rest,
      createTokenAuth({ token: ctx.settings.envToken }),
      'API token from CALLWIRE_TOKEN',
    );
  }
  const store = new CredentialStore(ctx.paths.credentials);
  const stored = await store.get(ctx.settings.profileName);
  if (stored === undefined) {
    throw new CliError(
      `Not logged in${ctx.settings.profileName === 'default' ? '' : ` (profile ${ctx.settings.profileName})`}.`,
      'Run `callwire login`, or set CALLWIRE_TOKEN to an API token.',
    );
  }
  // The SDK (and zod under it) is imported only once there is something to authenticate with.
  const [{ createSessionAuth, createTokenAuth }, rest] = await Promise.all([
    import('@callwire/auth-core'),
    loadRest(ctx),
  ]);
  if (stored.type === 'api_token') {
    ctx.secrets.add(stored.token);
    return tokenSession(
      ctx,
      rest,
      createTokenAuth({ token: stored.token }),
      `API token (stored in ${ctx.paths.credentials})`,
    );
  }
  for (const record of Object.values(stored.sessions)) {
    ctx.secrets.add(record.token);
    ctx.secrets.add(record.refreshToken);
  }
  const auth = createSessionAuth({
    baseUrl: ctx.settings.baseUrl,
    store: store.sessionStore(ctx.settings.profileName, stored.username) as never,
    fetch: fetchFor(ctx),
  });
  return sessionFromAuth(ctx, rest, auth, stored.username);
}

/** Logs in with a password; the session (never the password) is written to the credentials file. */
export async function passwordLogin(
  ctx: Context,
  credentials: { username: string; password: string },
): Promise<{ session: CliSession; user: { uuid: string | undefined; email: string } }> {
  const [{ createSessionAuth }, rest] = await Promise.all([import('@callwire/auth-core'), loadRest(ctx)]);
  const store = new CredentialStore(ctx.paths.credentials);
  const auth = createSessionAuth({
    baseUrl: ctx.settings.baseUrl,
    username: credentials.username,
    password: credentials.password,
    // replace: the first session stored replaces what the profile held (another user's included).
    store: store.sessionStore(ctx.settings.profileName, credentials.username, { replace: true }) as never,
    fetch: fetchFor(ctx),
  });
  const previous = await store.get(ctx.settings.profileName);
  const session = sessionFromAuth(ctx, rest, auth, credentials.username);
  await auth.token();
  if (previous?.type === 'session')
    await revokeQuietly(
      ctx,
      ctx.settings.baseUrl,
      Object.values(previous.sessions).map((r) => r.refreshToken),
    );
  return { session, user: { uuid: auth.session()?.userId, email: credentials.username } };
}

/**
 * Ends sessions on the server that are being forgotten locally (replaced by a new login, or their
 * profile removed), so their refresh tokens do not stay alive unseen. Logging out with the refresh
 * token works after the access token expired and revokes the whole sign-in. Best effort: a server
 * that does not answer within a few seconds is not worth failing the command over.
 */
export async function revokeQuietly(ctx: Context, baseUrl: string, refreshTokens: string[]): Promise<void> {
  const fetchImpl = ctx.io.fetch ?? globalThis.fetch;
  await Promise.allSettled(
    refreshTokens.map((refreshToken) =>
      fetchImpl(`${baseUrl}/rest/auth/logout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: refreshToken }),
        signal: AbortSignal.timeout(3000),
      }).then((response) => response.body?.cancel()),
    ),
  );
}

/** Checks an API token by listing its accounts, for `login --with-token`. */
export async function tokenLogin(ctx: Context, token: string): Promise<CliSession> {
  const [{ createTokenAuth }, rest] = await Promise.all([import('@callwire/auth-core'), loadRest(ctx)]);
  return tokenSession(ctx, rest, createTokenAuth({ token }), 'API token');
}

export interface ActingAccount {
  session: CliSession;
  api: AccountApi;
  account: KnownAccount;
}

/**
 * The account a scoped command acts on, and the API bound to it. The seed's caveat is the product:
 * a login that can act on several accounts must name one (`callwire use`, --account,
 * CALLWIRE_ACCOUNT_ID); the CLI never falls back to the server's default account silently. The
 * account is printed on stderr before anything happens, so nobody sends from the wrong one.
 */
export async function actingAccount(ctx: Context): Promise<ActingAccount> {
  const session = await openSession(ctx);
  const { settings } = ctx;
  let accounts: readonly KnownAccount[] = session.kind === 'session' ? (settings.profile.accounts ?? []) : [];
  let account: KnownAccount | undefined;
  const refresh = async () => {
    const fresh = await session.api.accounts();
    accounts = fresh.map((a) => ({ uuid: a.uuid, name: a.name, access: a.access, default: a.default }));
    if (session.kind === 'session') {
      await updateProfile(ctx.paths.config, settings.profileName, (p) => ({ ...p, accounts: [...accounts] }));
    }
  };
  if (settings.account) {
    const wanted = settings.account;
    const known = accounts.find((a) => a.uuid === wanted || a.name.toLowerCase() === wanted.toLowerCase());
    if (known) account = known;
    else {
      await refresh();
      account = matchAccount(wanted, accounts);
    }
  } else {
    if (accounts.length === 0) await refresh();
    if (accounts.length === 1) account = accounts[0];
    else if (session.kind === 'api_token' && accounts.length > 1) {
      // An API token is bound to the account that created it: that is the one it acts on.
      const bound = await session.api.tokenAccount().account();
      account = accounts.find((a) => a.uuid === bound.uuid) ?? { uuid: bound.uuid, name: bound.name };
    } else if (accounts.length > 1) throw new NoAccountSelectedError([...accounts]);
  }
  if (account === undefined) throw new CliError('This login cannot act on any account.');
  ctx.output.info(ctx.output.err.dim(`Account: ${describeAccount(account)}`));
  return { session, account, api: session.api.forAccount(account.uuid) };
}
