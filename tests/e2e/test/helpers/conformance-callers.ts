import { setTimeout as sleep } from 'node:timers/promises';
import type { Answer, ConformanceRun, Exchange } from './openapi-conformance.js';

export const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
export const ALICE = basic('alice@example.com', 'alice-pass-1');
export const BOB = basic('bob@example.com', 'bob-pass-1');
export const CAROL = basic('carol@example.com', 'carol-pass-1');
export const DAVE = basic('dave@example.com', 'dave-pass-1');
export const INTEGRATOR = `Integrator ${Buffer.from('demo-integrator:demo-integrator-secret-1').toString('base64')}`;
export const NOBODY = '0a11ce00-0000-4000-8000-0000000f00f0';

/** Sends as someone: an Authorization value, `{ token }` for X-Auth-Token, or null for nobody. */
export type As = (auth: string | { token: string } | null) => (exchange: Exchange) => Promise<Answer>;

export function sender(run: ConformanceRun): As {
  return (auth) => (exchange) => {
    const headers: Record<string, string> = { ...exchange.headers };
    if (typeof auth === 'string') headers.authorization = auth;
    else if (auth !== null) headers['x-auth-token'] = auth.token;
    return run.send({ ...exchange, headers });
  };
}

/** Waits for the simulated network (polling through the validator, so the polls count too). */
export async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await sleep(25);
  }
  throw new Error('the simulated network did not get there');
}
