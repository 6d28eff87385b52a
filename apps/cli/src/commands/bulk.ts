import { callsBulk, smsBulk } from '../bulk/bulk-kinds.js';
import { type BulkOptions, runBulk } from '../bulk/run-bulk.js';
import type { Context } from '../context.js';

/** `callwire sms bulk --file messages.csv` (columns to, message, from). */
export const sms = (ctx: Context, opts: BulkOptions): Promise<void> => runBulk(ctx, smsBulk, opts);

/** `callwire calls bulk --file calls.csv` (columns to, from, timeout_secs, talk_secs). */
export const calls = (ctx: Context, opts: BulkOptions): Promise<void> => runBulk(ctx, callsBulk, opts);
