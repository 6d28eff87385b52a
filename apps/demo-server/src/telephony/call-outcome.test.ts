import { describe, expect, it } from 'vitest';
import { canTransition, outcomeFor, screenCaller } from './call-outcome.js';
import { q850String } from './q850.js';

describe('simulated call outcomes', () => {
  it('decides by the last four digits', () => {
    expect(outcomeFor('+12015550486')).toEqual({ kind: 'busy', ringMs: 1000, cause: 17 });
    expect(outcomeFor('+12015550408')).toEqual({ kind: 'no_answer', ringMs: 30_000, cause: 19 });
    expect(outcomeFor('+12015550404')).toEqual({ kind: 'unallocated', cause: 1 });
    expect(outcomeFor('+12015550123')).toEqual({ kind: 'answer', ringMs: 2000, talkMs: 5000 });
    expect(outcomeFor('+12015550123', { talkSecs: 61 })).toEqual({
      kind: 'answer',
      ringMs: 2000,
      talkMs: 61_000,
    });
  });

  it('lets a short timeout end the ringing first', () => {
    expect(outcomeFor('+12015550408', { timeoutSecs: 10 })).toEqual({
      kind: 'no_answer',
      ringMs: 10_000,
      cause: 19,
    });
    expect(outcomeFor('+12015550123', { timeoutSecs: 1 }).kind).toBe('no_answer');
  });

  it('names causes', () => {
    expect(q850String(16)).toBe('NORMAL_CLEARING');
    expect(q850String(17)).toBe('USER_BUSY');
    expect(q850String(19)).toBe('NO_ANSWER');
    expect(q850String(1)).toBe('UNALLOCATED_NUMBER');
    expect(q850String(21)).toBe('CALL_REJECTED');
  });

  it('screens callers with black and white lists', () => {
    expect(screenCaller('+1', { blacklist: [], whitelist: [] })).toBe(true);
    expect(screenCaller('+1', { blacklist: ['+1'], whitelist: [] })).toBe(false);
    expect(screenCaller('+1', { blacklist: [], whitelist: ['+2'] })).toBe(false);
    expect(screenCaller('+2', { blacklist: [], whitelist: ['+2'] })).toBe(true);
  });

  it('allows only forward transitions', () => {
    expect(canTransition('init', 'ringing')).toBe(true);
    expect(canTransition('ringing', 'live')).toBe(true);
    expect(canTransition('live', 'hangup')).toBe(true);
    expect(canTransition('hangup', 'destroyed')).toBe(true);
    expect(canTransition('live', 'ringing')).toBe(false);
    expect(canTransition('destroyed', 'hangup')).toBe(false);
  });
});
