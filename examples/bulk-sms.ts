// Bulk SMS with progress. Messages go out a few at a time (the platform rate-limits each login), each
// with its own idempotency key, so the client's automatic retries never send one twice. A refused
// recipient is reported with the server's reason and the rest carry on.
//
//   npx @callwire/demo-server          # in another terminal
//   node bulk-sms.ts +12015550123 +12015550124 +12015550125
import { createBasicAuth } from '@callwire/auth-core';
import { CallwireError, createClient } from '@callwire/rest-client';

export interface BulkSmsOptions {
  baseUrl: string;
  username: string;
  password: string;
  recipients: readonly string[];
  message: string;
  /** Messages in flight at once. */
  concurrency?: number;
  /** Called after each recipient, sent or refused. */
  onProgress?: (done: number, total: number, line: string) => void;
}

export interface BulkSmsResult {
  sent: { to: string; uuid: string }[];
  failed: { to: string; reason: string }[];
}

export async function sendBulk(options: BulkSmsOptions): Promise<BulkSmsResult> {
  const { baseUrl, username, password, recipients, message, concurrency = 4 } = options;
  const onProgress = options.onProgress ?? ((done, total, line) => console.log(`[${done}/${total}] ${line}`));
  const client = createClient({ baseUrl, auth: createBasicAuth({ baseUrl, username, password }) });
  const [number] = await client.numbers.list({ sms: true }).toArray({ limit: 1 });
  if (number === undefined) throw new Error('the account has no SMS-enabled number');

  const result: BulkSmsResult = { sent: [], failed: [] };
  let next = 0;
  const worker = async () => {
    while (next < recipients.length) {
      const to = recipients[next++] as string;
      try {
        const sms = await client.sms.send({ from: number.tn, to, message });
        result.sent.push({ to, uuid: sms.uuid });
        onProgress(result.sent.length + result.failed.length, recipients.length, `sent to ${to}`);
      } catch (error) {
        if (!(error instanceof CallwireError)) throw error;
        result.failed.push({ to, reason: error.message });
        onProgress(
          result.sent.length + result.failed.length,
          recipients.length,
          `refused ${to}: ${error.message}`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, recipients.length) }, worker));
  return result;
}

if (import.meta.main) {
  const recipients = process.argv.slice(2);
  const { sent, failed } = await sendBulk({
    baseUrl: process.env.CALLWIRE_BASE_URL ?? 'http://127.0.0.1:8787',
    username: process.env.CALLWIRE_USERNAME ?? 'alice@example.com',
    password: process.env.CALLWIRE_PASSWORD ?? 'alice-pass-1',
    recipients: recipients.length > 0 ? recipients : ['+12015550123', '+12015550124', '+12015550125'],
    message: process.env.CALLWIRE_MESSAGE ?? 'Your appointment is tomorrow at 10:00',
  });
  console.log(`Done: ${sent.length} sent, ${failed.length} refused`);
  process.exitCode = failed.length === 0 ? 0 : 1;
}
