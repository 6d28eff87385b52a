import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { readAll } from '../io.js';
import { formatMoney, formatTime, shortId } from '../output/format.js';
import { renderKeyValues } from '../output/key-values.js';
import { truncate } from '../output/table.js';
import { actingAccount } from '../session.js';

export async function send(ctx: Context, opts: { from: string; to: string; message: string }): Promise<void> {
  const message = opts.message === '-' ? (await readAll(ctx.io.stdin)).replace(/\r?\n$/, '') : opts.message;
  if (message.length === 0) throw new UsageError('The message is empty.');
  if (message.length > 918)
    throw new UsageError(`The message has ${message.length} characters; the limit is 918.`);
  const { api } = await actingAccount(ctx);
  const sms = await api.sendSms({ from: opts.from, to: opts.to, message });
  ctx.output.result(sms, () =>
    renderKeyValues(
      [
        ['ID', sms.uuid],
        ['From', sms.from],
        ['To', sms.to],
        ['State', sms.state],
        ['Segments', sms.segments],
        ['Cost', formatMoney(sms.cost)],
      ],
      ctx.output.out,
    ),
  );
  ctx.output.success(`SMS queued; follow it with \`callwire events tail --types 'sms.*'\``);
}

export async function list(
  ctx: Context,
  opts: { direction?: 'in' | 'out'; from?: string; to?: string; limit: number },
): Promise<void> {
  const { api } = await actingAccount(ctx);
  const filter = {
    ...(opts.direction ? { direction: opts.direction } : {}),
    ...(opts.from ? { from: opts.from } : {}),
    ...(opts.to ? { to: opts.to } : {}),
  };
  const messages = await api.listSms(filter, opts.limit);
  ctx.output.list(
    messages,
    [
      { header: 'ID', value: (m) => shortId(m.uuid) },
      { header: 'TIME', value: (m) => formatTime(m.created_on) },
      { header: 'DIR', value: (m) => m.direction },
      { header: 'FROM', value: (m) => m.from },
      { header: 'TO', value: (m) => m.to },
      { header: 'STATE', value: (m) => m.state },
      { header: 'MESSAGE', value: (m) => truncate(m.message, 40) },
    ],
    { empty: 'No SMS yet.' },
  );
}
