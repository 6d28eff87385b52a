import type { Writable } from 'node:stream';
import type { Feature, Order } from '@callwire/types';
import { confirmOrAbort } from '../confirm.js';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import { formatMoney, formatTime } from '../output/format.js';
import { actingAccount } from '../session.js';

interface SearchOptions {
  npa?: string;
  pattern?: string;
  state?: string;
  city?: string;
  features?: Feature[];
  limit: number;
}

export async function search(ctx: Context, opts: SearchOptions): Promise<void> {
  const { api } = await actingAccount(ctx);
  const filter = {
    ...(opts.npa ? { npa: opts.npa } : {}),
    ...(opts.pattern ? { pattern: opts.pattern } : {}),
    ...(opts.state ? { state: opts.state } : {}),
    ...(opts.city ? { city: opts.city } : {}),
    ...(opts.features ? { features: opts.features } : {}),
  };
  const found = await api.searchNumbers(filter, opts.limit);
  ctx.output.list(
    found,
    [
      { header: 'NUMBER', value: (n) => n.tn },
      { header: 'CITY', value: (n) => n.city },
      { header: 'STATE', value: (n) => n.state },
      { header: 'FEATURES', value: (n) => n.features.join(',') },
      { header: 'SETUP', value: (n) => formatMoney(n.setup_cost), align: 'right' },
      { header: 'MONTHLY', value: (n) => formatMoney(n.monthly_cost), align: 'right' },
    ],
    { empty: 'No numbers match; try a different --npa or --pattern.' },
  );
}

interface BuyOptions {
  features: Feature[];
  autorenew: boolean;
  yes?: boolean;
  wait: boolean;
}

const ORDER_WAIT_MS = 30_000;

export async function buy(ctx: Context, opts: BuyOptions, tns: string[]): Promise<void> {
  const { api, account } = await actingAccount(ctx);
  await confirmOrAbort(
    ctx,
    `Buy ${tns.length} number${tns.length === 1 ? '' : 's'} (${tns.join(', ')}) on ${account.name}? Setup and monthly fees apply.`,
    opts.yes,
  );
  let order: Order = await api.orderNumbers({
    items: tns.map((tn) => ({ tn, features: opts.features, autorenew: opts.autorenew })),
  });
  // Orders complete asynchronously (202); wait for the outcome so the exit code tells the truth.
  const pending = () => order.state === 'created' || order.state === 'processing';
  if (opts.wait && pending()) {
    const spin =
      ctx.interactive && !ctx.output.json
        ? (await import('@clack/prompts')).spinner({ output: ctx.io.stderr as unknown as Writable })
        : undefined;
    spin?.start(`Order ${order.uuid} ${order.state}`);
    const deadline = Date.now() + ORDER_WAIT_MS;
    while (pending() && Date.now() < deadline && !ctx.io.signal?.aborted) {
      await new Promise((r) => setTimeout(r, 250));
      order = await api.getOrder(order.uuid);
      spin?.message(`Order ${order.uuid} ${order.state} (${order.success}/${order.total})`);
    }
    spin?.stop(`Order ${order.uuid} ${order.state}`);
  }
  ctx.output.result(order, () =>
    order.items
      .map(
        (i) =>
          `${i.state === 'success' ? '✓' : i.state === 'failed' ? '✗' : '…'} ${i.tn}  ${i.state}${i.error ? `  ${i.error}` : ''}`,
      )
      .join('\n')
      .concat('\n'),
  );
  ctx.output.info(`Order ${order.uuid}: ${order.state} (${order.success} bought, ${order.failed} failed)`);
  if (order.state === 'failed' || order.failed > 0) {
    const reasons = order.errors.map((e) => `${e.tn}: ${e.message}`).join('; ');
    throw new CliError(
      `Some numbers could not be bought${reasons ? `: ${reasons}` : ''}.`,
      'Search again with `callwire numbers search`.',
    );
  }
}

export async function list(ctx: Context, opts: { limit: number }): Promise<void> {
  const { api } = await actingAccount(ctx);
  const leases = await api.listNumbers(opts.limit);
  ctx.output.list(
    leases,
    [
      { header: 'NUMBER', value: (l) => l.tn },
      { header: 'ID', value: (l) => l.uuid },
      { header: 'CITY', value: (l) => l.city },
      { header: 'STATE', value: (l) => l.state },
      { header: 'VOICE', value: (l) => (l.voice ? 'on' : 'off') },
      { header: 'SMS', value: (l) => (l.sms ? 'on' : 'off') },
      { header: 'MONTHLY', value: (l) => formatMoney(l.monthly_cost), align: 'right' },
      { header: 'SINCE', value: (l) => formatTime(l.created_on) },
    ],
    { empty: 'No numbers yet; find one with `callwire numbers search`.' },
  );
}

export async function release(ctx: Context, opts: { yes?: boolean }, args: string[]): Promise<void> {
  const tn = args[0] ?? '';
  const { api, account } = await actingAccount(ctx);
  await confirmOrAbort(ctx, `Release ${tn} from ${account.name}? The number leaves the account.`, opts.yes);
  await api.releaseNumber(tn);
  ctx.output.result({ released: tn }, () => '');
  ctx.output.success(`Released ${tn}`);
}
