import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Batch, Call, Sms } from '@callwire/types';
import { afterAll, describe, expect, it } from 'vitest';
import { ACME, ACME_NUMBERS, Harness } from './telephony-harness.js';

// Recovery after a restart is for the single-instance embedded database only.
const onSqlite = (process.env.TEST_DATABASE_URL ?? '') === '';

describe.runIf(onSqlite)('the simulator after a restart (embedded database)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'callwire-telephony-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hangs up calls left up, finishes messages in flight and fails orphaned batches', async () => {
    const first = await Harness.start({ dataDir: dir, memory: false });
    const call = await first.as<Call>('alice', ACME, 'POST', '/rest/call', {
      from: ACME_NUMBERS[0],
      to: '+12125550123',
      talk_secs: 600,
    });
    const sms = await first.as<Sms>('alice', ACME, 'POST', '/rest/sms', {
      from: ACME_NUMBERS[0],
      to: '+12125550124',
      message: 'hi',
    });
    const batch = await first.as<Batch>('alice', ACME, 'POST', '/rest/batch', {
      from: ACME_NUMBERS[0],
      phones: ['+12125550125', '+12125550126'],
      concurrency: 1,
    });
    await first.advance(2000);
    expect(
      (await first.as<Call>('alice', ACME, 'GET', `/rest/call/${call.body.payload.uuid}`)).body.payload.state,
    ).toBe('live');
    await first.close();

    const second = await Harness.start({ dataDir: dir, memory: false, seed: true });
    try {
      await second.settle();
      const c = (await second.as<Call>('alice', ACME, 'GET', `/rest/call/${call.body.payload.uuid}`)).body
        .payload;
      expect(c).toMatchObject({ state: 'destroyed', q850_cause: 31 });
      const s = (await second.as<Sms>('alice', ACME, 'GET', `/rest/sms/${sms.body.payload.uuid}`)).body
        .payload;
      expect(s.state).toBe('delivered');
      const b = (await second.as<Batch>('alice', ACME, 'GET', `/rest/batch/${batch.body.payload.uuid}`)).body
        .payload;
      expect(b.state).toBe('failed');
      const seqs = (await second.events(ACME)).map((e) => e.seq);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    } finally {
      await second.close();
    }
  });
});
