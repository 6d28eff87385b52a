import { DEFAULT_BASE_URL, readConfig, removeProfile } from '../config/config-file.js';
import { CredentialStore, type StoredCredential } from '../config/credentials-store.js';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import { revokeQuietly } from '../session.js';

interface ProfileRow {
  name: string;
  current: boolean;
  base_url: string;
  username: string | null;
  account: { uuid: string; name: string | null } | null;
  /** How the profile is logged in; never the credential itself. */
  login: 'session' | 'api_token' | null;
}

function loginKind(credential: StoredCredential | undefined): ProfileRow['login'] {
  if (credential === undefined) return null;
  return credential.type === 'api_token' ? 'api_token' : 'session';
}

/** Every profile the config or the credentials file knows, the one this run uses marked. */
async function profileRows(ctx: Context): Promise<ProfileRow[]> {
  const [config, credentials] = await Promise.all([
    readConfig(ctx.paths.config),
    new CredentialStore(ctx.paths.credentials).all(),
  ]);
  const names = [...new Set([...Object.keys(config.profiles), ...Object.keys(credentials)])].sort();
  return names.map((name) => {
    const p = config.profiles[name] ?? {};
    return {
      name,
      current: name === ctx.settings.profileName,
      base_url: p.base_url ?? DEFAULT_BASE_URL,
      username: p.username ?? null,
      account: p.account_id ? { uuid: p.account_id, name: p.account_name ?? null } : null,
      login: loginKind(credentials[name]),
    };
  });
}

/** `callwire profiles list`. */
export async function list(ctx: Context): Promise<void> {
  const rows = await profileRows(ctx);
  const c = ctx.output.out;
  ctx.output.list(
    rows,
    [
      { header: ' ', value: (r) => (r.current ? '*' : ' '), style: () => c.green },
      { header: 'PROFILE', value: (r) => r.name },
      { header: 'BASE URL', value: (r) => r.base_url },
      { header: 'USER', value: (r) => r.username ?? '' },
      { header: 'ACCOUNT', value: (r) => r.account?.name ?? r.account?.uuid ?? '' },
      {
        header: 'LOGIN',
        value: (r) =>
          r.login === 'session' ? 'session' : r.login === 'api_token' ? 'API token' : 'logged out',
      },
    ],
    { empty: 'No profiles yet; `callwire login` creates one.' },
  );
}

/**
 * `callwire profiles remove <name>`: forgets the profile and its stored credentials. A stored
 * session is ended on the server first (best effort), so no refresh token stays alive unseen.
 */
export async function remove(ctx: Context, _opts: unknown, args: string[]): Promise<void> {
  const name = args[0] ?? '';
  const store = new CredentialStore(ctx.paths.credentials);
  const config = await readConfig(ctx.paths.config);
  const credential = await store.get(name);
  if (!(name in config.profiles) && credential === undefined) {
    throw new CliError(`There is no profile "${name}".`, '`callwire profiles list` shows them.');
  }
  let revoked = false;
  if (credential?.type === 'session') {
    const baseUrl = (config.profiles[name]?.base_url ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    await revokeQuietly(
      ctx,
      baseUrl,
      Object.values(credential.sessions).map((s) => s.refreshToken),
    );
    revoked = true;
  }
  await store.delete(name);
  await removeProfile(ctx.paths.config, name);
  ctx.output.result({ profile: name, removed: true, session_ended: revoked }, () => '');
  ctx.output.success(`Removed profile ${name}${revoked ? ' (its session was ended on the server)' : ''}`);
}
