import type { Readable, Writable } from 'node:stream';
import { describeAccount, matchAccount } from '../account-selection.js';
import { type KnownAccount, updateProfile } from '../config/config-file.js';
import { CredentialStore } from '../config/credentials-store.js';
import type { Context } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { readAll } from '../io.js';
import { renderTable } from '../output/table.js';
import { openSession, passwordLogin, tokenLogin } from '../session.js';
import { toKnownAccounts } from './accounts.js';

interface LoginOptions {
  username?: string;
  passwordStdin?: boolean;
  withToken?: boolean;
}

type Prompts = typeof import('@clack/prompts');

/** Prompts read the run's stdin and draw on stderr, so stdout carries only the result. */
function promptStreams(ctx: Context): { input: Readable; output: Writable } {
  return { input: ctx.io.stdin as unknown as Readable, output: ctx.io.stderr as unknown as Writable };
}

async function ask(
  prompts: Prompts,
  value: string | symbol,
  streams?: { input: Readable; output: Writable },
): Promise<string> {
  if (prompts.isCancel(value)) {
    prompts.cancel('Login cancelled.', streams);
    throw new CliError('Login cancelled.');
  }
  return value as string;
}

/** Strips the one line ending `echo` or a file adds; a password may otherwise contain anything. */
function stripNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

/**
 * `callwire login`: interactive on a terminal (prompts), non-interactive with flags and env for
 * scripts. Stores the session and refresh token only, never the password.
 */
export async function login(ctx: Context, opts: LoginOptions): Promise<void> {
  const { settings, io } = ctx;
  if (opts.withToken) return loginWithToken(ctx);
  if (settings.envToken) {
    ctx.output.warn('CALLWIRE_TOKEN is set: commands will use it instead of the session stored now.');
  }
  const interactive = ctx.interactive && !opts.passwordStdin;
  const prompts: Prompts | undefined = interactive ? await import('@clack/prompts') : undefined;
  if (prompts && !ctx.output.json) prompts.intro(`Log in to ${settings.baseUrl}`, promptStreams(ctx));

  let username = opts.username ?? io.env.CALLWIRE_USERNAME;
  if (!username && prompts) {
    username = await ask(
      prompts,
      await prompts.text({
        message: 'Email',
        placeholder: 'you@example.com',
        ...(settings.profile.username ? { initialValue: settings.profile.username } : {}),
        validate: (v) => (v?.includes('@') ? undefined : 'Enter the email you log in with'),
        ...promptStreams(ctx),
      }),
      promptStreams(ctx),
    );
  }
  if (!username) {
    throw new UsageError(
      'No username given.',
      'Pass --username EMAIL (or set CALLWIRE_USERNAME), or run in a terminal.',
    );
  }

  let password: string | undefined;
  if (opts.passwordStdin) {
    password = stripNewline(await readAll(io.stdin));
    if (!password) throw new UsageError('--password-stdin read an empty password.');
  } else if (prompts) {
    password = await ask(
      prompts,
      await prompts.password({
        message: 'Password',
        validate: (v) => (v ? undefined : 'Enter your password'),
        ...promptStreams(ctx),
      }),
      promptStreams(ctx),
    );
  } else {
    throw new UsageError(
      'No password: stdin is not a terminal.',
      'Pipe it in: `printf %s "$PASSWORD" | callwire login --username EMAIL --password-stdin`.',
    );
  }
  ctx.secrets.add(password);

  const spin = prompts?.spinner(promptStreams(ctx));
  spin?.start('Logging in');
  let result: Awaited<ReturnType<typeof passwordLogin>>;
  try {
    // An explicit --account / CALLWIRE_ACCOUNT_ID binds the login; a stale choice from the config does not.
    result = await passwordLogin(ctx, { username, password });
  } catch (error) {
    spin?.error('Login failed');
    throw error;
  }
  spin?.stop(`Logged in as ${username}`);

  const accounts = toKnownAccounts(await result.session.api.accounts());
  let chosen: KnownAccount | undefined;
  const explicit =
    settings.accountSource === 'flag' || settings.accountSource === 'env' ? settings.account : undefined;
  if (explicit) chosen = matchAccount(explicit, accounts);
  else if (accounts.length === 1) chosen = accounts[0];
  else if (prompts && accounts.length > 1) {
    const picked = await ask(
      prompts,
      await prompts.select({
        message: 'This login can act on several accounts. Which one should commands act on?',
        options: accounts.map((a) => ({
          value: a.uuid,
          label: a.name,
          hint: `${a.access ?? ''}${a.default ? ', default' : ''}`,
        })),
        ...promptStreams(ctx),
      }),
      promptStreams(ctx),
    );
    chosen = accounts.find((a) => a.uuid === picked);
  }
  if (chosen) await result.session.bind(chosen.uuid);

  await updateProfile(
    ctx.paths.config,
    settings.profileName,
    (p) => {
      const next = { ...p, base_url: settings.baseUrl, username, accounts };
      delete next.account_id;
      delete next.account_name;
      if (chosen) Object.assign(next, { account_id: chosen.uuid, account_name: chosen.name });
      return next;
    },
    { claimDefault: true },
  );

  ctx.output.result(
    {
      profile: settings.profileName,
      base_url: settings.baseUrl,
      user: result.user,
      account: chosen ?? null,
      accounts,
    },
    () => '',
  );
  if (prompts && !ctx.output.json) prompts.outro('Done', promptStreams(ctx));
  ctx.output.success(`Logged in to ${settings.baseUrl} as ${username} (profile ${settings.profileName})`);
  if (chosen) ctx.output.success(`Commands act on ${describeAccount(chosen)}`);
  else if (accounts.length > 1) {
    ctx.output.info(
      `${ctx.output.err.yellow('!')} This login can act on ${accounts.length} accounts and none is picked yet:\n\n${renderTable(
        accounts,
        [
          { header: 'ID', value: (a) => a.uuid },
          { header: 'NAME', value: (a) => a.name },
          { header: 'ACCESS', value: (a) => a.access ?? '' },
        ],
        ctx.output.err,
      )}\nPick one with \`callwire use <account-id|name>\`.`,
    );
  }
}

