import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { threadId } from './sms-records.js';

describe('SMS conversation threads', () => {
  it('puts both directions of a pair of numbers in one thread, and other pairs in others', () => {
    const a = '+12015550100';
    const b = '+12125550123';
    const c = '+13105550199';
    expect(threadId(a, b)).toBe(threadId(b, a));
    expect(threadId(a, b)).toBe(threadId(a, b));
    expect(threadId(a, c)).not.toBe(threadId(a, b));
    expect(threadId(c, b)).not.toBe(threadId(a, b));
  });

  it('keeps the ids messages already stored carry (first 32 hex digits of SHA-256 of the sorted pair)', () => {
    const expected = createHash('sha256').update('+12015550100|+12125550123').digest('hex').slice(0, 32);
    expect(threadId('+12125550123', '+12015550100')).toBe(expected);
    expect(threadId('+12015550100', '+12125550123')).toBe(expected);
  });

  it('gives every pair its own thread however many pairs have been seen', () => {
    const seen = new Map<string, string>();
    for (let i = 0; i < 25_000; i++) {
      const from = `+1201555${String(i).padStart(4, '0')}`;
      seen.set(from, threadId(from, '+12125550123'));
    }
    expect(new Set(seen.values()).size).toBe(25_000);
    for (const [from, thread] of seen) expect(threadId('+12125550123', from)).toBe(thread);
  });
});
