import type { CallDataRecord } from '@callwire/types';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelephonyTables } from '../src/telephony/db/tables.js';
import { ACME, BAYSIDE, Harness } from './telephony-harness.js';

function callRow(accountId: string, uuid: string, initOn: string, state = 'destroyed') {
  return {
    uuid,
    account_id: accountId,
    direction: 'out' as const,
    from_tn: '+12015550100',
    to_tn: '+12125550123',
    state,
    duration: 30,
    billable_seconds: 30,
    cost_micros: 13_000,
    init_on: initOn,
    ring_on: initOn,
    answer_on: initOn,
    hangup_on: initOn,
    destroy_on: initOn,
    q850_cause: 16,
    parent: null,
    batch: null,
    bridged_with: null,
    call_flow_xml: null,
    talk_secs: null,
    timeout_secs: null,
    modified_on: initOn,
  };
}

describe('call-data report', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
    const db = h.server.ctx.db as unknown as Kysely<TelephonyTables>;
    // The demo accounts live in America/New_York: 2022-10-01 is 04:00Z..2022-10-02 04:00Z.
    await db
      .insertInto('call')
      .values([
        callRow(ACME, '00000000-0000-4000-8000-000000000001', '2022-10-01T03:59:59.999Z'),
        callRow(ACME, '00000000-0000-4000-8000-000000000002', '2022-10-01T04:00:00.000Z'),
        callRow(ACME, '00000000-0000-4000-8000-000000000003', '2022-10-02T12:00:00.000Z'),
        callRow(ACME, '00000000-0000-4000-8000-000000000004', '2022-10-03T03:59:59.999Z'),
        callRow(ACME, '00000000-0000-4000-8000-000000000005', '2022-10-03T04:00:00.000Z'),
        callRow(ACME, '00000000-0000-4000-8000-000000000006', '2022-10-02T12:00:00.000Z', 'live'),
        callRow(BAYSIDE, '00000000-0000-4000-8000-000000000007', '2022-10-02T12:00:00.000Z'),
      ])
      .execute();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('returns finished calls of the inclusive window in the account time zone', async () => {
    const res = await h.as<CallDataRecord[]>(
      'alice',
      ACME,
      'GET',
      '/rest/reports/call-data?start_date=2022-10-01&end_date=2022-10-02',
    );
    expect(res.status).toBe(200);
    expect(res.headers['x-account-id']).toBe(ACME);
    expect(res.body.payload.map((r) => r.uuid.slice(-1))).toEqual(['2', '3', '4']);
    expect(res.body.payload[0]).toEqual({
      uuid: '00000000-0000-4000-8000-000000000002',
      direction: 'out',
      from: '+12015550100',
      to: '+12125550123',
      started_on: '2022-10-01T04:00:00.000Z',
      answered_on: '2022-10-01T04:00:00.000Z',
      ended_on: '2022-10-01T04:00:00.000Z',
      duration: 30,
      billable_seconds: 30,
      cost: 0.013,
      q850_cause: 16,
      state: 'destroyed',
    });
    const one = await h.as<CallDataRecord[]>(
      'alice',
      ACME,
      'GET',
      '/rest/reports/call-data?start_date=2022-10-02&end_date=2022-10-02',
    );
    expect(one.body.payload.map((r) => r.uuid.slice(-1))).toEqual(['3', '4']);
  });

  it('limits the window to 93 days and checks the dates', async () => {
    const ok = await h.as(
      'alice',
      ACME,
      'GET',
      '/rest/reports/call-data?start_date=2022-01-01&end_date=2022-04-03',
    );
    expect(ok.status).toBe(200);
    const long = await h.as(
      'alice',
      ACME,
      'GET',
      '/rest/reports/call-data?start_date=2022-01-01&end_date=2022-04-04',
    );
    expect(long.status).toBe(400);
    expect(long.body.fields?.['query.end_date']?.message).toMatch(/93/);
    const backwards = await h.as(
      'alice',
      ACME,
      'GET',
      '/rest/reports/call-data?start_date=2022-10-02&end_date=2022-10-01',
    );
    expect(backwards.status).toBe(400);
    const bad = await h.as(
      'alice',
      ACME,
      'GET',
      '/rest/reports/call-data?start_date=2022-13-01&end_date=2022-10-01',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.fields?.['query.start_date']).toBeDefined();
    expect((await h.as('alice', ACME, 'GET', '/rest/reports/call-data?start_date=2022-10-01')).status).toBe(
      400,
    );
  });

  it('reports only the calling account’s calls; viewers may read it', async () => {
    const res = await h.as<CallDataRecord[]>(
      'dave',
      BAYSIDE,
      'GET',
      '/rest/reports/call-data?start_date=2022-10-01&end_date=2022-10-02',
    );
    expect(res.status).toBe(200);
    expect(res.body.payload.map((r) => r.uuid.slice(-1))).toEqual(['7']);
  });
});
