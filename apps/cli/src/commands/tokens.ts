import type { Context } from '../context.js';
import { formatTime } from '../output/format.js';
import { renderKeyValues } from '../output/key-values.js';
import { actingAccount } from '../session.js';

export async function create(ctx: Context, opts: { name: string; ttl: number }): Promise<void> {
  const { api } = await actingAccount(ctx);
  const token = await api.createToken(opts.name, opts.ttl);
  // The one time the value exists: it goes to stdout (so `… | tee` captures it), the advice to stderr.
  ctx.output.result(token, () =>
    renderKeyValues(
      [
        ['ID', token.uuid],
        ['Name', token.name],
        ['Expires', formatTime(token.expired_on)],
        ['Token', token.token],
      ],
      ctx.output.out,
    ),
  );
  ctx.output.warn('Copy the token now: it is not shown again. Use it with CALLWIRE_TOKEN=… callwire …');
}

export async function list(ctx: Context): Promise<void> {
  const { api } = await actingAccount(ctx);
  const tokens = await api.listTokens();
  ctx.output.list(
    tokens.map(({ token: _hidden, ...rest }) => rest),
    [
      { header: 'ID', value: (t) => t.uuid },
      { header: 'NAME', value: (t) => t.name },
      { header: 'EXPIRES', value: (t) => formatTime(t.expired_on) },
    ],
    { empty: 'No API tokens; create one with `callwire tokens create --name ci`.' },
  );
}

export async function revoke(ctx: Context, _opts: unknown, args: string[]): Promise<void> {
  const uuid = args[0] ?? '';
  const { api } = await actingAccount(ctx);
  await api.revokeToken(uuid);
  ctx.output.result({ revoked: uuid }, () => '');
  ctx.output.success(`Revoked token ${uuid}`);
}
