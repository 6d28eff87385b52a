import type { AccountAccess } from '@callwire/types';
import { describeAccount, matchAccount } from '../account-selection.js';
import { type KnownAccount, updateProfile } from '../config/config-file.js';
import type { Context } from '../context.js';
import { openSession } from '../session.js';

export function toKnownAccounts(accounts: readonly AccountAccess[]): KnownAccount[] {
  return accounts.map((a) => ({ uuid: a.uuid, name: a.name, access: a.access, default: a.default }));
}

/** `callwire accounts`: every account this login may act on, the one commands act on marked with `*`. */
export async function listAccounts(ctx: Context): Promise<void> {
  const session = await openSession(ctx);
  const accounts = await session.api.accounts();
  if (session.kind === 'session') {
    await updateProfile(ctx.paths.config, ctx.settings.profileName, (p) => ({
      ...p,
      accounts: toKnownAccounts(accounts),
    }));
  }
  let current: KnownAccount | undefined;
  if (ctx.settings.account) current = matchAccount(ctx.settings.account, toKnownAccounts(accounts));
  else if (accounts.length === 1) current = accounts[0];
  const c = ctx.output.out;
  ctx.output.list(
    accounts,
    [
      { header: ' ', value: (a) => (a.uuid === current?.uuid ? '*' : ' '), style: () => c.green },
      { header: 'ID', value: (a) => a.uuid },
      { header: 'NAME', value: (a) => a.name },
      { header: 'ACCESS', value: (a) => a.access },
      { header: 'LEVEL', value: (a) => a.level },
      { header: 'DEFAULT', value: (a) => (a.default ? 'yes' : '') },
    ],
    {
      empty: 'This login cannot act on any account.',
      json: accounts.map((a) => ({ ...a, current: a.uuid === current?.uuid })),
    },
  );
  if (current === undefined && accounts.length > 1) {
    ctx.output.info(
      ctx.output.err.yellow(
        `No account selected: pick one with \`callwire use <account-id|name>\` before running account commands.`,
      ),
    );
  }
}

/** `callwire use <account>`: the account every later command of this profile acts on. */
export async function useAccount(ctx: Context, _opts: unknown, args: string[]): Promise<void> {
  const input = args[0] ?? '';
  const session = await openSession(ctx);
  const accounts = toKnownAccounts(await session.api.accounts());
  const account = matchAccount(input, accounts);
  // Bind the session now (masquerade), so a membership problem shows here, not on the next command.
  await session.bind(account.uuid);
  await updateProfile(ctx.paths.config, ctx.settings.profileName, (p) => ({
    ...p,
    account_id: account.uuid,
    account_name: account.name,
    accounts,
  }));
  ctx.output.result({ profile: ctx.settings.profileName, account }, () => '');
  ctx.output.success(`Now acting on ${describeAccount(account)} (profile ${ctx.settings.profileName})`);
  if (ctx.settings.accountSource === 'env') {
    ctx.output.warn('CALLWIRE_ACCOUNT_ID is set and overrides this choice while it stays set.');
  }
}