async function loginWithToken(ctx: Context): Promise<void> {
  const token = (await readAll(ctx.io.stdin)).trim();
  if (!token)
    throw new UsageError(
      '--with-token read nothing from stdin.',
      'Pipe the token in: `callwire login --with-token < token.txt`.',
    );
  ctx.secrets.add(token);
  const session = await tokenLogin(ctx, token);
  const accounts = toKnownAccounts(await session.api.accounts());
  await new CredentialStore(ctx.paths.credentials).set(ctx.settings.profileName, {
    type: 'api_token',
    token,
  });
  await updateProfile(
    ctx.paths.config,
    ctx.settings.profileName,
    (p) => ({ ...p, base_url: ctx.settings.baseUrl, accounts }),
    { claimDefault: true },
  );
  ctx.output.result(
    { profile: ctx.settings.profileName, base_url: ctx.settings.baseUrl, accounts },
    () => '',
  );
  ctx.output.success(`Stored an API token for ${ctx.settings.baseUrl} (profile ${ctx.settings.profileName})`);
}

/** `callwire logout`: revokes the session on the server, then forgets it here either way. */
export async function logout(ctx: Context): Promise<void> {
  const store = new CredentialStore(ctx.paths.credentials);
  const stored = await store.get(ctx.settings.profileName);
  if (!stored) {
    ctx.output.result({ profile: ctx.settings.profileName, logged_out: false }, () => '');
    ctx.output.info(`Not logged in (profile ${ctx.settings.profileName}).`);
    return;
  }
  let revoked = false;
  if (stored.type === 'session') {
    try {
      const session = await openSession(ctx, { ignoreEnvToken: true });
      await session.logout();
      revoked = true;
    } catch (error) {
      // The local credentials go anyway: a server that is down must not keep a user logged in here.
      ctx.output.warn(
        `Could not end the session on the server: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  await store.delete(ctx.settings.profileName);
  await updateProfile(ctx.paths.config, ctx.settings.profileName, (p) => {
    const next = { ...p };
    delete next.accounts;
    return next;
  });
  ctx.output.result({ profile: ctx.settings.profileName, logged_out: true, revoked }, () => '');
  ctx.output.success(`Logged out (profile ${ctx.settings.profileName})`);
}
