import type { KnownAccount } from './config/config-file.js';
import { CliError, UsageError } from './errors.js';

/**
 * Finds an account by id or name among the ones the principal may act on: exact id, id prefix (as
 * printed in tables, >= 4 chars), exact name (case-insensitive), then a unique name prefix. An
 * ambiguous or unknown input is an error that lists the choices, never a guess.
 */
export function matchAccount(input: string, accounts: readonly KnownAccount[]): KnownAccount {
  const needle = input.trim();
  const lower = needle.toLowerCase();
  const byId = accounts.find((a) => a.uuid.toLowerCase() === lower);
  if (byId) return byId;
  const candidates: KnownAccount[][] = [
    needle.length >= 4 ? accounts.filter((a) => a.uuid.toLowerCase().startsWith(lower)) : [],
    accounts.filter((a) => a.name.toLowerCase() === lower),
    accounts.filter((a) => a.name.toLowerCase().startsWith(lower)),
  ];
  for (const found of candidates) {
    if (found.length === 1) return found[0]!;
    if (found.length > 1) {
      throw new UsageError(
        `"${needle}" matches ${found.length} accounts: ${found.map((a) => `${a.name} (${a.uuid})`).join(', ')}`,
        'Use the full account id.',
      );
    }
  }
  const list = accounts.map((a) => `  ${a.uuid}  ${a.name}`).join('\n');
  throw new CliError(
    `No account matches "${needle}". You can act on:\n${list || '  (none)'}`,
    'Run `callwire accounts` to see them.',
  );
}

/** One line naming an account for people: `Acme Dental (3f2a…)`. */
export function describeAccount(account: { uuid: string; name?: string | undefined }): string {
  return account.name ? `${account.name} (${account.uuid})` : account.uuid;
}
