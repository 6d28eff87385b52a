import type { Batch, Call, Lease, Originate, RapidResponse, TnProfile } from '@callwire/types';
import { CallSchema } from '@callwire/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, ACME_NUMBERS, BAYSIDE, BAYSIDE_NUMBERS, Harness } from './telephony-harness.js';

const FROM = ACME_NUMBERS[0];

describe('calls on the simulated network', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function call(to: string, extra: Record<string, unknown> = {}) {
    const res = await h.as<Call>('alice', ACME, 'POST', '/rest/call', { from: FROM, to, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return CallSchema.parse(res.body.payload);
  }
  const get = async (uuid: string) =>
    (await h.as<Call>('alice', ACME, 'GET', `/rest/call/${uuid}`)).body.payload;

  it('answers after 2 s of ringing and hangs up after talk_secs, billing started minutes', async () => {
    const before = await h.balanceMicros(ACME);
    const seq = await h.lastSeq(ACME);
    const c = await call('+12125550123', { talk_secs: 61 });
    expect(c).toMatchObject({
      direction: 'out',
      state: 'init',
      from: FROM,
      to: '+12125550123',
      q850_cause: null,
    });
    await h.advance(0);
    expect((await get(c.uuid)).state).toBe('ringing');
    await h.advance(2000);
    expect((await get(c.uuid)).state).toBe('live');
    await h.advance(61_000);
    const hung = await get(c.uuid);
    expect(hung).toMatchObject({
      state: 'hangup',
      q850_cause: 16,
      q850_cause_string: 'NORMAL_CLEARING',
      duration: 61,
    });
    await h.advance(100);
    const done = await get(c.uuid);
    expect(done.state).toBe('destroyed');
    expect(done.ring_on).not.toBeNull();
    expect(Date.parse(done.answer_on!) - Date.parse(done.ring_on!)).toBe(2000);
    expect(done.cost).toBe(0.026);
    expect(await h.balanceMicros(ACME)).toBe(before - 26_000);
    const events = await h.events(ACME, seq);
    expect(events.filter((e) => e.ref_id === c.uuid).map((e) => e.type)).toEqual([
      'call.initiated',
      'call.ringing',
      'call.answered',
      'call.live',
      'call.hangup',
      'call.destroyed',
    ]);
    expect(events.map((e) => e.type)).toContain('account.balance.changed');
    expect(events.find((e) => e.type === 'call.ringing')!.message).toBe(
      `Call out ${FROM} > +12125550123 - ringing`,
    );
    expect(events.find((e) => e.type === 'call.destroyed')!.payload).toEqual(done);
  });

  it('busy (0486): ringing then hangup cause 17', async () => {
    const seq = await h.lastSeq(ACME);
    const c = await call('+12125550486');
    await h.advance(1100);
    expect(await h.typesFor(ACME, c.uuid, seq)).toEqual([
      'call.initiated',
      'call.ringing',
      'call.hangup',
      'call.destroyed',
    ]);
    expect(await get(c.uuid)).toMatchObject({
      q850_cause: 17,
      q850_cause_string: 'USER_BUSY',
      answer_on: null,
      cost: 0,
    });
  });

  it('no answer (0408): rings 30 s then hangup cause 19', async () => {
    const seq = await h.lastSeq(ACME);
    const c = await call('+12125550408');
    await h.advance(29_999);
    expect((await get(c.uuid)).state).toBe('ringing');
    await h.advance(101);
    expect(await h.typesFor(ACME, c.uuid, seq)).toEqual([
      'call.initiated',
      'call.ringing',
      'call.hangup',
      'call.destroyed',
    ]);
    expect(await get(c.uuid)).toMatchObject({ q850_cause: 19, q850_cause_string: 'NO_ANSWER' });
  });

  it('unallocated (0404): no ringing, hangup cause 1', async () => {
    const seq = await h.lastSeq(ACME);
    const c = await call('+12125550404');
    await h.advance(100);
    expect(await h.typesFor(ACME, c.uuid, seq)).toEqual(['call.initiated', 'call.hangup', 'call.destroyed']);
    expect(await get(c.uuid)).toMatchObject({
      q850_cause: 1,
      q850_cause_string: 'UNALLOCATED_NUMBER',
      ring_on: null,
    });
  });

  it('rejects inbound calls from blacklisted callers or callers off a whitelist (cause 21)', async () => {
    const profile = await h.as<TnProfile>('alice', ACME, 'POST', '/rest/profile/tn', {
      name: 'Screen',
      blacklist: ['+13125550666'],
    });
    const lease = (await h.as<Lease>('alice', ACME, 'GET', `/rest/lease/tn/${ACME_NUMBERS[1]}`)).body.payload;
    await h.as('alice', ACME, 'PATCH', `/rest/lease/tn/${lease.uuid}`, {
      tn_profile: profile.body.payload.uuid,
    });

    const seq = await h.lastSeq(ACME);
    const rejected = await h.as<Call>('alice', ACME, 'POST', '/rest/simulate/call', {
      from: '+13125550666',
      to: ACME_NUMBERS[1],
    });
    expect(rejected.status).toBe(202);
    expect(rejected.body.payload.direction).toBe('in');
    await h.advance(200);
    expect(await h.typesFor(ACME, rejected.body.payload.uuid, seq)).toEqual([
      'call.initiated',
      'call.hangup',
      'call.destroyed',
    ]);
    expect(await get(rejected.body.payload.uuid)).toMatchObject({
      q850_cause: 21,
      q850_cause_string: 'CALL_REJECTED',
    });

    const allowed = await h.as<Call>('alice', ACME, 'POST', '/rest/simulate/call', {
      from: '+13125550777',
      to: ACME_NUMBERS[1],
      talk_secs: 3,
    });
    await h.advance(5200);
    expect(await h.typesFor(ACME, allowed.body.payload.uuid, seq)).toEqual([
      'call.initiated',
      'call.ringing',
      'call.answered',
      'call.live',
      'call.hangup',
      'call.destroyed',
    ]);

    await h.as('alice', ACME, 'POST', `/rest/profile/tn/${profile.body.payload.uuid}/whitelist`, {
      add: ['+13125550888'],
    });
    const offList = await h.as<Call>('alice', ACME, 'POST', '/rest/simulate/call', {
      from: '+13125550777',
      to: ACME_NUMBERS[1],
    });
    await h.advance(200);
    expect((await get(offList.body.payload.uuid)).q850_cause).toBe(21);
    await h.as('alice', ACME, 'PATCH', `/rest/lease/tn/${lease.uuid}`, { tn_profile: null });
    expect(
      (await h.as('bob', ACME, 'POST', '/rest/simulate/call', { from: '+13125550777', to: ACME_NUMBERS[1] }))
        .status,
    ).toBe(403);
  });

  it('runs the call flow step by step, each a call.callflow event', async () => {
    const xml =
      '<Response><Answer/><Say loop="2">Welcome</Say><Pause length="2"/><Gather numDigits="2" timeout="3"><Say>Press</Say></Gather><Record maxLength="4"/><Hangup/></Response>';
    const seq = await h.lastSeq(ACME);
    const c = await call('+12125550150', { call_flow_xml: xml, talk_secs: 600 });
    await h.advance(60_000);
    const events = (await h.events(ACME, seq)).filter((e) => e.ref_id === c.uuid);
    const steps = events
      .filter((e) => e.type === 'call.callflow')
      .map((e) => e.payload.callflow as { verb: string; digits?: string });
    expect(steps.map((s) => s.verb)).toEqual(['Answer', 'Say', 'Pause', 'Gather', 'Record', 'Hangup']);
    expect(steps[3]!.digits).toBe('11');
    expect(events.map((e) => e.type)).toContain('call.recording');
    expect(events.at(-1)!.type).toBe('call.destroyed');
    const ended = await get(c.uuid);
    expect(ended.q850_cause).toBe(16);
    // Answer 0 + Say 2x1 s + Pause 2 s + Gather (1 s prompt + 3 s) + Record 4 s = 12 s live.
    expect(ended.duration).toBe(12);
    const bad = await h.as('alice', ACME, 'POST', '/rest/call', {
      from: FROM,
      to: '+12125550150',
      call_flow_xml: '<Response>\n<Dance/></Response>',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fields?.['body.call_flow_xml']?.message).toMatch(
      /^line 2, column \d+: unknown verb <Dance>/,
    );
  });

  it('<Dial> calls its destinations as child legs and bridges the first that answers', async () => {
    const seq = await h.lastSeq(ACME);
    const xml =
      '<Response><Say>Connecting you</Say><Dial><To>+13125550486</To><To>+12125550512</To></Dial></Response>';
    const parent = await call('+12125550511', { call_flow_xml: xml, talk_secs: 60 });
    await h.advance(2000 + 1000 + 2000);
    const children = await h.as<{ data: Call[] }>('alice', ACME, 'POST', '/rest/call/search', {
      created_on_from: new Date(h.clock.now() - 10_000).toISOString(),
    });
    const legs = children.body.payload.data.filter((c) => c.parent === parent.uuid);
    expect(legs.map((c) => c.to).sort()).toEqual(['+12125550512', '+13125550486']);
    const answered = legs.find((c) => c.to === '+12125550512')!;
    expect(answered).toMatchObject({ state: 'live', bridged_with: parent.uuid });
    expect((await get(parent.uuid)).bridged_with).toBe(answered.uuid);
    const bridged = (await h.events(ACME, seq)).filter((e) => e.type === 'call.bridged').map((e) => e.ref_id);
    expect(bridged.sort()).toEqual([parent.uuid, answered.uuid].sort());
    // The busy leg failed on its own; hanging up the parent ends the bridged child.
    await h.as('alice', ACME, 'POST', `/rest/call/${parent.uuid}/hangup`);
    await h.advance(200);
    expect((await get(answered.uuid)).state).toBe('destroyed');
  });

  it('hangs up a live call on request; hanging up again is a harmless no-op', async () => {
    const c = await call('+12125550160', { talk_secs: 100 });
    await h.advance(2000);
    const res = await h.as<Call>('alice', ACME, 'POST', `/rest/call/${c.uuid}/hangup`);
    expect(res.status).toBe(200);
    expect(res.body.payload).toMatchObject({ state: 'hangup', q850_cause: 16 });
    await h.advance(100);
    expect((await get(c.uuid)).state).toBe('destroyed');
    const seq = await h.lastSeq(ACME);
    const again = await h.as<Call>('alice', ACME, 'POST', `/rest/call/${c.uuid}/hangup`);
    expect(again.status).toBe(200);
    expect(again.body.payload.state).toBe('destroyed');
    expect(await h.lastSeq(ACME)).toBe(seq);
    await h.advance(200_000);
    expect((await get(c.uuid)).state).toBe('destroyed');
  });

  it('bridges two live calls (call.bridged on both); hanging one up ends the other', async () => {
    const a = await call('+12125550171', { talk_secs: 100 });
    const b = await call('+12125550172', { talk_secs: 100 });
    const early = await h.as('alice', ACME, 'POST', '/rest/call/bridge', { call_a: a.uuid, call_b: b.uuid });
    expect(early.status).toBe(409);
    await h.advance(2000);
    const seq = await h.lastSeq(ACME);
    const res = await h.as<{ call_a: Call; call_b: Call }>('alice', ACME, 'POST', '/rest/call/bridge', {
      call_a: a.uuid,
      call_b: b.uuid,
    });
    expect(res.status).toBe(200);
    expect(res.body.payload.call_a.bridged_with).toBe(b.uuid);
    const bridged = (await h.events(ACME, seq)).filter((e) => e.type === 'call.bridged');
    expect(bridged.map((e) => e.ref_id)).toEqual([a.uuid, b.uuid]);
    await h.as('alice', ACME, 'POST', `/rest/call/${a.uuid}/hangup`);
    await h.advance(100);
    expect((await get(b.uuid)).state).toBe('destroyed');
    expect((await h.as('alice', ACME, 'POST', `/rest/call/${b.uuid}/hangup`)).status).toBe(200);
    expect(
      (await h.as('alice', ACME, 'POST', '/rest/call/bridge', { call_a: a.uuid, call_b: a.uuid })).status,
    ).toBe(400);
  });

  it('searches the call log', async () => {
    const res = await h.as<{ total: number; data: Call[] }>(
      'alice',
      ACME,
      'POST',
      '/rest/call/search?take=3',
      { to: '+12125550486' },
    );
    expect(res.status).toBe(200);
    expect(res.body.payload.total).toBe(1);
    expect(res.body.payload.data[0]!.q850_cause).toBe(17);
    const inbound = await h.as<{ data: Call[] }>('alice', ACME, 'POST', '/rest/call/search', {
      direction: 'in',
    });
    expect(inbound.body.payload.data.every((c) => c.direction === 'in')).toBe(true);
    const page = await h.as<{ take: number; skip: number; data: Call[] }>(
      'alice',
      ACME,
      'POST',
      '/rest/call/search?take=2&skip=1',
      {},
    );
    expect(page.body.payload).toMatchObject({ take: 2, skip: 1 });
    expect(page.body.payload.data).toHaveLength(2);
  });

  it('runs a bulk call with a concurrency limit and progress events to completion', async () => {
    const phones = Array.from({ length: 25 }, (_, i) => `+1212555${String(1000 + i).padStart(4, '0')}`);
    phones[3] = '+12125550486';
    phones[7] = '+12125550404';
    const seq = await h.lastSeq(ACME);
    const res = await h.as<Batch>('alice', ACME, 'POST', '/rest/batch', {
      from: FROM,
      phones,
      concurrency: 5,
      talk_secs: 1,
    });
    expect(res.status).toBe(202);
    expect(res.body.payload).toMatchObject({ state: 'created', total: 25, completed: 0, failed: 0 });
    const id = res.body.payload.uuid;
    await h.advance(0);
    const live = await h.as<{ total: number }>('alice', ACME, 'POST', '/rest/call/search', { batch: id });
    expect(live.body.payload.total).toBe(5);
    await h.advance(4000);
    const mid = (await h.as<Batch>('alice', ACME, 'GET', `/rest/batch/${id}`)).body.payload;
    expect(mid.state).toBe('processing');
    expect(mid.completed + mid.failed).toBeGreaterThan(0);
    expect(mid.completed + mid.failed).toBeLessThan(25);
    await h.settle();
    const done = (await h.as<Batch>('alice', ACME, 'GET', `/rest/batch/${id}`)).body.payload;
    expect(done).toMatchObject({ state: 'completed', total: 25, completed: 23, failed: 2 });
    const updates = (await h.events(ACME, seq)).filter((e) => e.type === 'batch.updated');
    expect(updates.at(-1)!.payload).toEqual(done);
    expect(updates.length).toBe(2 + 25);
    const calls = await h.as<{ total: number }>('alice', ACME, 'POST', '/rest/call/search', { batch: id });
    expect(calls.body.payload.total).toBe(25);
    const tooMany = await h.as('alice', ACME, 'POST', '/rest/batch', {
      from: FROM,
      phones: Array.from({ length: 10_001 }, () => '+12125550123'),
    });
    expect(tooMany.status).toBe(400);
  });

  it('originates click-to-call: dials the caller, then the callee, and bridges them', async () => {
    const res = await h.as<Originate>('alice', ACME, 'POST', '/rest/voice/originate', {
      caller: '+12125550181',
      callee: '+12125550182',
    });
    expect(res.status).toBe(202);
    expect(res.body.payload).toMatchObject({ state: 'processing', callee_call: null });
    await h.advance(2000);
    await h.advance(2000);
    const o = (await h.as<Originate>('alice', ACME, 'GET', `/rest/voice/originate/${res.body.payload.uuid}`))
      .body.payload;
    expect(o.state).toBe('bridged');
    const callee = await get(o.callee_call!);
    expect(callee).toMatchObject({
      parent: o.caller_call,
      bridged_with: o.caller_call,
      state: 'live',
      from: FROM,
    });
    await h.settle();
    expect(
      (await h.as<Originate>('alice', ACME, 'GET', `/rest/voice/originate/${o.uuid}`)).body.payload.state,
    ).toBe('completed');
    const busy = await h.as<Originate>('alice', ACME, 'POST', '/rest/voice/originate', {
      caller: '+12125550486',
      callee: '+12125550183',
    });
    await h.settle();
    const failed = (
      await h.as<Originate>('alice', ACME, 'GET', `/rest/voice/originate/${busy.body.payload.uuid}`)
    ).body.payload;
    expect(failed).toMatchObject({ state: 'failed', callee_call: null });
  });

  it('queues a rapid response once per callee per hour (409 duplicate_queue_entry)', async () => {
    const body = { callee: '+12125550191', whisper_text: 'New lead from the website', agent: '+12125550192' };
    const res = await h.as<RapidResponse>('alice', ACME, 'POST', '/rest/voice/rapidresponse', body);
    expect(res.status).toBe(202);
    expect(res.body.payload).toMatchObject({
      queue_status: 'processing',
      callee: body.callee,
      whisper_text: body.whisper_text,
    });
    const dup = await h.as('alice', ACME, 'POST', '/rest/voice/rapidresponse', body);
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('duplicate_queue_entry');
    const seq = await h.lastSeq(ACME);
    await h.advance(2100);
    const say = (await h.events(ACME, seq)).find((e) => e.type === 'call.callflow');
    expect(say?.payload.callflow).toMatchObject({ verb: 'Say', text: body.whisper_text });
    await h.settle();
    const [entry] = (await h.server.ctx.db
      .selectFrom('rapid_response' as never)
      .select(['queue_status' as never])
      .where('callee' as never, '=', body.callee as never)
      .execute()) as { queue_status: string }[];
    expect(entry?.queue_status).toBe('completed');
    await h.advance(3_600_000);
    h.tokens.clear();
    expect((await h.as('alice', ACME, 'POST', '/rest/voice/rapidresponse', body)).status).toBe(202);
  });

  it('refuses a call the balance cannot cover (402), viewers, and other accounts’ calls (404)', async () => {
    await h.setBalanceMicros(BAYSIDE, 12_999);
    const poor = await h.as('bob', BAYSIDE, 'POST', '/rest/call', {
      from: BAYSIDE_NUMBERS[0],
      to: '+12125550123',
    });
    expect(poor.status).toBe(402);
    await h.setBalanceMicros(BAYSIDE, 100_000_000);
    expect(
      (await h.as('dave', BAYSIDE, 'POST', '/rest/call', { from: BAYSIDE_NUMBERS[0], to: '+12125550123' }))
        .status,
    ).toBe(403);
    const c = await call('+12125550199');
    expect((await h.as('bob', BAYSIDE, 'GET', `/rest/call/${c.uuid}`)).status).toBe(404);
    expect((await h.as('bob', BAYSIDE, 'POST', `/rest/call/${c.uuid}/hangup`)).status).toBe(404);
    await h.settle();
  });

  it('calls only from the account’s own voice numbers', async () => {
    for (const [path, body] of [
      ['/rest/call', { from: BAYSIDE_NUMBERS[0], to: '+12125550123' }],
      ['/rest/call', { from: '+12125550999', to: '+12125550123' }],
      ['/rest/batch', { from: BAYSIDE_NUMBERS[0], phones: ['+12125550123'] }],
      ['/rest/voice/originate', { from: BAYSIDE_NUMBERS[0], caller: '+12125550123', callee: '+12125550124' }],
    ] as const) {
      const res = await h.as('alice', ACME, 'POST', path, body);
      expect(res.status, path).toBe(400);
      expect(res.body.fields?.['body.from']?.message).toBe('is not a number of this account');
    }
  });

  it('accepts form bodies (curl -d), numbers included', async () => {
    const token = await h.token('alice', ACME);
    const res = await h.server.app.inject({
      method: 'POST',
      url: '/rest/call',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `from=${encodeURIComponent(FROM)}&to=2125550233&talk_secs=7`,
    });
    expect(res.statusCode, res.body).toBe(202);
    const created = res.json() as { payload: Call };
    expect(created.payload.to).toBe('+12125550233');
    await h.advance(10_000);
    expect((await get(created.payload.uuid)).duration).toBe(7);
  });

  it('replays POST /rest/call with the same Idempotency-Key: one call', async () => {
    const body = { from: FROM, to: '+12125550222' };
    const headers = { 'idempotency-key': 'call-once-1' };
    const first = await h.as<Call>('alice', ACME, 'POST', '/rest/call', body, headers);
    const second = await h.as<Call>('alice', ACME, 'POST', '/rest/call', body, headers);
    expect(second.status).toBe(202);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body.payload.uuid).toBe(first.body.payload.uuid);
    const calls = await h.as<{ total: number }>('alice', ACME, 'POST', '/rest/call/search', {
      to: '+12125550222',
    });
    expect(calls.body.payload.total).toBe(1);
    await h.settle();
  });
});
