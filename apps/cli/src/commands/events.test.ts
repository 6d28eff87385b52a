import { describe, expect, it } from 'vitest';
import { colors } from '../output/color.js';
import { formatEventLine } from './events.js';

describe('formatEventLine', () => {
  it('prints time, seq, type and the message on one line, escaping control characters', () => {
    const line = formatEventLine(
      {
        uuid: '7a1c9f9e-3c7e-4a57-9d7f-0b7f3b0c1d2e',
        seq: 42,
        type: 'account.balance.changed',
        account_id: '0b1f6d4e-9a1a-4f59-8e43-2f7d3c9e5a10',
        created_on: '2026-01-16T14:15:48.540Z',
        ref_id: '5e0c1c9a-1f4b-4c0e-9d3a-7b8e6f5a4c3b',
        message: 'Account balance 99.99 USD\u001b[2J',
        payload: {},
      },
      colors(false),
    );
    expect(line).toBe('2026-01-16 14:15:48     #42  account.balance.changed  Account balance 99.99 USD�[2J');
    expect(line).not.toContain('\n');
  });
});
