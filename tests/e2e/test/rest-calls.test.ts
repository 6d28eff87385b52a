import { ConflictError } from '@callwire/rest-client';
import type { Call } from '@callwire/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, basicClient, type RestServer, startRestServer } from './helpers/rest-server.js';

let server: RestServer;
let from: string;
beforeAll(async () => {
  server = await startRestServer({ simSpeed: 100 });
  const [lease] = await basicClient(server, ALICE).numbers.list().toArray({ limit: 1 });
  from = lease!.tn;
});
afterAll(async () => {
  await server?.close();
});

async function until(get: () => Promise<Call>, done: (call: Call) => boolean): Promise<Call> {
  for (let i = 0; i < 400; i++) {
    const call = await get();
    if (done(call)) return call;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the call did not get there');
}

describe('calls', () => {
  it('create → answered → finished; found in the call log and the call-data report', async () => {
    const alice = basicClient(server, ALICE);
    const call = await alice.calls.create({ from, to: '+12015550123', talk_secs: 1 });
    expect(call).toMatchObject({ direction: 'out', state: 'init', to: '+12015550123' });
    const done = await until(
      () => alice.calls.get(call.uuid),
      (c) => c.state === 'destroyed',
    );
    expect(done.answer_on).not.toBeNull();
    const log = await alice.calls.search({ direction: 'out', to: '+12015550123' }).toArray();
    expect(log.map((c) => c.uuid)).toContain(call.uuid);
    // The window is in the account's time zone: yesterday..tomorrow (UTC) surely covers "now".
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const records = await alice.reports.callData({ start_date: day(-1), end_date: day(1) });
    expect(records.map((r) => r.uuid)).toContain(call.uuid);
    await expect(
      alice.reports.callData({ start_date: '2026-01-01', end_date: '2026-12-31' }),
    ).rejects.toMatchObject({
      name: 'ValidationError',
    });
  });

  it('busy destination ends with cause 17', async () => {
    const alice = basicClient(server, ALICE);
    const call = await alice.calls.create({ from, to: '+12015550486' });
    const done = await until(
      () => alice.calls.get(call.uuid),
      (c) => c.state === 'destroyed',
    );
    expect(done.q850_cause).toBe(17);
  });

  it('bridge two live calls, then hang one up', async () => {
    const alice = basicClient(server, ALICE);
    const a = await alice.calls.create({ from, to: '+12015550131', talk_secs: 3600 });
    const b = await alice.calls.create({ from, to: '+12015550132', talk_secs: 3600 });
    await until(
      () => alice.calls.get(a.uuid),
      (c) => c.state === 'live',
    );
    await until(
      () => alice.calls.get(b.uuid),
      (c) => c.state === 'live',
    );
    await alice.calls.bridge({ call_a: a.uuid, call_b: b.uuid });
    const hung = await alice.calls.hangup(a.uuid);
    expect(['hangup', 'destroyed']).toContain(hung.state);
    await alice.calls.hangup(b.uuid);
  });

  it('originate and rapid response (duplicate → ConflictError)', async () => {
    const alice = basicClient(server, ALICE);
    const originate = await alice.calls.originate({ caller: '+12015550141', callee: '+12015550142', from });
    expect(originate.uuid).toEqual(expect.any(String));
    const queued = await alice.calls.rapidResponse({
      callee: '+12015550151',
      whisper_text: 'new lead',
      agent: '+12015550152',
    });
    expect(queued.queue_status).toBe('processing');
    await expect(
      alice.calls.rapidResponse({ callee: '+12015550151', whisper_text: 'again', agent: '+12015550152' }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('inbound call (simulated)', async () => {
    const alice = basicClient(server, ALICE);
    const inbound = await alice.simulate.call({ from: '+13105550122', to: from, talk_secs: 1 });
    expect(inbound.direction).toBe('in');
  });
});

describe('batches', () => {
  it('create, then wait with progress until completed', async () => {
    const alice = basicClient(server, ALICE);
    const phones = ['+12015550161', '+12015550162', '+12015550486'];
    const batch = await alice.batches.create({ from, phones, talk_secs: 1 });
    expect(batch.total).toBe(3);
    const progress: number[] = [];
    const done = await alice.batches.wait(batch.uuid, {
      interval: 20,
      onProgress: (b) => progress.push(b.completed + b.failed),
    });
    expect(done.state).toBe('completed');
    expect(done.completed + done.failed).toBe(3);
    expect(progress.at(-1)).toBe(3);
    expect((await alice.batches.get(batch.uuid)).uuid).toBe(batch.uuid);
  }, 20_000);

  it('wait stops on abort', async () => {
    const alice = basicClient(server, ALICE);
    const batch = await alice.batches.create({ from, phones: ['+12015550171'], talk_secs: 3600 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(
      alice.batches.wait(batch.uuid, { interval: 10, signal: controller.signal }),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
