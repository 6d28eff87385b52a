import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, EventPatternSchema, isEventPattern } from '../src/index.js';

describe('isEventPattern', () => {
  it('accepts exact types, families and *, and refuses anything else', () => {
    for (const type of EVENT_TYPES) expect(isEventPattern(type)).toBe(true);
    for (const pattern of ['*', 'call.*', 'tn.order.*', 'future_type.added'])
      expect(isEventPattern(pattern)).toBe(true);
    for (const bad of ['', 'call.', '*.call', 'Call.hangup', 'call..hangup', 'a'.repeat(65), 42, null]) {
      expect(isEventPattern(bad)).toBe(false);
    }
  });

  it('agrees with EventPatternSchema on any string', () => {
    const piece = fc.constantFrom('call', 'sms', 'tn', 'order', 'a_b', '*', '.', 'X', '', '-');
    const candidate = fc.oneof(
      fc.string(),
      fc.array(piece, { maxLength: 6 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(
        candidate,
        (value) => isEventPattern(value) === EventPatternSchema.safeParse(value).success,
      ),
      { numRuns: 500 },
    );
  });
});
