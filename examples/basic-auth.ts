// Basic auth with an explicit account. Every request carries the email and password (use HTTPS
// outside your machine) and names the account it acts on, so a user who belongs to several accounts
// never sends from the wrong one by accident.
//
//   npx @callwire/demo-server          # in another terminal
//   node basic-auth.ts                 # bob, on Acme Dental; CALLWIRE_BASE_URL to point elsewhere
import { createBasicAuth } from '@callwire/auth-core';
import { createClient } from '@callwire/rest-client';

export interface BasicAuthOptions {
  baseUrl: string;
  username: string;
  password: string;
  /** The account every call acts on. */
  accountId: string;
  log?: (line: string) => void;
}

export async function sendWithBasicAuth(options: BasicAuthOptions) {
  const { baseUrl, username, password, accountId, log = console.log } = options;
  const client = createClient({ baseUrl, accountId, auth: createBasicAuth({ baseUrl, username, password }) });

  const account = await client.accounts.current();
  log(`Acting on ${account.name} (${account.uuid})`);

  // Send from the first of the account's numbers that can send SMS.
  const [number] = await client.numbers.list({ sms: true }).toArray({ limit: 1 });
  if (number === undefined) throw new Error(`${account.name} has no SMS-enabled number`);

  // withResponse() also tells which account the server ran the call on (its X-Account-Id).
  const { data: sms, accountId: ranOn } = await client.sms
    .send({ from: number.tn, to: '+12015550123', message: 'Hello from basic-auth.ts' })
    .withResponse();
  log(`Sent SMS ${sms.uuid} from ${sms.from} to ${sms.to} on account ${ranOn}`);
  return { sms, accountId: ranOn };
}

if (import.meta.main) {
  await sendWithBasicAuth({
    baseUrl: process.env.CALLWIRE_BASE_URL ?? 'http://127.0.0.1:8787',
    username: process.env.CALLWIRE_USERNAME ?? 'bob@example.com',
    password: process.env.CALLWIRE_PASSWORD ?? 'bob-pass-1',
    // Acme Dental in the demo server's data.
    accountId: process.env.CALLWIRE_ACCOUNT_ID ?? '0a11ce00-0000-4000-8000-00000000ac01',
  });
}
