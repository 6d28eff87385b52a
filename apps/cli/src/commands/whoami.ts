import { describeAccount, matchAccount } from '../account-selection.js';
import type { Context } from '../context.js';
import { renderKeyValues } from '../output/key-values.js';
import { openSession } from '../session.js';
import { toKnownAccounts } from './accounts.js';

/** `callwire whoami`: who is logged in, where, and which account commands act on. */
export async function whoami(ctx: Context): Promise<void> {
  const session = await openSession(ctx);
  const [profile, accountList] = await Promise.all([session.api.profile(), session.api.accounts()]);
  const accounts = toKnownAccounts(accountList);
  let acting: { uuid: string; name: string } | undefined;
  if (ctx.settings.account) acting = matchAccount(ctx.settings.account, accounts);
  else if (accounts.length === 1 || session.kind === 'api_token') {
    acting = accounts.length === 1 ? accounts[0] : { uuid: profile.account.uuid, name: profile.account.name };
  }
  const value = {
    user: {
      uuid: profile.uuid,
      email: profile.email,
      first_name: profile.first_name,
      last_name: profile.last_name,
      role: profile.role,
    },
    profile: ctx.settings.profileName,
    base_url: ctx.settings.baseUrl,
    credentials: session.describe,
    account: acting ?? null,
    accounts,
  };
  ctx.output.result(value, () =>
    renderKeyValues(
      [
        [
          'User',
          `${profile.email}${profile.first_name ? ` (${profile.first_name} ${profile.last_name})`.trimEnd() : ''}`,
        ],
        ['Profile', ctx.settings.profileName],
        ['Server', ctx.settings.baseUrl],
        ['Credentials', session.describe],
        [
          'Account',
          acting
            ? describeAccount(acting)
            : ctx.output.out.yellow(
                `none selected (${accounts.length} available: callwire use <account-id|name>)`,
              ),
        ],
      ],
      ctx.output.out,
    ),
  );
}
