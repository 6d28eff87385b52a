import type { Env } from '../io.js';
import { type ConfigFile, DEFAULT_BASE_URL, DEFAULT_PROFILE, type Profile } from './config-file.js';

/** Global flags that override the environment, which overrides the config file. */
export interface GlobalFlags {
  profile?: string;
  baseUrl?: string;
  account?: string;
}

export type Source = 'flag' | 'env' | 'config' | 'default';

export interface Settings {
  profileName: string;
  profile: Profile;
  baseUrl: string;
  baseUrlSource: Source;
  /** An account id or name, from --account, CALLWIRE_ACCOUNT_ID or the profile. */
  account?: string;
  accountSource?: Source;
  /** CALLWIRE_TOKEN: an API token that replaces the stored credentials. */
  envToken?: string;
}

/** Precedence: flag > CALLWIRE_* environment > config file > default. Pure, so it is unit-tested directly. */
export function resolveSettings(flags: GlobalFlags, env: Env, config: ConfigFile): Settings {
  const profileName = flags.profile || env.CALLWIRE_PROFILE || config.current_profile || DEFAULT_PROFILE;
  const profile = config.profiles[profileName] ?? {};
  const settings: Settings = { profileName, profile, baseUrl: DEFAULT_BASE_URL, baseUrlSource: 'default' };
  if (flags.baseUrl) {
    settings.baseUrl = flags.baseUrl;
    settings.baseUrlSource = 'flag';
  } else if (env.CALLWIRE_BASE_URL) {
    settings.baseUrl = env.CALLWIRE_BASE_URL;
    settings.baseUrlSource = 'env';
  } else if (profile.base_url) {
    settings.baseUrl = profile.base_url;
    settings.baseUrlSource = 'config';
  }
  settings.baseUrl = settings.baseUrl.replace(/\/+$/, '');
  if (flags.account) {
    settings.account = flags.account;
    settings.accountSource = 'flag';
  } else if (env.CALLWIRE_ACCOUNT_ID) {
    settings.account = env.CALLWIRE_ACCOUNT_ID;
    settings.accountSource = 'env';
  } else if (profile.account_id) {
    settings.account = profile.account_id;
    settings.accountSource = 'config';
  }
  if (env.CALLWIRE_TOKEN) settings.envToken = env.CALLWIRE_TOKEN;
  return settings;
}

/** Checks that a base URL is http(s) with no path surprises; a clear usage error beats a confusing fetch failure. */
export function validateBaseUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not a URL (expected something like ${DEFAULT_BASE_URL})`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `base URL must be http or https, got ${url.protocol}`;
  if (url.username || url.password) return 'base URL must not contain credentials';
  return undefined;
}
