import { describe, expect, it } from 'vitest';
import {
  EVENT_TYPES,
  EventSchema,
  matchesAnyEventPattern,
  matchesEventPattern,
  parseEventLenient,
} from '../src/index.js';
import { account, call, event, lease, sms } from './fixtures.js';

const payloadFor: Record<string, unknown> = {
  call: call,
  sms: sms,
  tn: lease,
  account: account,
};

describe('events', () => {
  it('every contract event type parses with its payload schema', () => {
    for (const type of EVENT_TYPES) {
      let payload: unknown = payloadFor[type.split('.')[0] ?? ''];
      if (type === 'tn.order.updated')
        payload = {
          uuid: call.uuid,
          state: 'success',
          items: [],
          total: 0,
          success: 0,
          processing: 0,
          failed: 0,
          errors: [],
          created_on: call.init_on,
          modified_on: call.init_on,
        };
      if (type === 'batch.updated')
        payload = {
          uuid: call.uuid,
          state: 'completed',
          total: 1,
          completed: 1,
          failed: 0,
          created_on: call.init_on,
          modified_on: call.init_on,
        };
      if (type === 'call.callflow')
        payload = { ...call, callflow: { index: 0, verb: 'Say', attributes: {}, text: 'hi' } };
      if (type === 'call.recording')
        payload = { ...call, recording: { uuid: call.uuid, duration: 3, url: null } };
      if (type === 'call.transcript') payload = { ...call, transcript: { text: 'hello' } };
      const r = EventSchema.safeParse(event(type, payload));
      expect(r.error?.issues, type).toBeUndefined();
      // The lenient parser (zod's generated fast path) agrees with the schema on every type.
      expect(parseEventLenient(event(type, payload)), type).toEqual({ ok: true, known: true, event: r.data });
    }
  });

  it('accepts a version 7 event id (time-ordered) as well as a version 4 one', () => {
    for (const uuid of ['0193a5f4-8c2e-7b3d-9f01-23456789abcd', '3f2b8a6c-1d4e-4f5a-8b9c-0d1e2f3a4b5c']) {
      const input = { ...event('sms.delivered', sms), uuid };
      expect(EventSchema.safeParse(input).success, uuid).toBe(true);
      expect(parseEventLenient(input), uuid).toMatchObject({ ok: true, known: true });
    }
    const notUuid = { ...event('sms.delivered', sms), uuid: '0193a5f4-8c2e-7b3d-cf01-23456789abcd' };
    expect(EventSchema.safeParse(notUuid).success).toBe(false);
  });

  it('the payload type follows the event type', () => {
    const e = EventSchema.parse(event('sms.delivered', sms));
    if (e.type === 'sms.delivered') expect(e.payload.segments).toBe(1);
    expect(EventSchema.safeParse(event('sms.delivered', call)).success).toBe(false);
  });

  it('a client accepts an event type it does not know yet without failing', () => {
    const r = parseEventLenient(event('call.sentiment', { score: 0.9 }));
    expect(r.ok && !r.known && r.event.type === 'call.sentiment').toBe(true);
  });

  it('a known type whose payload changed shape comes back as unknown rather than throwing', () => {
    const r = parseEventLenient(event('call.hangup', { uuid: 'not-a-call' }));
    expect(r.ok).toBe(true);
    expect(r.ok && r.known).toBe(false);
  });

  it('the lenient parser returns what the schema returns, extra fields stripped at every level', () => {
    const input = { ...event('call.ringing', { ...call, extra: 1 }), extra: 'x' };
    const r = parseEventLenient(input);
    expect(r.ok && r.known && r.event).toEqual(EventSchema.parse(input));
    expect(r.ok && r.known && r.event).not.toHaveProperty('extra');
    expect(r.ok && r.known && r.event.payload).not.toHaveProperty('extra');
    expect(r.ok && r.known && r.event.payload).not.toBe(input.payload);
  });

  it('a malformed known event reports the issues the schema reports', () => {
    const input = event('call.hangup', { ...call, from: 'not-a-number', duration: 1.5 });
    const r = parseEventLenient(input);
    expect(r.ok && !r.known && r.issues).toEqual(EventSchema.safeParse(input).error?.issues);
    const unknownType = event('call.sentiment', { score: 0.9 });
    const u = parseEventLenient(unknownType);
    expect(u.ok && !u.known && u.issues).toEqual(EventSchema.safeParse(unknownType).error?.issues);
  });

  it("an event with a malformed id or time of its own is refused, with the schema's issues", () => {
    // A run of valid events first: a malformed one must not pass for one seen before.
    for (let i = 0; i < 8; i++) expect(parseEventLenient(event('call.hangup', call)).ok).toBe(true);
    const valid = event('call.hangup', call);
    const malformed = [
      { ...valid, uuid: '0193a5f4-8c2e-7b3d-cf01-23456789abcd' },
      { ...valid, created_on: '2026-02-30T00:00:00.000Z' },
      { ...valid, created_on: '1969-12-31T23:59:59.999Z' },
    ];
    for (const input of malformed) {
      const r = parseEventLenient(input);
      expect(r).toEqual({ ok: false, issues: EventSchema.safeParse(input).error?.issues });
    }
    const r = parseEventLenient(valid);
    expect(r.ok && r.known && Object.keys(r.event)).toEqual(Object.keys(EventSchema.parse(valid)));
  });

  it('a message that is not an event at all is refused', () => {
    expect(parseEventLenient({ hello: 'world' }).ok).toBe(false);
  });

  it('patterns select exact types, families and everything', () => {
    expect(matchesEventPattern('call.hangup', 'call.*')).toBe(true);
    expect(matchesEventPattern('callx.hangup', 'call.*')).toBe(false);
    expect(matchesEventPattern('tn.order.updated', 'tn.*')).toBe(true);
    expect(matchesEventPattern('sms.sent', 'sms.sent')).toBe(true);
    expect(matchesEventPattern('sms.sent', 'sms.delivered')).toBe(false);
    expect(matchesAnyEventPattern('batch.updated', ['call.*', '*'])).toBe(true);
    expect(matchesAnyEventPattern('batch.updated', ['call.*', 'sms.*'])).toBe(false);
  });
});
