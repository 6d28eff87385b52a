import type { CreateCallRequest, SendSmsRequest } from '@callwire/types';
import { parsePhone } from '../parse-args.js';
import type { AccountApi, Keyed } from '../sdk/api.js';

/** A row that cannot be sent as it is; the message names the column. */
export class RowError extends Error {
  override readonly name = 'RowError';
}

/** What a bulk command needs to know about its rows: their columns, the request, and how to send it. */
export interface BulkKind<Req> {
  /** The word in messages and in the idempotency key (`sms`, `calls`). */
  name: 'sms' | 'calls';
  required: readonly string[];
  optional: readonly string[];
  /** Builds the request from one row's cells (`from` falls back to --from); throws RowError. */
  toRequest(cells: Readonly<Record<string, string>>, defaults: { from?: string }): Req;
  send(
    api: AccountApi,
    request: Req,
    idempotencyKey: string,
  ): Promise<Keyed<{ uuid: string; state: string }>>;
}

function phone(cells: Readonly<Record<string, string>>, column: string, fallback?: string): string {
  const value = cells[column]?.trim() || fallback;
  if (!value) throw new RowError(`${column} is empty`);
  try {
    return parsePhone(value);
  } catch (error) {
    throw new RowError(`${column} ${(error as Error).message}`);
  }
}

function optionalInt(
  cells: Readonly<Record<string, string>>,
  column: string,
  min: number,
): number | undefined {
  const value = cells[column]?.trim();
  if (!value) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min)
    throw new RowError(`${column} must be a whole number >= ${min}, got "${value}"`);
  return Number(value);
}

const MAX_SMS = 918;

export const smsBulk: BulkKind<SendSmsRequest> = {
  name: 'sms',
  required: ['to', 'message'],
  optional: ['from'],
  toRequest(cells, defaults) {
    const from = phone(cells, 'from', defaults.from);
    const to = phone(cells, 'to');
    const message = cells.message ?? '';
    if (message.length === 0) throw new RowError('message is empty');
    if (message.length > MAX_SMS)
      throw new RowError(`message has ${message.length} characters; the limit is ${MAX_SMS}`);
    return { from, to, message };
  },
  send: (api, request, key) => api.sendSmsKeyed(request, key),
};

export const callsBulk: BulkKind<CreateCallRequest> = {
  name: 'calls',
  required: ['to'],
  optional: ['from', 'timeout_secs', 'talk_secs'],
  toRequest(cells, defaults) {
    const timeout = optionalInt(cells, 'timeout_secs', 1);
    const talk = optionalInt(cells, 'talk_secs', 0);
    return {
      from: phone(cells, 'from', defaults.from),
      to: phone(cells, 'to'),
      ...(timeout !== undefined ? { timeout_secs: timeout } : {}),
      ...(talk !== undefined ? { talk_secs: talk } : {}),
    };
  },
  send: (api, request, key) => api.makeCallKeyed(request, key),
};
