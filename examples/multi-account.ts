// One login, several accounts. bob belongs to Acme Dental and Bayside Realty: with his Basic
// credentials and no account named, an account-scoped call is refused before it leaves
// (AccountRequiredError lists the choices) instead of letting the server pick one. forAccount() gives
// a client bound to one account that shares the credentials and the cached account list.
//
//   npx @callwire/demo-server          # in another terminal
//   node multi-account.ts              # bob's numbers, per account
import { createBasicAuth } from '@callwire/auth-core';
import { AccountRequiredError, createClient } from '@callwire/rest-client';

export interface MultiAccountOptions {
  baseUrl: string;
  username: string;
  password: string;
  log?: (line: string) => void;
}

export async function numbersPerAccount(options: MultiAccountOptions) {
  const { baseUrl, username, password, log = console.log } = options;
  const client = createClient({ baseUrl, auth: createBasicAuth({ baseUrl, username, password }) });

  try {
    await client.numbers.list().toArray();
  } catch (error) {
    if (!(error instanceof AccountRequiredError)) throw error;
    log(`Without an account: ${error.message}`);
  }

  const result: { account: string; numbers: string[] }[] = [];
  for await (const account of client.accounts.list()) {
    const numbers = await client.forAccount(account.uuid).numbers.list().toArray();
    const tns = numbers.map((n) => n.tn);
    log(`${account.name} (${account.access}): ${tns.join(', ') || 'no numbers'}`);
    result.push({ account: account.name, numbers: tns });
  }
  return result;
}

if (import.meta.main) {
  await numbersPerAccount({
    baseUrl: process.env.CALLWIRE_BASE_URL ?? 'http://127.0.0.1:8787',
    username: process.env.CALLWIRE_USERNAME ?? 'bob@example.com',
    password: process.env.CALLWIRE_PASSWORD ?? 'bob-pass-1',
  });
}
