import { writeFile } from 'node:fs/promises';
import { callDataToCsv } from '@callwire/rest-client';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { formatDuration, formatMoney, formatTime } from '../output/format.js';
import { renderTable } from '../output/table.js';
import { actingAccount } from '../session.js';

export async function callData(
  ctx: Context,
  opts: { start: string; end: string; csv?: boolean; output?: string },
): Promise<void> {
  if (opts.start > opts.end) throw new UsageError(`--start ${opts.start} is after --end ${opts.end}.`);
  if (opts.csv && ctx.output.json) throw new UsageError('Choose one of --csv and --json.');
  const { api } = await actingAccount(ctx);
  const records = await api.callData(opts.start, opts.end);
  let text: string;
  if (opts.csv) text = callDataToCsv(records);
  else if (ctx.output.json) text = `${JSON.stringify(records, null, 2)}\n`;
  else if (records.length === 0) text = '';
  else {
    const c = opts.output ? { ...ctx.output.out, bold: (s: string) => s } : ctx.output.out;
    text = renderTable(
      records,
      [
        { header: 'STARTED', value: (r) => formatTime(r.started_on) },
        { header: 'DIR', value: (r) => r.direction },
        { header: 'FROM', value: (r) => r.from },
        { header: 'TO', value: (r) => r.to },
        { header: 'STATE', value: (r) => r.state },
        { header: 'DURATION', value: (r) => formatDuration(r.duration), align: 'right' },
        { header: 'BILLABLE', value: (r) => formatDuration(r.billable_seconds), align: 'right' },
        { header: 'COST', value: (r) => formatMoney(r.cost), align: 'right' },
      ],
      c,
    );
  }
  if (opts.output) {
    await writeFile(opts.output, text);
    ctx.output.success(`Wrote ${records.length} records to ${opts.output}`);
  } else {
    ctx.io.stdout.write(text);
  }
  if (records.length === 0 && !opts.csv)
    ctx.output.info(`No finished calls between ${opts.start} and ${opts.end}.`);
  else if (!opts.output) {
    const total = records.reduce((sum, r) => sum + r.cost, 0);
    ctx.output.info(`${records.length} calls, ${formatMoney(Math.round(total * 1e5) / 1e5)} total`);
  }
}
