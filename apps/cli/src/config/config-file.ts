import { readJsonFile, writeFileAtomic } from './atomic-write.js';

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8787';
export const DEFAULT_PROFILE = 'default';

/** An account the principal may act on, as cached at login (GET /rest/accounts). */
export interface KnownAccount {
  uuid: string;
  name: string;
  access?: string;
  default?: boolean;
}

/** What a profile remembers besides secrets. Never holds a password or a token. */
export interface Profile {
  base_url?: string;
  username?: string;
  /** The account every scoped command acts on, picked with `callwire use` or `login --account`. */
  account_id?: string;
  account_name?: string;
  accounts?: KnownAccount[];
}

export interface ConfigFile {
  current_profile?: string;
  profiles: Record<string, Profile>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function parseAccounts(value: unknown): KnownAccount[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: KnownAccount[] = [];
  for (const item of value) {
    if (!isRecord(item)) continue;
    const uuid = str(item.uuid);
    const name = str(item.name);
    if (uuid === undefined || name === undefined) continue;
    const account: KnownAccount = { uuid, name };
    const access = str(item.access);
    if (access !== undefined) account.access = access;
    if (typeof item.default === 'boolean') account.default = item.default;
    out.push(account);
  }
  return out;
}

function parseProfile(value: unknown): Profile {
  if (!isRecord(value)) return {};
  const profile: Profile = {};
  const baseUrl = str(value.base_url);
  if (baseUrl !== undefined) profile.base_url = baseUrl;
  const username = str(value.username);
  if (username !== undefined) profile.username = username;
  const accountId = str(value.account_id);
  if (accountId !== undefined) profile.account_id = accountId;
  const accountName = str(value.account_name);
  if (accountName !== undefined) profile.account_name = accountName;
  const accounts = parseAccounts(value.accounts);
  if (accounts !== undefined) profile.accounts = accounts;
  return profile;
}

/** Parses config.json leniently: unknown keys are dropped, wrong types ignored, so an old file never breaks the CLI. */
export function parseConfig(value: unknown): ConfigFile {
  const config: ConfigFile = { profiles: {} };
  if (!isRecord(value)) return config;
  const current = str(value.current_profile);
  if (current !== undefined) config.current_profile = current;
  if (isRecord(value.profiles)) {
    for (const [name, profile] of Object.entries(value.profiles))
      config.profiles[name] = parseProfile(profile);
  }
  return config;
}

export async function readConfig(path: string): Promise<ConfigFile> {
  return parseConfig(await readJsonFile(path));
}

/**
 * Read-modify-write of one profile. The file is re-read right before writing so a change made by
 * another callwire process to another profile is kept.
 */
export async function updateProfile(
  path: string,
  name: string,
  update: (profile: Profile) => Profile | undefined,
  options: { claimDefault?: boolean } = {},
): Promise<ConfigFile> {
  const config = await readConfig(path);
  const next = update({ ...(config.profiles[name] ?? {}) });
  if (next === undefined) delete config.profiles[name];
  else config.profiles[name] = next;
  // The first profile logged in with becomes the default. A later `--profile staging login` does not
  // silently redirect every plain `callwire …` to staging: switching is always explicit.
  if (options.claimDefault && config.current_profile === undefined) config.current_profile = name;
  await writeFileAtomic(path, `${JSON.stringify(config, null, 2)}\n`);
  return config;
}

/** Forgets a profile; if it was the default, no profile is the default any more. */
export async function removeProfile(path: string, name: string): Promise<boolean> {
  const config = await readConfig(path);
  const found = name in config.profiles;
  delete config.profiles[name];
  if (config.current_profile === name) delete config.current_profile;
  await writeFileAtomic(path, `${JSON.stringify(config, null, 2)}\n`);
  return found;
}
