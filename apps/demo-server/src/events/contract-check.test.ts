import { describe, expect, it } from 'vitest';
import { ContractCheck } from './contract-check.js';

function broken(type: string) {
  return {
    uuid: '0a11ce00-0000-4000-8000-000000000001',
    seq: 1,
    type,
    account_id: '0a11ce00-0000-4000-8000-00000000ac01',
    created_on: '2026-01-01T00:00:00.000Z',
    ref_id: '0a11ce00-0000-4000-8000-000000000002',
    message: 'x',
    payload: { nope: true },
  };
}

describe('ContractCheck', () => {
  it('throws on an event that does not match the contract when strict', () => {
    const check = new ContractCheck(true, () => {});
    for (let i = 0; i < 300; i++)
      expect(() => check.check(broken('batch.updated'))).toThrow(/does not match the contract at payload/);
  });

  it('logs the first mismatches of each type, then a sample of one in a hundred, when not strict', () => {
    const warnings: string[] = [];
    const check = new ContractCheck(false, (_details, message) => warnings.push(message));
    for (let i = 0; i < 300; i++) check.check(broken('batch.updated'));
    expect(warnings).toHaveLength(102);
    expect(warnings[0]).toMatch(/^event batch\.updated does not match the contract at payload/);
    // Another type is checked from its own first event on.
    check.check(broken('call.ringing'));
    expect(warnings).toHaveLength(103);
  });
});
