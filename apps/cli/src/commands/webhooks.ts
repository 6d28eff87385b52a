import type { EventSubscription, WebhookDelivery } from '@callwire/types';
import type { Context } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { formatTime, shortId } from '../output/format.js';
import { renderKeyValues } from '../output/key-values.js';
import { truncate } from '../output/table.js';
import type { AccountApi } from '../sdk/api.js';
import { actingAccount } from '../session.js';
import { TRIGGER_TYPES, trigger, triggerFor } from '../triggers.js';

/** `callwire webhooks create --url <url>`: a signed webhook subscription; its secret is shown once. */
export async function create(ctx: Context, opts: { url: string; types?: string[] }): Promise<void> {
  const { api } = await actingAccount(ctx);
  const sub = await api.createSubscription({ channel: 'webhook', url: opts.url, types: opts.types ?? ['*'] });
  if (sub.signing_secret) ctx.secrets.add(sub.signing_secret);
  ctx.output.result(sub, () =>
    renderKeyValues(
      [
        ['ID', sub.uuid],
        ['URL', sub.url],
        ['Types', sub.types.join(',')],
        ['Active', sub.is_active ? 'yes' : 'no'],
        ['Signing secret', sub.signing_secret],
      ],
      ctx.output.out,
    ),
  );
  ctx.output.success(`Webhook created; try it with \`callwire webhooks test ${sub.uuid}\``);
  ctx.output.warn('The signing secret is shown only now: store it where your receiver can read it.');
}

/** `callwire webhooks list`: the account's webhook subscriptions (never their secrets). */
export async function list(ctx: Context, opts: { limit: number }): Promise<void> {
  const { api } = await actingAccount(ctx);
  const subs = (await api.listSubscriptions(opts.limit)).filter((s) => s.channel === 'webhook');
  ctx.output.list<EventSubscription>(
    subs,
    [
      { header: 'ID', value: (s) => s.uuid },
      { header: 'URL', value: (s) => truncate(s.url ?? '', 48) },
      { header: 'TYPES', value: (s) => s.types.join(',') },
      { header: 'ACTIVE', value: (s) => (s.is_active ? 'yes' : 'no') },
      { header: 'CREATED', value: (s) => formatTime(s.created_on) },
    ],
    { empty: 'No webhooks yet; add one with `callwire webhooks create --url <url>`.' },
  );
}

/** `callwire webhooks delete <id>`: pending deliveries of that webhook are dropped. */
export async function remove(ctx: Context, _opts: unknown, args: string[]): Promise<void> {
  const uuid = args[0] ?? '';
  const { api } = await actingAccount(ctx);
  await api.deleteSubscription(uuid);
  ctx.output.result({ uuid, deleted: true }, () => '');
  ctx.output.success(`Deleted webhook ${uuid}`);
}

function deliveryColumns(c: Context['output']['out']) {
  return [
    { header: 'ID', value: (d: WebhookDelivery) => shortId(d.uuid) },
    { header: 'SEQ', value: (d: WebhookDelivery) => String(d.seq), align: 'right' as const },
    { header: 'EVENT', value: (d: WebhookDelivery) => d.event_type },
    {
      header: 'STATE',
      value: (d: WebhookDelivery) => d.state,
      style: (d: WebhookDelivery) =>
        d.state === 'delivered' ? c.green : d.state === 'failed' ? c.red : c.yellow,
    },
    { header: 'ATTEMPTS', value: (d: WebhookDelivery) => String(d.attempts), align: 'right' as const },
    {
      header: 'STATUS',
      value: (d: WebhookDelivery) => (d.last_status === null ? '' : String(d.last_status)),
    },
    { header: 'ERROR', value: (d: WebhookDelivery) => truncate(d.last_error ?? '', 40) },
    { header: 'CREATED', value: (d: WebhookDelivery) => formatTime(d.created_on) },
  ];
}

/** `callwire webhooks deliveries <id>`: what was sent to a webhook and how it answered, newest first. */
export async function deliveries(ctx: Context, opts: { limit: number }, args: string[]): Promise<void> {
  const { api } = await actingAccount(ctx);
  const rows = await api.listDeliveries(args[0] ?? '', opts.limit);
  ctx.output.list(rows, deliveryColumns(ctx.output.out), { empty: 'No deliveries yet.' });
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** Polls the webhook's deliveries until the one for `seqAfter`'s next event of `type` has an answer. */
async function awaitDelivery(
  api: AccountApi,
  subscription: string,
  type: string,
  seqAfter: number,
  deadline: number,
  signal?: AbortSignal,
): Promise<WebhookDelivery | undefined> {
  while (Date.now() < deadline && !signal?.aborted) {
    const found = (await api.listDeliveries(subscription, 20)).find(
      (d) => d.seq > seqAfter && d.event_type === type && d.attempts > 0,
    );
    if (found) return found;
    await sleep(250, signal);
  }
  return undefined;
}

interface TestOptions {
  type?: string;
  timeout: number;
}

/**
 * `callwire webhooks test <id>`: triggers a real event the webhook subscribes to (an inbound SMS when
 * it can, see `callwire trigger`) and waits for the server's first delivery attempt to that URL.
 */
export async function test(ctx: Context, opts: TestOptions, args: string[]): Promise<void> {
  const uuid = args[0] ?? '';
  if (opts.type !== undefined && !TRIGGER_TYPES.includes(opts.type))
    throw new UsageError(
      `--type ${opts.type} cannot be triggered.`,
      `These can: ${TRIGGER_TYPES.join(', ')}.`,
    );
  const { api } = await actingAccount(ctx);
  const sub = (await api.listSubscriptions(1000)).find((s) => s.uuid === uuid && s.channel === 'webhook');
  if (sub === undefined)
    throw new CliError(`No webhook ${uuid} on this account.`, '`callwire webhooks list` shows their ids.');
  const type = opts.type ?? triggerFor(sub.types);
  if (type === undefined)
    throw new CliError(
      `The webhook subscribes to ${sub.types.join(',')}, and none of those can be triggered.`,
      `Pass --type with one of: ${TRIGGER_TYPES.join(', ')}.`,
    );
  const before = (await api.listDeliveries(uuid, 1))[0]?.seq ?? 0;
  const done = await trigger(api, type, await api.listNumbers(100));
  ctx.output.info(ctx.output.err.dim(`Triggered ${type}: ${done.description}; waiting for the delivery…`));
  const delivery = await awaitDelivery(
    api,
    uuid,
    type,
    before,
    Date.now() + opts.timeout * 1000,
    ctx.io.signal,
  );
  if (delivery === undefined)
    throw new CliError(
      `No delivery attempt for ${type} within ${opts.timeout} s.`,
      sub.is_active ? 'Check it later with `callwire webhooks deliveries`.' : 'The webhook is not active.',
    );
  ctx.output.result(delivery, () =>
    renderKeyValues(
      [
        ['Delivery', delivery.uuid],
        ['Event', `${delivery.event_type} #${delivery.seq}`],
        ['State', delivery.state],
        ['Status', delivery.last_status],
        ['Error', delivery.last_error],
      ],
      ctx.output.out,
    ),
  );
  const ok = delivery.last_status !== null && delivery.last_status >= 200 && delivery.last_status < 300;
  if (!ok)
    throw new CliError(
      `${sub.url} did not accept the delivery (${delivery.last_status ?? delivery.last_error ?? 'no answer'}).`,
      'The server retries it with backoff; follow it with `callwire webhooks deliveries`.',
    );
  ctx.output.success(`${sub.url} answered ${delivery.last_status}`);
}
