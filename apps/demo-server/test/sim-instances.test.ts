import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { callCostMicros, smsCostMicros } from '../src/telephony/money.js';
import { type ChildServer, hasBuiltServer, spawnServer } from './helpers/child-server.js';
import { basic, dropSchema, TEST_DATABASE_URL } from './helpers/test-server.js';
import { ACME, ACME_NUMBERS } from './telephony-harness.js';

const ALICE = basic('alice@example.com', 'alice-pass-1');
const CALL_LIFECYCLE = [
  'call.initiated',
  'call.ringing',
  'call.answered',
  'call.live',
  'call.hangup',
  'call.destroyed',
];
const SMS_LIFECYCLE = ['sms.created', 'sms.sent', 'sms.delivered'];

async function api<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: ALICE, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as { success: boolean; payload: T; message?: string };
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${json.message ?? ''}`);
  return json.payload;
}

/** Reads the schema the instances share, as the database has it. */
async function inspect(schema: string) {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    const balance = await client.query<{ b: string }>(
      'select balance_micros as b from account where uuid = $1',
      [ACME],
    );
    const events = await client.query<{ seq: string; json: string }>(
      'select seq, json from event where account_id = $1 order by seq',
      [ACME],
    );
    // The hourly renewal sweep is always pending; everything else must be done.
    const steps = await client.query<{ n: string }>(
      "select count(*) as n from sim_step where kind <> 'renewal.sweep'",
    );
    return {
      balance: Number(balance.rows[0]?.b),
      events: events.rows.map((r) => JSON.parse(r.json) as { seq: number; type: string; ref_id: string }),
      steps: Number(steps.rows[0]?.n),
    };
  } finally {
    await client.end();
  }
}

/** Polls `check` (every 100 ms, real time: these are real processes) until it holds. */
async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not done within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function typesOf(events: readonly { type: string; ref_id: string }[], uuid: string): string[] {
  return events.filter((e) => e.ref_id === uuid).map((e) => e.type);
}

const running: ChildServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.kill()));
});

describe.runIf(TEST_DATABASE_URL !== undefined && hasBuiltServer)(
  'two instances on one PostgreSQL database',
  () => {
    it('when one dies (kill -9) with 20 calls and 20 messages in flight, the other finishes every one, billed once, events gap-free and in order', async () => {
      const schema = `mi_${randomBytes(6).toString('hex')}`;
      const env = { DATABASE_URL: TEST_DATABASE_URL as string, DATABASE_SCHEMA: schema };
      const args = ['--sim-speed', '20', '--rate-limit', '0'];
      try {
        const a = await spawnServer(args, env);
        running.push(a);
        const b = await spawnServer(args, env);
        running.push(b);
        const before = (await inspect(schema)).balance;
        const sends = Array.from({ length: 20 }, (_, i) => [
          api<{ uuid: string }>(a.url, 'POST', '/rest/call', {
            from: ACME_NUMBERS[0],
            to: `+1212555${String(1000 + i)}`,
            talk_secs: 60,
          }),
          api<{ uuid: string }>(a.url, 'POST', '/rest/sms', {
            from: ACME_NUMBERS[0],
            to: `+1212556${String(1000 + i)}`,
            message: `message ${i}`,
          }),
        ]);
        const created = await Promise.all(sends.flat());
        await a.kill();
        const calls = created.filter((_, i) => i % 2 === 0).map((c) => c.uuid);
        const messages = created.filter((_, i) => i % 2 === 1).map((m) => m.uuid);
        await until(async () => {
          const { events } = await inspect(schema);
          return (
            calls.every((c) => typesOf(events, c).includes('call.destroyed')) &&
            messages.every((m) => typesOf(events, m).includes('sms.delivered'))
          );
        }, 30_000);
        const after = await inspect(schema);
        expect(after.events.map((e) => e.seq)).toEqual(
          Array.from({ length: after.events.length }, (_, i) => i + 1),
        );
        for (const c of calls) expect(typesOf(after.events, c)).toEqual(CALL_LIFECYCLE);
        for (const m of messages) expect(typesOf(after.events, m)).toEqual(SMS_LIFECYCLE);
        for (const c of calls) {
          const call = await api<{ q850_cause: number; duration: number }>(b.url, 'GET', `/rest/call/${c}`);
          expect(call).toMatchObject({ q850_cause: 16, duration: 60 });
        }
        expect(after.balance).toBe(before - 20 * callCostMicros(60) - 20 * smsCostMicros(1));
        expect(after.steps).toBe(0);
      } finally {
        await Promise.all(running.splice(0).map((s) => s.kill()));
        await dropSchema(schema);
      }
    }, 60_000);
  },
);

// The embedded database is the same in both runs of the server suite: once is enough.
describe.runIf(hasBuiltServer && TEST_DATABASE_URL === undefined)(
  'one instance on the embedded database',
  () => {
    it('killed (kill -9) mid-call and restarted on the same data folder: the calls end as planned (normal clearing), billed once', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'callwire-kill-'));
      // At 60× a minute of talk is one second: the hangups come due while the server is down.
      const args = ['--sim-speed', '60', '--rate-limit', '0', '--data-dir', dir];
      try {
        const first = await spawnServer(args);
        running.push(first);
        const before = await api<{ balance: number }>(first.url, 'GET', '/rest/account');
        const calls = await Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            api<{ uuid: string }>(first.url, 'POST', '/rest/call', {
              from: ACME_NUMBERS[0],
              to: `+1212557${String(1000 + i)}`,
              talk_secs: 60,
            }),
          ),
        );
        await until(async () => {
          const states = await Promise.all(
            calls.map((c) => api<{ state: string }>(first.url, 'GET', `/rest/call/${c.uuid}`)),
          );
          return states.every((c) => c.state === 'live');
        }, 10_000);
        await first.kill();

        const second = await spawnServer(args);
        running.push(second);
        await until(async () => {
          const states = await Promise.all(
            calls.map((c) => api<{ state: string }>(second.url, 'GET', `/rest/call/${c.uuid}`)),
          );
          return states.every((c) => c.state === 'destroyed');
        }, 10_000);
        for (const c of calls) {
          const call = await api<{ q850_cause: number; duration: number }>(
            second.url,
            'GET',
            `/rest/call/${c.uuid}`,
          );
          expect(call).toMatchObject({ q850_cause: 16, duration: 60 });
        }
        const after = await api<{ balance: number }>(second.url, 'GET', '/rest/account');
        expect(Math.round(after.balance * 1e6)).toBe(
          Math.round(before.balance * 1e6) - 5 * callCostMicros(60),
        );
        const page = await api<{ data: { seq: number; type: string; ref_id: string }[] }>(
          second.url,
          'GET',
          '/rest/event?after_seq=0&take=1000',
        );
        expect(page.data.map((e) => e.seq)).toEqual(
          Array.from({ length: page.data.length }, (_, i) => i + 1),
        );
        for (const c of calls) expect(typesOf(page.data, c.uuid)).toEqual(CALL_LIFECYCLE);
      } finally {
        await Promise.all(running.splice(0).map((s) => s.kill()));
        rmSync(dir, { recursive: true, force: true });
      }
    }, 30_000);
  },
);
